#include "output.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <nlohmann/json.hpp>
#include <ostream>
#include <utility>

#include "api_bodies.h"

namespace connecthub::cli {
namespace {

using Json = nlohmann::ordered_json;

struct Field {
  std::string label;
  std::string value;
};

// Labels padded to one column; a field with several values continues on lines of its own.
void PrintFields(std::ostream& out, const std::vector<Field>& fields) {
  size_t width = 0;
  for (const Field& f : fields) width = std::max(width, f.label.size());
  for (const Field& f : fields) out << fmt::format("{:<{}}  {}\n", f.label, width, f.value);
}

void PrintTable(std::ostream& out, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths(header.size());
  for (size_t i = 0; i < header.size(); ++i) widths[i] = header[i].size();
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  auto print_row = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t i = 0; i < cells.size(); ++i) {
      line += i + 1 < cells.size() ? fmt::format("{:<{}}  ", cells[i], widths[i]) : cells[i];
    }
    out << line << '\n';
  };
  print_row(header);
  for (const auto& row : rows) print_row(row);
}

std::string OrDash(const std::optional<std::string>& value) { return value.value_or("-"); }

std::vector<Field> SessionFields(const Session& session) {
  return {{"id", std::to_string(session.user.id)},
          {"phone", session.user.phone},
          {"invitation code", session.user.invitation_code},
          {"access token", session.access_token},
          {"token type", "Bearer"},
          {"expires in", fmt::format("{} s", session.expires_in.count())}};
}

}  // namespace

std::string IsoTime(int64_t unix_millis) {
  const auto seconds = static_cast<std::time_t>(unix_millis / 1000);
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(seconds));
}

void Output::Registered(const Session& session) {
  if (json_) {
    out_ << RegisteredBody(session).dump() << '\n';
    return;
  }
  PrintFields(out_, SessionFields(session));
}

void Output::LoggedIn(const Session& session) {
  if (json_) {
    out_ << SessionBody(session).dump() << '\n';
    return;
  }
  PrintFields(out_, SessionFields(session));
}

void Output::ShowProfile(const Profile& profile) {
  if (json_) {
    out_ << ProfileBody(profile).dump() << '\n';
    return;
  }
  std::vector<Field> fields = {
      {"id", std::to_string(profile.id)},
      {"phone", profile.phone},
      {"invitation code", profile.invitation_code},
      {"activated code", OrDash(profile.someone_invitation_code)},
      {"invited", std::to_string(profile.connections_invited_clients.size())}};
  for (const std::string& phone : profile.connections_invited_clients)
    fields.push_back({"", phone});
  PrintFields(out_, fields);
}

void Output::Invitees(const std::vector<Invitee>& invitees) {
  if (json_) {
    Json body = Json::array();
    for (const Invitee& i : invitees) {
      body.push_back({{"id", i.id}, {"phone", i.phone}, {"activated_at", IsoTime(i.activated_at)}});
    }
    out_ << body.dump() << '\n';
    return;
  }
  if (invitees.empty()) {
    out_ << "nobody has activated this user's invitation code yet\n";
    return;
  }
  std::vector<std::vector<std::string>> rows;
  rows.reserve(invitees.size());
  for (const Invitee& i : invitees) {
    rows.push_back({std::to_string(i.id), i.phone, IsoTime(i.activated_at)});
  }
  PrintTable(out_, {"ID", "PHONE", "ACTIVATED AT"}, rows);
}

void Output::Users(const std::vector<UserSummary>& users) {
  if (json_) {
    Json body = Json::array();
    for (const UserSummary& u : users) {
      body.push_back({{"id", u.id},
                      {"phone", u.phone},
                      {"invitation_code", u.invitation_code},
                      {"someone_invitation_code", StringOrNull(u.someone_invitation_code)},
                      {"created_at", IsoTime(u.created_at)},
                      {"invited_count", u.invited_count}});
    }
    out_ << body.dump() << '\n';
    return;
  }
  if (users.empty()) {
    out_ << "no users\n";
    return;
  }
  std::vector<std::vector<std::string>> rows;
  rows.reserve(users.size());
  for (const UserSummary& u : users) {
    rows.push_back({std::to_string(u.id), u.phone, u.invitation_code,
                    OrDash(u.someone_invitation_code), IsoTime(u.created_at),
                    std::to_string(u.invited_count)});
  }
  PrintTable(out_, {"ID", "PHONE", "CODE", "ACTIVATED", "CREATED AT", "INVITED"}, rows);
}

void Output::ShowStats(const Stats& stats) {
  if (json_) {
    Json body = {{"users", stats.users},
                 {"activations", stats.activations},
                 {"pending_codes", stats.pending_codes}};
    out_ << body.dump() << '\n';
    return;
  }
  PrintFields(out_, {{"users", std::to_string(stats.users)},
                     {"activations", std::to_string(stats.activations)},
                     {"pending codes", std::to_string(stats.pending_codes)}});
}

void Output::Revoked(const User& user) {
  if (json_) {
    out_ << Json{{"id", user.id}, {"phone", user.phone}, {"revoked", true}}.dump() << '\n';
    return;
  }
  out_ << fmt::format("revoked every token issued so far to {} (id {})\n", user.phone, user.id);
}

void Output::Purged(int64_t deleted) {
  if (json_) {
    out_ << Json{{"deleted", deleted}}.dump() << '\n';
    return;
  }
  out_ << fmt::format("deleted {} dead code{}\n", deleted, deleted == 1 ? "" : "s");
}

void Output::BackedUp(const std::string& path) {
  if (json_) {
    out_ << Json{{"backup", path}}.dump() << '\n';
    return;
  }
  out_ << fmt::format("backup written to {}\n", path);
}

void PrintError(std::ostream& err, bool json, const Error& error) {
  if (json) {
    err << Json{{"error", ErrorCodeName(error.code)}, {"message", error.message}}.dump() << '\n';
  } else {
    err << "connecthub-cli: error: " << error.message << '\n';
  }
}

void PrintUsageError(std::ostream& err, bool json, const std::string& message) {
  PrintError(err, json, MakeError(ErrorCode::kInvalidRequest, message));
}

}  // namespace connecthub::cli
