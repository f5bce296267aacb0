#include <chrono>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <map>
#include <string>

#include "commands.h"
#include "connecthub/admin.h"
#include "connecthub/auth.h"
#include "connecthub/invites.h"
#include "output.h"

namespace connecthub::cli {
namespace {

constexpr double kMaxTokenTtlSeconds = 366.0 * 24 * 3600;

Status Register(Context& c) {
  auto auth = c.Auth();
  if (!auth) return auth.error();
  auto session = (*auth)->RegisterWithoutCode(c.args.phone);
  if (!session) return session.error();
  Output(std::cout, c.options.json).Registered(*session);
  return OkStatus();
}

Status Login(Context& c) {
  auto auth = c.Auth();
  if (!auth) return auth.error();
  auto session = (*auth)->LoginWithoutCode(c.args.phone);
  if (!session) return session.error();
  Output(std::cout, c.options.json).LoggedIn(*session);
  return OkStatus();
}

Status ShowProfile(Context& c) {
  auto db = c.Db();
  if (!db) return db.error();
  auto user = FindUserByPhone(**db, c.args.phone);
  if (!user) return user.error();
  auto profile = InviteService(**db, c.clock()).GetProfile(user->id);
  if (!profile) return profile.error();
  Output(std::cout, c.options.json).ShowProfile(*profile);
  return OkStatus();
}

Status ListAllUsers(Context& c) {
  auto db = c.Db();
  if (!db) return db.error();
  auto users = ListUsers(**db, c.args.limit, c.args.offset);
  if (!users) return users.error();
  Output(std::cout, c.options.json).Users(*users);
  return OkStatus();
}

void AddTokenTtl(CLI::App* command, Context& context) {
  command
      ->add_option_function<double>(
          "--token-ttl",
          [&context](double seconds) {
            context.options.token_ttl = std::chrono::seconds{std::llround(seconds)};
          },
          "Lifetime of the access token: a number with a unit (ms, s, m, h), a bare number is "
          "seconds; default 1h")
      ->envname("CONNECTHUB_TOKEN_TTL")
      ->type_name("DURATION")
      ->transform(
          CLI::AsNumberWithUnit(
              std::map<std::string, double>{{"ms", 0.001}, {"s", 1.0}, {"m", 60.0}, {"h", 3600.0}},
              CLI::AsNumberWithUnit::CASE_SENSITIVE)
              .description(""))
      ->check(CLI::Validator(
          [](const std::string& seconds) {
            double value = std::stod(seconds);
            return value >= 1.0 && value <= kMaxTokenTtlSeconds ? ""
                                                                : "must be from 1s to 366 days";
          },
          ""));
}

}  // namespace

void AddUserCommands(CLI::App& app, Context& context) {
  CLI::App* reg = app.add_subcommand(
      "register", "Create the user (the operator needs no SMS code) and issue an access token");
  AddPhone(reg, context);
  AddTokenTtl(reg, context);
  SetAction(reg, context, Register);

  CLI::App* login = app.add_subcommand("login", "Issue an access token for an existing user");
  AddPhone(login, context);
  AddTokenTtl(login, context);
  SetAction(login, context, Login);

  CLI::App* profile = app.add_subcommand(
      "profile",
      "Show a user's profile: invitation code, the code they activated, whom they invited");
  AddPhone(profile, context);
  SetAction(profile, context, ShowProfile);

  CLI::App* users = app.add_subcommand("users", "List users, newest first, a page at a time");
  users->add_option("--limit", context.args.limit, "How many users to list")
      ->type_name("N")
      ->capture_default_str();
  users->add_option("--offset", context.args.offset, "How many of the newest users to skip")
      ->type_name("N")
      ->capture_default_str();
  SetAction(users, context, ListAllUsers);
}

}  // namespace connecthub::cli
