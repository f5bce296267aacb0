// The Authorization header as the server reads it: BearerToken extracts the token, then the
// token goes to TokenSigner::Verify, as on every authenticated request. The first input byte says
// whether the header is present. Invariants: a token is only extracted from a "Bearer " header
// (any case), is non-empty, is a piece of the header without surrounding blanks; and a header
// the fuzzer made never authenticates unless it carries a token Issue made with the key.
#include <strings.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "connecthub/token.h"
#include "fuzz_check.h"
#include "request_body.h"

namespace {

const std::string kKey = "fuzzing key: 0123456789abcdef0123456789abcdef";
const connecthub::TimePoint kNow{std::chrono::seconds{1'767'225'600}};

struct Fixture {
  connecthub::TokenSigner signer{kKey};
  std::string issued;
  Fixture() {
    connecthub::fuzz::CountingRandom random;
    issued =
        signer.Issue(1, 0, kNow - std::chrono::seconds{10}, std::chrono::seconds{3600}, random);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Fixture f;
  std::optional<std::string> header;
  if (size > 0 && data[0] != 0) header.emplace(reinterpret_cast<const char*>(data) + 1, size - 1);

  auto token = connecthub::server::BearerToken(header);
  if (!token.ok()) {
    FUZZ_CHECK(token.error().code == connecthub::ErrorCode::kUnauthorized);
    return 0;
  }
  FUZZ_CHECK(header.has_value());
  FUZZ_CHECK(header->size() > 7 && strncasecmp(header->c_str(), "Bearer ", 7) == 0);
  FUZZ_CHECK(!token->empty());
  FUZZ_CHECK(token->front() != ' ' && token->back() != ' ' && token->back() != '\t');
  FUZZ_CHECK(header->find(*token, 7) != std::string::npos);

  auto claims = f.signer.Verify(*token, kNow);
  if (claims.ok()) {
    FUZZ_CHECK(*token == f.issued);
  } else {
    FUZZ_CHECK(claims.error().code == connecthub::ErrorCode::kInvalidToken);
  }
  return 0;
}
