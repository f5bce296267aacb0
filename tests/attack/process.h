// Child processes for the attack tests: the real connecthub-server binary, run in the background
// with its log going to a file (so a test can SIGKILL it, restart it and read its log), and
// short-lived programs such as connecthub-cli, run to completion with their output captured.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace connecthub::testing {

struct ProgramResult {
  int status = -1;  // exit status, or 128 + signal
  std::string out;
  std::string err;
};

// Runs `argv` to completion; `scratch_dir` holds its captured output.
ProgramResult RunProgram(const std::vector<std::string>& argv, const std::string& scratch_dir);

// The built connecthub-server with `args`, its stdout and stderr appended to `log_path`.
class ServerProcess {
 public:
  // Starts the server and waits until its start-up log says where it listens (pass --port 0).
  // Throws std::runtime_error if it exits or does not start within 60 s.
  ServerProcess(const std::vector<std::string>& args, std::string log_path);
  // SIGTERM and wait, SIGKILL if it lingers.
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Sends `signal` and waits for the exit; returns the exit status (128 + signal if killed).
  int Stop(int signal);
  // Resident memory from /proc/<pid>/status, in KiB.
  long RssKiB() const;
  // Everything the server wrote to its log so far.
  std::string Log() const;

 private:
  std::string log_path_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

// The path of the built connecthub-server and connecthub-cli.
std::string ServerPath();
std::string CliPath();

}  // namespace connecthub::testing
