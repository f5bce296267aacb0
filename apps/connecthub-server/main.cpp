// connecthub-server: parse the options, serve until SIGINT/SIGTERM, shut down gracefully.
#include <signal.h>
#include <sys/resource.h>

#include <cstdio>

#include "server.h"

namespace {

// Thousands of simultaneous connections need more descriptors than the usual soft limit of 1024.
void RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

int main(int argc, char** argv) {
  using connecthub::server::Server;
  auto parsed = connecthub::server::ParseOptions(argc, argv);
  if (!parsed.options) return parsed.exit_code;

  // Block the signals in every thread (the workers inherit the mask); main waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  RaiseFileLimit();

  auto server = Server::Create(std::move(*parsed.options));
  if (!server.ok()) {
    std::fprintf(stderr, "connecthub-server: error: %s\n", server.error().message.c_str());
    return server.error().code == connecthub::ErrorCode::kInvalidRequest ? 2 : 1;
  }
  try {
    (*server)->Start();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "connecthub-server: error: cannot listen on %s:%u: %s\n",
                 (*server)->options().host.c_str(), (*server)->options().port, e.what());
    return 1;
  }
  int received = 0;
  sigwait(&signals, &received);
  (*server)->Shutdown();
  server->reset();  // closes the database
  return 0;
}
