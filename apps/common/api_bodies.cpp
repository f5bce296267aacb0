#include "api_bodies.h"

namespace connecthub {

using json = nlohmann::ordered_json;

json StringOrNull(const std::optional<std::string>& value) {
  return value ? json(*value) : json(nullptr);
}

json SessionBody(const Session& session) {
  return {{"id", session.user.id},
          {"phone", session.user.phone},
          {"access_token", session.access_token},
          {"token_type", "Bearer"},
          {"expires_in", session.expires_in.count()}};
}

json RegisteredBody(const Session& session) {
  json body = SessionBody(session);
  body["user_id"] = session.user.id;
  body["invitation_code"] = session.user.invitation_code;
  return body;
}

json ProfileBody(const Profile& profile) {
  return {{"id", profile.id},
          {"phone", profile.phone},
          {"invitation_code", profile.invitation_code},
          {"someone_invitation_code", StringOrNull(profile.someone_invitation_code)},
          {"connections_invited_clients", profile.connections_invited_clients}};
}

}  // namespace connecthub
