// The server key: HS256 signing key of the tokens and, derived from it, the key of the SMS code
// hashes. Given by configuration, or made once with the CSPRNG and kept in the database so every
// process on that database agrees.
#pragma once

#include <optional>
#include <string>

#include "connecthub/error.h"
#include "connecthub/random.h"
#include "connecthub/storage.h"

namespace connecthub {

inline constexpr size_t kMinSecretKeySize = 32;

// kInvalidRequest if a configured key is shorter than kMinSecretKeySize bytes.
Result<std::string> LoadSecretKey(Storage& storage, Random& random,
                                  const std::optional<std::string>& configured);

}  // namespace connecthub
