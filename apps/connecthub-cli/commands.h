// The commands of connecthub-cli, one group per file. Each Add* function declares its subcommands
// on `app`; parsing one sets `context.command`, which run.cpp calls after the whole command line
// is parsed (so --json may follow the command).
#pragma once

#include <CLI/CLI.hpp>

#include "context.h"

namespace connecthub::cli {

// --db, --config, --json, --version (and the hidden --secret-key).
void AddGlobalOptions(CLI::App& app, Context& context);
// register, login, profile, users.
void AddUserCommands(CLI::App& app, Context& context);
// invite, list-invited.
void AddInviteCommands(CLI::App& app, Context& context);
// stats, revoke, purge-codes, backup.
void AddAdminCommands(CLI::App& app, Context& context);

// Makes `action` the command to run when `command` is parsed.
inline void SetAction(CLI::App* command, Context& context, Status (*action)(Context&)) {
  command->callback([&context, action] { context.command = action; });
}

// The PHONE argument that most commands take.
inline void AddPhone(CLI::App* command, Context& context) {
  command
      ->add_option("PHONE", context.args.phone,
                   "Phone number in international form, e.g. +79912345678 (spaces, dashes, dots "
                   "and parentheses are ignored)")
      ->type_name("")
      ->required();
}

// Parses the command line and runs the chosen command; returns the exit status.
int Run(CLI::App& app, Context& context, int argc, char** argv);

}  // namespace connecthub::cli
