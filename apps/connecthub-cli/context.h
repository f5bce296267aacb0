// What every command of connecthub-cli shares: the global options, and the database and services,
// opened only when a command first needs them so that --help and usage errors touch no file.
// One per process; not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "connecthub/auth.h"
#include "connecthub/clock.h"
#include "connecthub/error.h"
#include "connecthub/random.h"
#include "connecthub/settings.h"
#include "connecthub/storage.h"

namespace connecthub::cli {

// Where the Debian package installs the server's config (root:connecthub 0640).
inline constexpr const char* kDefaultConfigFile = "/etc/connecthub/connecthub.conf";

struct Options {
  std::string config = kDefaultConfigFile;
  std::string db = "connecthub.db";
  std::string secret_key;  // empty: the key kept in the database
  bool json = false;
  std::chrono::seconds token_ttl = AuthSettings{}.token_ttl;
};

// The arguments of the chosen command.
struct Arguments {
  std::string phone;
  std::string code;
  std::string file;
  int64_t limit = 50;
  int64_t offset = 0;
};

class Context {
 public:
  Options options;
  Arguments args;
  // The command chosen on the command line, set while parsing and run after it.
  std::function<Status(Context&)> command;

  Result<Storage*> Db();
  // The auth service over Db(), with the key the server uses: the configured secret key (flag,
  // CONNECTHUB_SECRET_KEY or the config file) if any, else the key kept in the database.
  Result<AuthService*> Auth();
  Clock& clock() { return clock_; }

 private:
  SystemClock clock_;
  CryptoRandom random_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<AuthService> auth_;
};

}  // namespace connecthub::cli
