// The records of connecthub's domain, as plain values shared by the services, the storage and the
// apps. Times are Unix milliseconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace connecthub {

// What a code was requested for: each purpose has its own code per phone.
enum class Purpose { kRegister, kLogin };
std::string_view PurposeName(Purpose purpose);  // "register" / "login"

struct User {
  int64_t id = 0;
  std::string phone;
  std::string invitation_code;
  std::optional<int64_t> invited_by;    // owner of the code this user activated
  std::optional<int64_t> activated_at;  // when that code was activated
  int64_t created_at = 0;
  int64_t token_version = 0;  // revocation counter; tokens carry it
};

// The state of the last code sent to one phone for one purpose. Only its keyed hash is kept.
struct CodeRecord {
  std::string code_hash;  // HMAC-SHA256 of purpose, phone and code under the code key
  int64_t sent_at = 0;
  int64_t expires_at = 0;
  int attempts = 0;   // wrong tries so far
  bool live = false;  // false once used, burned or withdrawn
};

struct Invitee {
  int64_t id = 0;
  std::string phone;
  int64_t activated_at = 0;
};

struct Profile {
  int64_t id = 0;
  std::string phone;
  std::string invitation_code;
  std::optional<std::string> someone_invitation_code;
  std::vector<std::string> connections_invited_clients;  // oldest activation first
};

struct UserSummary {
  int64_t id = 0;
  std::string phone;
  std::string invitation_code;
  std::optional<std::string> someone_invitation_code;
  int64_t created_at = 0;
  int64_t invited_count = 0;
};

struct Stats {
  int64_t users = 0;
  int64_t activations = 0;
  int64_t pending_codes = 0;  // live and not expired
};

}  // namespace connecthub
