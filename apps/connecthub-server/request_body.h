// Reading request bodies: the JSON object and its fields, with the contract's errors
// (invalid_json; invalid_request naming the missing or ill-typed field). Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connecthub/error.h"

namespace connecthub::server {

// The body as a JSON object: kInvalidJson if it is not JSON, kInvalidRequest if not an object.
Result<nlohmann::json> ParseJsonObject(const std::string& body);

// The first of `names` present in `object`, as a string: nullopt if none is present (or null),
// kInvalidRequest if it is not a string. With `allow_integer`, a JSON integer counts as its
// decimal digits (sms_code may be sent as 1234).
Result<std::optional<std::string>> OptionalStringField(const nlohmann::json& object,
                                                       const std::vector<std::string>& names,
                                                       bool allow_integer = false);
// As above, but a missing field is kInvalidRequest.
Result<std::string> RequiredStringField(const nlohmann::json& object, const std::string& name);

// The token of an `Authorization: Bearer <token>` header: kUnauthorized if there is none.
Result<std::string> BearerToken(const std::optional<std::string>& authorization);

}  // namespace connecthub::server
