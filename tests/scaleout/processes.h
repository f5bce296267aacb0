// Real connecthub-server and connecthub-cli processes for the scale-out tests: a server started on
// a free port of 127.0.0.1 and stopped (SIGTERM) when the object goes, and a CLI run to the end.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace connecthub::testing {

class ServerProcess {
 public:
  // Starts connecthub-server --db `db` with no SMS delay and no per-address rate limit, plus
  // `extra` options, and waits until it answers /healthz.
  explicit ServerProcess(const std::string& db, const std::vector<std::string>& extra = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  uint16_t port() const { return port_; }
  // What the server wrote to stdout and stderr so far.
  std::string Log() const;

 private:
  TempDir dir_;
  uint16_t port_ = 0;
  pid_t pid_ = -1;
};

struct CommandResult {
  int status = -1;
  std::string out;
};

// connecthub-cli with `args`; stderr goes to the test's stderr.
CommandResult RunCli(const std::vector<std::string>& args);

// tests/pg/cluster.sh `command` `state_dir`; true if it succeeded.
bool RunCluster(const std::string& command, const std::string& state_dir);

}  // namespace connecthub::testing
