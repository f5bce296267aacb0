#include <iostream>

#include "commands.h"
#include "connecthub/admin.h"
#include "connecthub/auth.h"
#include "output.h"

namespace connecthub::cli {
namespace {

Status ShowStats(Context& c) {
  auto db = c.Db();
  if (!db) return db.error();
  auto stats = GetStats(**db, c.clock());
  if (!stats) return stats.error();
  Output(std::cout, c.options.json).ShowStats(*stats);
  return OkStatus();
}

Status Revoke(Context& c) {
  auto auth = c.Auth();
  if (!auth) return auth.error();
  auto user = (*auth)->RevokeTokens(c.args.phone);
  if (!user) return user.error();
  Output(std::cout, c.options.json).Revoked(*user);
  return OkStatus();
}

Status Purge(Context& c) {
  auto db = c.Db();
  if (!db) return db.error();
  auto deleted = PurgeCodes(**db, c.clock());
  if (!deleted) return deleted.error();
  Output(std::cout, c.options.json).Purged(*deleted);
  return OkStatus();
}

Status Backup(Context& c) {
  auto db = c.Db();
  if (!db) return db.error();
  if (Status done = (*db)->Backup(c.args.file); !done) return done.error();
  Output(std::cout, c.options.json).BackedUp(c.args.file);
  return OkStatus();
}

}  // namespace

void AddAdminCommands(CLI::App& app, Context& context) {
  CLI::App* stats = app.add_subcommand(
      "stats", "Count users, activated invitations and pending (live, unexpired) SMS codes");
  SetAction(stats, context, ShowStats);

  CLI::App* revoke = app.add_subcommand(
      "revoke", "Make every token issued to PHONE so far invalid, at every server on the database");
  AddPhone(revoke, context);
  SetAction(revoke, context, Revoke);

  CLI::App* purge = app.add_subcommand(
      "purge-codes", "Delete expired, used and burned SMS codes and old rate-limit entries (cron)");
  SetAction(purge, context, Purge);

  CLI::App* backup = app.add_subcommand(
      "backup", "Write a consistent copy of the live database to FILE (safe while servers write)");
  backup->add_option("FILE", context.args.file, "Where to write the copy")
      ->type_name("")
      ->required();
  SetAction(backup, context, Backup);
}

}  // namespace connecthub::cli
