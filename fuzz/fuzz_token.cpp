// JWT verification (TokenSigner::Verify), the gate in front of every authenticated request. The
// first input byte picks an attack:
//   0 forgery:  the rest is a token as a client could send it;
//   1 tamper:   a genuine token with the fuzzer's edits applied;
//   2 insider:  header and payload JSON chosen by the fuzzer, signed with the right key;
//   3 wrong key: the same, signed with another key, or with alg "none" and no signature.
// Invariant: Verify accepts a token only if it is byte for byte one that Issue made with the key,
// or (mode 2) one whose claims are all well formed and unexpired; it never crashes.
#include <fuzzer/FuzzedDataProvider.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <set>
#include <string>

#include "connecthub/crypto.h"
#include "connecthub/token.h"
#include "fuzz_check.h"

namespace {

using connecthub::TokenSigner;
using std::chrono::seconds;

const std::string kKey = "fuzzing key: 0123456789abcdef0123456789abcdef";
const std::string kOtherKey = "another key: 0123456789abcdef0123456789abcdef";
const connecthub::TimePoint kNow{seconds{1'767'225'600}};  // 2026-01-01

struct Fixture {
  TokenSigner signer{kKey};
  TokenSigner other{kOtherKey};
  std::array<std::string, 4> issued;
  std::set<std::string> issued_set;

  Fixture() {
    connecthub::fuzz::CountingRandom random;
    for (size_t i = 0; i < issued.size(); ++i) {
      issued[i] = signer.Issue(static_cast<int64_t>(i + 1), static_cast<int64_t>(i),
                               kNow - seconds{10}, seconds{3600}, random);
      issued_set.insert(issued[i]);
    }
  }
};

const Fixture& Get() {
  static const Fixture fixture;
  return fixture;
}

std::string Signed(const std::string& key, const std::string& header, const std::string& payload) {
  std::string input =
      connecthub::Base64UrlEncode(header) + "." + connecthub::Base64UrlEncode(payload);
  return input + "." +
         connecthub::Base64UrlEncode(connecthub::AsStringView(connecthub::HmacSha256(key, input)));
}

bool IsLowerHex32(const std::string& s) {
  if (s.size() != 32) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

void CheckRejected(const connecthub::Result<connecthub::TokenClaims>& claims) {
  FUZZ_CHECK(!claims.ok());
  FUZZ_CHECK(claims.error().code == connecthub::ErrorCode::kInvalidToken);
  // The message says what is wrong, never the key.
  FUZZ_CHECK(claims.error().message.find("fuzzing key") == std::string::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Fixture& f = Get();
  FuzzedDataProvider in(data, size);
  switch (in.ConsumeIntegralInRange<int>(0, 3)) {
    case 0: {
      const std::string token = in.ConsumeRemainingBytesAsString();
      auto claims = f.signer.Verify(token, kNow);
      if (claims.ok()) {
        FUZZ_CHECK(f.issued_set.count(token) == 1);
      } else {
        CheckRejected(claims);
      }
      break;
    }
    case 1: {
      const std::string& original =
          f.issued[in.ConsumeIntegralInRange<size_t>(0, f.issued.size() - 1)];
      std::string token = original;
      const int edits = in.ConsumeIntegralInRange<int>(1, 8);
      for (int i = 0; i < edits && in.remaining_bytes() > 0; ++i) {
        const size_t at = in.ConsumeIntegralInRange<size_t>(0, token.size());
        const char byte = static_cast<char>(in.ConsumeIntegral<uint8_t>());
        switch (in.ConsumeIntegralInRange<int>(0, 3)) {
          case 0:
            if (at < token.size()) token[at] = byte;
            break;
          case 1:
            token.insert(token.begin() + static_cast<std::ptrdiff_t>(at), byte);
            break;
          case 2:
            if (at < token.size()) token.erase(at, 1);
            break;
          case 3:
            token.resize(at);
            break;
        }
      }
      auto claims = f.signer.Verify(token, kNow);
      if (claims.ok()) {
        FUZZ_CHECK(token == original);
      } else {
        FUZZ_CHECK(token != original);
        CheckRejected(claims);
      }
      break;
    }
    case 2: {
      const std::string header = in.ConsumeRandomLengthString(256);
      const std::string payload = in.ConsumeRemainingBytesAsString();
      auto claims = f.signer.Verify(Signed(kKey, header, payload), kNow);
      if (!claims.ok()) {
        CheckRejected(claims);
        break;
      }
      // Accepted: every claim the server relies on must be well formed.
      FUZZ_CHECK(header.find("HS256") != std::string::npos);
      FUZZ_CHECK(payload.find("access") != std::string::npos);
      FUZZ_CHECK(claims->user_id > 0);
      FUZZ_CHECK(claims->expires_at >
                 std::chrono::duration_cast<seconds>(kNow.time_since_epoch()).count());
      FUZZ_CHECK(IsLowerHex32(claims->jti));
      // The same token under another key is worthless.
      CheckRejected(f.other.Verify(Signed(kKey, header, payload), kNow));
      break;
    }
    case 3: {
      const std::string header = in.ConsumeRandomLengthString(256);
      const std::string payload = in.ConsumeRemainingBytesAsString();
      CheckRejected(f.signer.Verify(Signed(kOtherKey, header, payload), kNow));
      const std::string unsigned_token =
          connecthub::Base64UrlEncode(header) + "." + connecthub::Base64UrlEncode(payload) + ".";
      CheckRejected(f.signer.Verify(unsigned_token, kNow));
      break;
    }
  }
  return 0;
}
