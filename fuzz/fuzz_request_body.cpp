// Request bodies of POST /api/register/, /api/login/ and PATCH /api/clients/profile/, read the way
// the handlers read them: the JSON object, then phone, sms_code (string or integer) and
// invitation_code (or its alias someone_invitation_code), then the core's format checks.
// Invariants: every outcome is a value or one of the contract's 400 errors, never an exception or
// a crash; a field read as present is exactly the JSON value the client sent.
#include <cstdint>
#include <string>

#include "connecthub/phone.h"
#include "connecthub/random.h"
#include "fuzz_check.h"
#include "request_body.h"

namespace {

using connecthub::ErrorCode;

bool IsInvalidRequest(const connecthub::Error& e) {
  return e.code == ErrorCode::kInvalidRequest && !e.message.empty();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  auto object = connecthub::server::ParseJsonObject(body);
  if (!object.ok()) {
    FUZZ_CHECK(object.error().code == ErrorCode::kInvalidJson || IsInvalidRequest(object.error()));
    return 0;
  }
  FUZZ_CHECK(object->is_object());

  auto phone = connecthub::server::RequiredStringField(*object, "phone");
  if (phone.ok()) {
    FUZZ_CHECK((*object)["phone"].get<std::string>() == *phone);
    auto normalized = connecthub::NormalizePhone(*phone);
    FUZZ_CHECK(normalized.ok() || normalized.error().code == ErrorCode::kInvalidPhone);
  } else {
    FUZZ_CHECK(IsInvalidRequest(phone.error()));
    FUZZ_CHECK(phone.error().message.find("phone") != std::string::npos);
  }

  auto code =
      connecthub::server::OptionalStringField(*object, {"sms_code"}, /*allow_integer=*/true);
  if (code.ok() && code->has_value()) {
    const auto& value = (*object)["sms_code"];
    if (value.is_string()) {
      FUZZ_CHECK(value.get<std::string>() == **code);
    } else {
      FUZZ_CHECK(value.is_number_integer());
      const std::string& digits = **code;
      FUZZ_CHECK(!digits.empty());
      for (size_t i = 0; i < digits.size(); ++i) {
        FUZZ_CHECK((digits[i] >= '0' && digits[i] <= '9') || (i == 0 && digits[i] == '-'));
      }
    }
  } else if (!code.ok()) {
    FUZZ_CHECK(IsInvalidRequest(code.error()));
  }

  auto invitation = connecthub::server::OptionalStringField(
      *object, {"invitation_code", "someone_invitation_code"});
  if (invitation.ok() && invitation->has_value()) {
    const bool format = connecthub::IsInvitationCodeFormat(**invitation);
    FUZZ_CHECK(!format || (*invitation)->size() == 6);
  } else if (!invitation.ok()) {
    FUZZ_CHECK(IsInvalidRequest(invitation.error()));
  }
  return 0;
}
