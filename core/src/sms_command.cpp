#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
// glibc 2.36 (Debian 12) declares pidfd_open without extern "C".
extern "C" {
#include <sys/pidfd.h>
}
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "connecthub/sms.h"

extern char** environ;

namespace connecthub {

namespace {

// The reason goes to the server's log; the client is only told that the SMS could not be sent.
Error DeliveryFailed(std::string reason) {
  return MakeError(ErrorCode::kServiceUnavailable, std::move(reason), std::chrono::seconds{5});
}

// Waits for `pid` for at most `timeout`; kills it past that. Returns its wait status, or -1;
// `timed_out` tells whether it had to be killed.
int WaitWithTimeout(pid_t pid, std::chrono::milliseconds timeout, bool& timed_out) {
  int status = -1;
  timed_out = false;
  int fd = pidfd_open(pid, 0);
  if (fd >= 0) {
    pollfd p{fd, POLLIN, 0};
    int ready;
    do {
      ready = poll(&p, 1, static_cast<int>(timeout.count()));
    } while (ready < 0 && errno == EINTR);
    close(fd);
    if (ready == 0) {
      timed_out = true;
      kill(pid, SIGKILL);
    }
  }
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

}  // namespace

CommandSmsSender::CommandSmsSender(std::vector<std::string> argv, std::chrono::milliseconds timeout)
    : argv_(std::move(argv)), timeout_(timeout) {}

Status CommandSmsSender::Send(const SmsMessage& message) {
  if (argv_.empty()) return DeliveryFailed("no delivery command is configured");
  std::vector<std::string> env_strings = {
      "CONNECTHUB_PHONE=" + message.phone,
      "CONNECTHUB_CODE=" + message.code,
      "CONNECTHUB_PURPOSE=" + std::string(PurposeName(message.purpose)),
  };
  std::vector<char*> envp;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    if (entry.starts_with("CONNECTHUB_PHONE=") || entry.starts_with("CONNECTHUB_CODE=") ||
        entry.starts_with("CONNECTHUB_PURPOSE=") || entry.starts_with("CONNECTHUB_SECRET_KEY=")) {
      continue;
    }
    envp.push_back(*e);
  }
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<char*> args;
  for (const auto& a : argv_) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return DeliveryFailed(
        fmt::format("the delivery command could not be started: {}", std::strerror(rc)));
  }
  bool timed_out = false;
  int status = WaitWithTimeout(pid, timeout_, timed_out);
  if (timed_out) {
    return DeliveryFailed(fmt::format(
        "the delivery command did not finish within {} ms and was killed", timeout_.count()));
  }
  if (status == -1) return DeliveryFailed("the delivery command could not be waited for");
  if (WIFSIGNALED(status)) {
    return DeliveryFailed(
        fmt::format("the delivery command was killed by signal {}", WTERMSIG(status)));
  }
  if (WEXITSTATUS(status) != 0) {
    return DeliveryFailed(
        fmt::format("the delivery command exited with status {}", WEXITSTATUS(status)));
  }
  return OkStatus();
}

}  // namespace connecthub
