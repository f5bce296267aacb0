// Fills a connecthub database with a synthetic population for the benchmarks, in one transaction
// through the core's storage, and writes the files the wrk scripts read (tokens, codes, phones).
// Not thread-safe; a tool for bench/run only.
#pragma once

#include <cstdint>
#include <string>

namespace connecthub::bench {

struct SeedPlan {
  std::string db;
  std::string out_dir;            // where the data files go
  int64_t users = 100'000;        // general users, +7900NNNNNNN
  double invited_fraction = 0.5;  // share of general users who activated an older user's code
  int64_t chain = 0;              // users in one invitation chain, +7901NNNNNNN
  int64_t hub_invitees = 0;       // invitees of one hub user, +7902NNNNNNN
  int64_t fresh = 0;              // extra users who neither invite nor are invited, +7905NNNNNNN
  int64_t tokens = 10'000;        // tokens.txt: tokens of distinct random general users
  int64_t activations = 0;        // activate.txt: "token code" of fresh users
  int64_t chain_activations = 0;  // chain.txt: "token code-of-chain-end" of fresh users
  int64_t login_codes = 0;        // login.txt: "phone code" of live login codes
  int64_t register_codes = 0;     // register.txt: "phone code" for new phones, +7903NNNNNNN
  int64_t cli_phones = 100;       // phones.txt: phones of random general users
  uint64_t seed = 1;              // shape of the invitation tree (not the codes or keys)
};

// Seeds the database named by plan.db (created if missing) and writes the data files. Returns an
// empty string on success, else what went wrong.
std::string Seed(const SeedPlan& plan);

}  // namespace connecthub::bench
