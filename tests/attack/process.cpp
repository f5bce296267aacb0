#include "process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace connecthub::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The environment without CONNECTHUB_* settings, so the machine's configuration never leaks in.
std::vector<char*> CleanEnvironment() {
  std::vector<char*> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string_view(*e).starts_with("CONNECTHUB_")) continue;
    env.push_back(*e);
  }
  env.push_back(nullptr);
  return env;
}

pid_t Spawn(const std::vector<std::string>& argv, const std::string& out_path,
            const std::string& err_path, bool append) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const int flags = O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(), flags, 0600);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(), flags, 0600);
  pid_t pid = -1;
  auto env = CleanEnvironment();
  int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
  return pid;
}

int Wait(pid_t pid, int options = 0) {
  int status = 0;
  pid_t r;
  while ((r = waitpid(pid, &status, options)) < 0 && errno == EINTR) {
  }
  if (r == 0) return -1;  // still running (WNOHANG)
  if (r < 0) return -2;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

std::string ServerPath() { return CONNECTHUB_SERVER_PATH; }
std::string CliPath() { return CONNECTHUB_CLI_PATH; }

ProgramResult RunProgram(const std::vector<std::string>& argv, const std::string& scratch_dir) {
  static std::atomic<int> counter{0};
  const std::string base =
      scratch_dir + "/run-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
  pid_t pid = Spawn(argv, base + ".out", base + ".err", false);
  ProgramResult result;
  result.status = Wait(pid);
  result.out = ReadFile(base + ".out");
  result.err = ReadFile(base + ".err");
  unlink((base + ".out").c_str());
  unlink((base + ".err").c_str());
  return result;
}

ServerProcess::ServerProcess(const std::vector<std::string>& args, std::string log_path)
    : log_path_(std::move(log_path)) {
  std::vector<std::string> argv = {ServerPath()};
  argv.insert(argv.end(), args.begin(), args.end());
  const size_t log_start = ReadFile(log_path_).size();
  pid_ = Spawn(argv, log_path_, log_path_, true);
  // The start-up log line names the bound port: "listening on http://127.0.0.1:PORT".
  const std::string marker = "listening on http://";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    std::string log = ReadFile(log_path_).substr(log_start);
    if (size_t at = log.find(marker); at != std::string::npos) {
      size_t colon = log.find(':', at + marker.size());
      port_ = static_cast<uint16_t>(std::stoi(log.substr(colon + 1)));
      return;
    }
    if (int status = Wait(pid_, WNOHANG); status >= 0) {
      pid_ = -1;
      throw std::runtime_error("connecthub-server exited with status " + std::to_string(status) +
                               ": " + log);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling for start-up only
  }
  Stop(SIGKILL);
  throw std::runtime_error("connecthub-server did not start within 60 s");
}

ServerProcess::~ServerProcess() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  for (int i = 0; i < 500; ++i) {
    if (Wait(pid_, WNOHANG) != -1) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // graceful shutdown, bounded
  }
  Stop(SIGKILL);
}

int ServerProcess::Stop(int signal) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  int status = Wait(pid_);
  pid_ = -1;
  return status;
}

long ServerProcess::RssKiB() const {
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

std::string ServerProcess::Log() const { return ReadFile(log_path_); }

}  // namespace connecthub::testing
