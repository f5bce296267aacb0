#include "request_body.h"

#include <strings.h>

namespace connecthub::server {

Result<nlohmann::json> ParseJsonObject(const std::string& body) {
  nlohmann::json json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    return MakeError(ErrorCode::kInvalidJson, "The request body is not valid JSON.");
  }
  if (!json.is_object()) {
    return MakeError(ErrorCode::kInvalidRequest, "The request body must be a JSON object.");
  }
  return json;
}

Result<std::optional<std::string>> OptionalStringField(const nlohmann::json& object,
                                                       const std::vector<std::string>& names,
                                                       bool allow_integer) {
  for (const std::string& name : names) {
    auto it = object.find(name);
    if (it == object.end() || it->is_null()) continue;
    if (it->is_string()) return std::optional<std::string>(it->get<std::string>());
    if (allow_integer && it->is_number_integer()) {
      return std::optional<std::string>(it->dump());
    }
    return MakeError(ErrorCode::kInvalidRequest,
                     "The field \"" + name + "\" must be a " +
                         (allow_integer ? "string or an integer." : "string."));
  }
  return std::optional<std::string>();
}

Result<std::string> RequiredStringField(const nlohmann::json& object, const std::string& name) {
  auto value = OptionalStringField(object, {name});
  if (!value.ok()) return value.error();
  if (!value->has_value()) {
    return MakeError(ErrorCode::kInvalidRequest, "The field \"" + name + "\" is required.");
  }
  return std::move(**value);
}

Result<std::string> BearerToken(const std::optional<std::string>& authorization) {
  constexpr std::string_view kScheme = "Bearer ";
  if (!authorization || authorization->size() <= kScheme.size() ||
      strncasecmp(authorization->c_str(), kScheme.data(), kScheme.size()) != 0) {
    return MakeError(ErrorCode::kUnauthorized,
                     "This endpoint needs an access token: Authorization: Bearer <token>.");
  }
  std::string token = authorization->substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.erase(0, 1);
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.pop_back();
  if (token.empty()) {
    return MakeError(ErrorCode::kUnauthorized,
                     "This endpoint needs an access token: Authorization: Bearer <token>.");
  }
  return token;
}

}  // namespace connecthub::server
