// How connecthub-cli prints: for people, aligned fields and tables; with --json, one JSON document
// on stdout in exactly the API's shapes, and errors as the API's error object on stderr.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "connecthub/auth.h"
#include "connecthub/error.h"
#include "connecthub/model.h"

namespace connecthub::cli {

// ISO 8601 UTC to the second, e.g. "2026-11-25T10:15:30Z".
std::string IsoTime(int64_t unix_millis);

class Output {
 public:
  Output(std::ostream& out, bool json) : out_(out), json_(json) {}

  void Registered(const Session& session);
  void LoggedIn(const Session& session);
  void ShowProfile(const Profile& profile);
  void Invitees(const std::vector<Invitee>& invitees);
  void Users(const std::vector<UserSummary>& users);
  void ShowStats(const Stats& stats);
  void Revoked(const User& user);
  void Purged(int64_t deleted);
  void BackedUp(const std::string& path);

 private:
  std::ostream& out_;
  bool json_;
};

// One line on `err`: "connecthub-cli: error: <message>", or with `json` {"error","message"}.
void PrintError(std::ostream& err, bool json, const Error& error);
// A command-line error, which has no code in the API's vocabulary: "invalid_request" with --json.
void PrintUsageError(std::ostream& err, bool json, const std::string& message);

}  // namespace connecthub::cli
