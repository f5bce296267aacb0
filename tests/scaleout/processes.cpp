#include "processes.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace connecthub::testing {
namespace {

// A port that was free a moment ago (the server binds it next; a clash fails the start loudly).
uint16_t FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw std::runtime_error("no free port");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

// Our environment without CONNECTHUB_* (the servers take options from there).
std::vector<char*> CleanEnvironment() {
  std::vector<char*> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "CONNECTHUB_", 11) != 0) env.push_back(*e);
  }
  env.push_back(nullptr);
  return env;
}

// Forks and execs `argv`; the child's stdout goes to `out_fd` (if >= 0) and its stderr to
// `err_fd` (if >= 0).
pid_t Spawn(const std::vector<std::string>& argv, int out_fd, int err_fd) {
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  std::vector<char*> env = CleanEnvironment();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (out_fd >= 0) ::dup2(out_fd, STDOUT_FILENO);
    if (err_fd >= 0) ::dup2(err_fd, STDERR_FILENO);
    ::execve(args[0], args.data(), env.data());
    ::_exit(127);
  }
  return pid;
}

int ExitStatus(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

ServerProcess::ServerProcess(const std::string& db, const std::vector<std::string>& extra) {
  port_ = FreePort();
  std::vector<std::string> argv{CONNECTHUB_SERVER_PATH,
                                "--db",
                                db,
                                "--port",
                                std::to_string(port_),
                                "--threads",
                                "4",
                                "--sms-delay",
                                "0",
                                "--ip-rate-limit",
                                "0"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  const int log = ::open(dir_.File("server.log").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  pid_ = Spawn(argv, log, log);
  ::close(log);
  httplib::Client client("127.0.0.1", port_);
  client.set_connection_timeout(1, 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("connecthub-server exited at start: " + Log());
    }
    if (auto answer = client.Get("/healthz"); answer && answer->status == 200) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a process starting up
  }
  throw std::runtime_error("connecthub-server did not become healthy: " + Log());
}

ServerProcess::~ServerProcess() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 500; ++i) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
}

std::string ServerProcess::Log() const {
  std::ifstream file(dir_.File("server.log"));
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

CommandResult RunCli(const std::vector<std::string>& args) {
  std::vector<std::string> argv{CONNECTHUB_CLI_PATH};
  argv.insert(argv.end(), args.begin(), args.end());
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = Spawn(argv, pipe_fds[1], -1);
  ::close(pipe_fds[1]);
  CommandResult result;
  char buffer[4096];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof(buffer))) > 0;)
    result.out.append(buffer, n);
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.status = ExitStatus(status);
  return result;
}

bool RunCluster(const std::string& command, const std::string& state_dir) {
  const pid_t pid = Spawn({"/bin/bash", CONNECTHUB_PG_CLUSTER, command, state_dir}, -1, -1);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return ExitStatus(status) == 0;
}

}  // namespace connecthub::testing
