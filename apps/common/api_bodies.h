// The JSON bodies of the API that both programs print: connecthub-server answers with them and
// `connecthub-cli --json` prints the same, so that scripts can parse either alike.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "connecthub/auth.h"
#include "connecthub/model.h"

namespace connecthub {

// A string, or null when absent.
nlohmann::ordered_json StringOrNull(const std::optional<std::string>& value);
// Login step 2's body.
nlohmann::ordered_json SessionBody(const Session& session);
// Register step 2's body: the session's, plus user_id and invitation_code.
nlohmann::ordered_json RegisteredBody(const Session& session);
// GET and PATCH /api/clients/profile/.
nlohmann::ordered_json ProfileBody(const Profile& profile);

}  // namespace connecthub
