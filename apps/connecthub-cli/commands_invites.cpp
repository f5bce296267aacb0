#include <iostream>

#include "commands.h"
#include "connecthub/auth.h"
#include "connecthub/invites.h"
#include "output.h"

namespace connecthub::cli {
namespace {

Status Invite(Context& c) {
  auto db = c.Db();
  if (!db) return db.error();
  auto user = FindUserByPhone(**db, c.args.phone);
  if (!user) return user.error();
  auto profile = InviteService(**db, c.clock()).Activate(user->id, c.args.code);
  if (!profile) return profile.error();
  Output(std::cout, c.options.json).ShowProfile(*profile);
  return OkStatus();
}

Status ListInvited(Context& c) {
  auto db = c.Db();
  if (!db) return db.error();
  auto user = FindUserByPhone(**db, c.args.phone);
  if (!user) return user.error();
  auto invitees = InviteService(**db, c.clock()).ListInvited(user->id);
  if (!invitees) return invitees.error();
  Output(std::cout, c.options.json).Invitees(*invitees);
  return OkStatus();
}

}  // namespace

void AddInviteCommands(CLI::App& app, Context& context) {
  CLI::App* invite = app.add_subcommand(
      "invite",
      "Activate another user's invitation CODE for PHONE, with the same checks as the API");
  AddPhone(invite, context);
  invite->add_option("CODE", context.args.code, "Invitation code to activate (6 letters or digits)")
      ->type_name("")
      ->required();
  SetAction(invite, context, Invite);

  CLI::App* list = app.add_subcommand(
      "list-invited", "List the users who activated PHONE's invitation code, oldest first");
  AddPhone(list, context);
  SetAction(list, context, ListInvited);
}

}  // namespace connecthub::cli
