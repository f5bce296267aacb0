#include "connecthub/keys.h"

#include "connecthub/crypto.h"

namespace connecthub {

namespace {
constexpr const char* kSecretKeySetting = "secret_key";
}

Result<std::string> LoadSecretKey(Storage& storage, Random& random,
                                  const std::optional<std::string>& configured) {
  if (configured) {
    if (configured->size() < kMinSecretKeySize) {
      return MakeError(ErrorCode::kInvalidRequest, "the secret key must be at least 32 bytes long");
    }
    return *configured;
  }
  std::string fresh(kMinSecretKeySize, '\0');
  random.Fill(reinterpret_cast<uint8_t*>(fresh.data()), fresh.size());
  // Kept as hex so the settings table holds text on every backend.
  auto stored = storage.Write([&](Tx& tx) -> Result<std::string> {
    return tx.GetOrPutSetting(kSecretKeySetting, ToHex(fresh));
  });
  if (!stored.ok()) return stored.error();
  return *stored;
}

}  // namespace connecthub
