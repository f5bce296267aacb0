// connecthub-cli: the operator's tool. It works on the database directly through the core, safely
// while servers run on it; every rule lives in the core, this program only maps arguments to calls
// and results to output and exit statuses.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "commands.h"
#include "context.h"
#include "exit_codes.h"

int main(int argc, char** argv) try {
  CLI::App app{"", "connecthub-cli"};
  connecthub::cli::Context context;
  connecthub::cli::AddGlobalOptions(app, context);
  connecthub::cli::AddUserCommands(app, context);
  connecthub::cli::AddInviteCommands(app, context);
  connecthub::cli::AddAdminCommands(app, context);
  return connecthub::cli::Run(app, context, argc, argv);
} catch (const std::exception& e) {
  std::cerr << "connecthub-cli: error: internal error: " << e.what() << '\n';
  return connecthub::cli::kExitInternal;
}
