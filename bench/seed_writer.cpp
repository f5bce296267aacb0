#include "seed_writer.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <fmt/os.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>
#include <vector>

#include "connecthub/auth.h"
#include "connecthub/clock.h"
#include "connecthub/crypto.h"
#include "connecthub/keys.h"
#include "connecthub/random.h"
#include "connecthub/storage.h"
#include "connecthub/token.h"

namespace connecthub::bench {
namespace {

using Seconds = std::chrono::duration<double>;

// Group 0: general users; 1: the chain; 2: the hub and its invitees; 3: phones to register;
// 5: extra fresh users.
std::string Phone(int group, int64_t n) { return fmt::format("+790{}{:07d}", group, n); }

struct Seeded {
  int64_t id = 0;
  std::string phone;
  std::string code;
  bool invited = false;
  bool has_invitees = false;
};

class Population {
 public:
  Population(Tx& tx, Random& random, int64_t now) : tx_(tx), random_(random), now_(now) {}

  size_t Add(std::string phone) {
    for (;;) {
      std::string code = MakeInvitationCode(random_);
      if (auto id =
              tx_.InsertUser(phone, code, now_ - 1'000'000 + static_cast<int64_t>(all.size()))) {
        all.push_back({*id, std::move(phone), std::move(code)});
        return all.size() - 1;
      }
    }
  }
  void Invite(size_t invitee, size_t inviter) {
    tx_.SetInvitedBy(all[invitee].id, all[inviter].id,
                     now_ - 1'000'000 + static_cast<int64_t>(invitee));
    all[invitee].invited = true;
    all[inviter].has_invitees = true;
  }

  std::vector<Seeded> all;

 private:
  Tx& tx_;
  Random& random_;
  int64_t now_;
};

struct Layout {
  std::vector<Seeded> users;
  size_t general = 0;      // users[0, general) are the general users
  size_t chain_end = 0;    // index of the chain's last user (valid if plan.chain > 0)
  size_t hub = 0;          // index of the hub (valid if plan.hub_invitees > 0)
  size_t fresh_begin = 0;  // users[fresh_begin, size) are the extra fresh users
};

Result<Layout> Populate(Storage& storage, Random& random, const SeedPlan& plan) {
  const int64_t now = ToUnixMillis(SystemClock().Now());
  Layout layout;
  auto written = storage.Write([&](Tx& tx) -> Status {
    std::mt19937_64 shape(plan.seed);
    std::bernoulli_distribution invited(plan.invited_fraction);
    Population p(tx, random, now);
    for (int64_t i = 0; i < plan.users; ++i) {
      size_t me = p.Add(Phone(0, i + 1));
      if (me > 0 && invited(shape)) {
        p.Invite(me, std::uniform_int_distribution<size_t>(0, me - 1)(shape));
      }
    }
    layout.general = p.all.size();
    for (int64_t k = 0; k < plan.chain; ++k) {
      size_t me = p.Add(Phone(1, k + 1));
      if (k > 0) p.Invite(me, me - 1);
      layout.chain_end = me;
    }
    if (plan.hub_invitees > 0) {
      layout.hub = p.Add(Phone(2, 0));
      for (int64_t k = 0; k < plan.hub_invitees; ++k) p.Invite(p.Add(Phone(2, k + 1)), layout.hub);
    }
    layout.fresh_begin = p.all.size();
    for (int64_t k = 0; k < plan.fresh; ++k) p.Add(Phone(5, k + 1));
    layout.users = std::move(p.all);
    return OkStatus();
  });
  if (!written) return written.error();
  return layout;
}

// `count` distinct indices from `pool`, in random order.
std::vector<size_t> Pick(std::vector<size_t> pool, int64_t count, std::mt19937_64& rng) {
  const size_t n = std::min(pool.size(), static_cast<size_t>(std::max<int64_t>(count, 0)));
  for (size_t i = 0; i < n; ++i) {
    std::swap(pool[i], pool[std::uniform_int_distribution<size_t>(i, pool.size() - 1)(rng)]);
  }
  pool.resize(n);
  return pool;
}

std::vector<size_t> Range(size_t n) {
  std::vector<size_t> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = i;
  return out;
}

class Files {
 public:
  Files(const SeedPlan& plan, const std::string& key, Random& random)
      : dir_(plan.out_dir), signer_(key), random_(random) {}

  std::string Token(const Seeded& user) {
    return signer_.Issue(user.id, 0, clock_.Now(), std::chrono::hours(24), random_);
  }
  fmt::ostream Open(const std::string& name) {
    return fmt::output_file((std::filesystem::path(dir_) / name).string());
  }

