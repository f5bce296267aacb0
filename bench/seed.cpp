// connecthub-bench-seed: creates the benchmark population in a database and writes the token and
// code files for the wrk scripts. See bench/run and seed_writer.h.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "seed_writer.h"

int main(int argc, char** argv) {
  connecthub::bench::SeedPlan plan;
  CLI::App app("connecthub-bench-seed: fill a database with users for bench/run",
               "connecthub-bench-seed");
  app.add_option("--db", plan.db, "SQLite database file")->required();
  app.add_option("--out", plan.out_dir, "Directory for the data files")->required();
  app.add_option("--users", plan.users, "General users")->capture_default_str();
  app.add_option("--invited-fraction", plan.invited_fraction,
                 "Share of general users invited by an older one")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app.add_option("--chain", plan.chain, "Length of one invitation chain")->capture_default_str();
  app.add_option("--hub-invitees", plan.hub_invitees, "Invitees of one hub user")
      ->capture_default_str();
  app.add_option("--fresh", plan.fresh, "Extra users for activations (neither invite nor invited)")
      ->capture_default_str();
  app.add_option("--tokens", plan.tokens, "Tokens of random users (tokens.txt)")
      ->capture_default_str();
  app.add_option("--activations", plan.activations, "Fresh users' activations (activate.txt)")
      ->capture_default_str();
  app.add_option("--chain-activations", plan.chain_activations,
                 "Fresh users' activations of the chain end's code (chain.txt)")
      ->capture_default_str();
  app.add_option("--login-codes", plan.login_codes, "Live login codes (login.txt)")
      ->capture_default_str();
  app.add_option("--register-codes", plan.register_codes, "Register codes (register.txt)")
      ->capture_default_str();
  app.add_option("--cli-phones", plan.cli_phones, "Phones for the CLI runs (phones.txt)")
      ->capture_default_str();
  app.add_option("--seed", plan.seed, "Seed of the tree's shape")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  std::string error = connecthub::bench::Seed(plan);
  if (!error.empty()) {
    std::fprintf(stderr, "connecthub-bench-seed: error: %s\n", error.c_str());
    return 1;
  }
  return 0;
}
