#include <exception>
#include <iostream>
#include <string>

#include "commands.h"
#include "config_file.h"
#include "exit_codes.h"
#include "output.h"

namespace connecthub::cli {
namespace {

constexpr const char* kFooter =
    "--db, --config and --json may come before or after the command. db, secret-key and\n"
    "token-ttl come from the flag, else CONNECTHUB_DB, CONNECTHUB_SECRET_KEY, "
    "CONNECTHUB_TOKEN_TTL,\n"
    "else the config file (the service's; a missing default one is skipped), else the default.\n"
    "Exit status: 0 done, 1 internal or database error, 2 usage error, 3 not found, 4 conflict,\n"
    "5 invalid input. See connecthub-cli(1).\n";

Status RunCommand(Context& context) {
  try {
    return context.command(context);
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInternalError, std::string("internal error: ") + e.what());
  } catch (...) {
    return MakeError(ErrorCode::kInternalError, "internal error");
  }
}

}  // namespace

void AddGlobalOptions(CLI::App& app, Context& context) {
  app.description("Operate a connecthub database directly: users, tokens, invitations, upkeep");
  app.footer(kFooter);
  app.require_subcommand(1);
  app.fallthrough();  // subcommands hand --json and --db back to the app, after the command too
  app.set_version_flag("--version", CONNECTHUB_VERSION, "Print the version and exit");
  app.add_option("--db", context.options.db,
                 "SQLite database file, or a postgresql:// URI; created and migrated if missing")
      ->envname("CONNECTHUB_DB")
      ->type_name("PATH|URI")
      ->capture_default_str();
  app.add_option(
         "--config", context.options.config,
         "The service's config file: its db, secret-key and token-ttl apply unless a flag or "
         "the environment gives them")
      ->envname("CONNECTHUB_CONFIG")
      ->type_name("FILE")
      ->capture_default_str();
  // Hidden: a key on the command line is visible to every user in ps; the config file or
  // CONNECTHUB_SECRET_KEY are the ways to give it.
  app.add_option("--secret-key", context.options.secret_key, "HS256 key of the servers")
      ->envname("CONNECTHUB_SECRET_KEY")
      ->group("");
  app.add_flag("--json", context.options.json,
               R"(Print one JSON document in the API's shape; errors as {"error","message"})");
}

int Run(CLI::App& app, Context& context, int argc, char** argv) {
  Status configured = OkStatus();
  try {
    app.parse(argc, argv);
    configured = ApplyConfigFile(app, context);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);
    std::string message = e.what();
    // An unknown command is left over as an extra argument; say so rather than "required".
    if (app.get_subcommands().empty() && !app.remaining().empty()) {
      message = "unknown command '" + app.remaining().front() + "'";
    }
    PrintUsageError(std::cerr, app.get_option("--json")->count() > 0, message);
    return kExitUsage;
  }
  Status status = configured.ok() ? RunCommand(context) : configured;
  if (status.ok()) return kExitOk;
  PrintError(std::cerr, context.options.json, status.error());
  return ExitStatusFor(status.error().code);
}

}  // namespace connecthub::cli