 private:
  std::string dir_;
  TokenSigner signer_;
  SystemClock clock_;
  Random& random_;
};

// Live codes for many phones in one transaction. AuthService makes one durable transaction per
// code, which on a disk with a 5 ms fsync would take minutes for a pool; so this writes the same
// records directly (the hash as AuthService::CodeHash makes it) and then proves, through the real
// AuthService, that an extra code written this way is accepted: if the core's scheme changes, the
// seeding fails here instead of the benchmark measuring error answers.
Status WriteCodes(Storage& storage, AuthService& auth, const std::string& key,
                  std::vector<std::string> phones, Purpose purpose, Random& random,
                  fmt::ostream& out) {
  if (phones.empty()) return OkStatus();
  const std::string code_key(AsStringView(HmacSha256(key, "connecthub sms code key")));
  const int64_t now = ToUnixMillis(SystemClock().Now());
  std::vector<std::string> codes;
  for (size_t i = 0; i < phones.size(); ++i) codes.push_back(MakeSmsCode(random));
  Status written = storage.Write([&](Tx& tx) -> Status {
    for (size_t i = 0; i < phones.size(); ++i) {
      std::string input = fmt::format("{}\n{}\n{}", PurposeName(purpose), phones[i], codes[i]);
      std::string hash = ToHex(AsStringView(HmacSha256(code_key, input)));
      tx.PutCode(phones[i], purpose, CodeRecord{hash, now, now + 2 * 3'600'000, 0, true});
    }
    return OkStatus();
  });
  if (!written) return written;
  // The last phone is the probe: it goes through the real step 2 and not into the file.
  auto probe = purpose == Purpose::kLogin ? auth.Login(phones.back(), codes.back())
                                          : auth.Register(phones.back(), codes.back());
  if (!probe) {
    return MakeError(ErrorCode::kInternalError,
                     "a bulk-written code was refused (" + probe.error().message +
                         "): bench/seed_writer.cpp no longer matches AuthService::CodeHash");
  }
  for (size_t i = 0; i + 1 < phones.size(); ++i) out.print("{} {}\n", phones[i], codes[i]);
  return OkStatus();
}

std::string WriteFiles(Storage& storage, Random& random, const std::string& key,
                       const SeedPlan& plan, const Layout& layout) {
  std::mt19937_64 rng(plan.seed + 1);
  Files files(plan, key, random);
  const auto& users = layout.users;

  auto tokens = files.Open("tokens.txt");
  for (size_t i : Pick(Range(layout.general), plan.tokens, rng))
    tokens.print("{}\n", files.Token(users[i]));

  auto phones = files.Open("phones.txt");
  for (size_t i : Pick(Range(layout.general), plan.cli_phones, rng))
    phones.print("{}\n", users[i].phone);
  if (plan.chain > 0)
    files.Open("chain_end_phone.txt").print("{}\n", users[layout.chain_end].phone);
  if (plan.hub_invitees > 0) {
    auto hub = files.Open("hub.txt");
    hub.print("{} {}\n", users[layout.hub].phone, files.Token(users[layout.hub]));
  }

  // Fresh users (neither invited nor inviting) can activate any invited user's code without a
  // circle, and stay fresh enough for that while the benchmark runs.
  std::vector<size_t> fresh, invited;
  for (size_t i = 0; i < layout.general; ++i) {
    if (!users[i].invited && !users[i].has_invitees) fresh.push_back(i);
    if (users[i].invited) invited.push_back(i);
  }
  for (size_t i = layout.fresh_begin; i < users.size(); ++i) fresh.push_back(i);
  const int64_t wanted = plan.activations + plan.chain_activations;
  if (wanted > static_cast<int64_t>(fresh.size())) {
    return fmt::format("{} activations asked for, but only {} fresh users exist", wanted,
                       fresh.size());
  }
  if (plan.activations > 0 && invited.empty()) return "no invited user's code to activate";
  if (plan.chain_activations > 0 && plan.chain == 0) return "--chain-activations needs --chain";
  fresh = Pick(std::move(fresh), wanted, rng);
  auto activate = files.Open("activate.txt");
  auto chain = files.Open("chain.txt");
  for (int64_t k = 0; k < wanted; ++k) {
    const Seeded& user = users[fresh[static_cast<size_t>(k)]];
    if (k < plan.activations) {
      const size_t target =
          invited[std::uniform_int_distribution<size_t>(0, invited.size() - 1)(rng)];
      activate.print("{} {}\n", files.Token(user), users[target].code);
    } else {
      chain.print("{} {}\n", files.Token(user), users[layout.chain_end].code);
    }
  }

  AuthSettings settings;
  settings.code_ttl = std::chrono::hours(2);
  settings.resend_interval = std::chrono::seconds(0);
  settings.max_codes_per_hour = 0;
  settings.max_daily_failures = 0;
  SystemClock clock;
  AuthService auth(storage, clock, random, key, settings, nullptr);
  std::vector<std::string> login_phones, register_phones;
  if (plan.login_codes > 0) {
    for (size_t i : Pick(Range(users.size()), plan.login_codes + 1, rng)) {
      login_phones.push_back(users[i].phone);
    }
  }
  if (plan.register_codes > 0) {
    for (int64_t k = 0; k <= plan.register_codes; ++k) register_phones.push_back(Phone(3, k + 1));
  }
  auto login = files.Open("login.txt");
  Status s = WriteCodes(storage, auth, key, login_phones, Purpose::kLogin, random, login);
  if (!s) return s.error().message;
  auto reg = files.Open("register.txt");
  s = WriteCodes(storage, auth, key, register_phones, Purpose::kRegister, random, reg);
  if (!s) return s.error().message;
  return "";
}

}  // namespace

std::string Seed(const SeedPlan& plan) {
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return Seconds(std::chrono::steady_clock::now() - start).count(); };
  std::error_code ec;
  std::filesystem::create_directories(plan.out_dir, ec);
  if (ec) return fmt::format("cannot create {}: {}", plan.out_dir, ec.message());

  auto storage = OpenStorage(plan.db);
  if (!storage) return storage.error().message;
  CryptoRandom random;
  auto key = LoadSecretKey(**storage, random, std::nullopt);
  if (!key) return key.error().message;

  auto layout = Populate(**storage, random, plan);
  if (!layout) return layout.error().message;
  fmt::print(
      "seeded {} users ({} general, chain {}, hub invitees {}, extra fresh {}) in {:.2f} s\n",
      layout->users.size(), layout->general, plan.chain, plan.hub_invitees, plan.fresh, elapsed());
  std::string error = WriteFiles(**storage, random, *key, plan, *layout);
  if (error.empty())
    fmt::print("wrote the data files to {} after {:.2f} s\n", plan.out_dir, elapsed());
  return error;
}

}  // namespace connecthub::bench
