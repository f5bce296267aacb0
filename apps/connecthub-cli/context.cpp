#include "context.h"

#include <optional>
#include <utility>

#include "connecthub/keys.h"

namespace connecthub::cli {

Result<Storage*> Context::Db() {
  if (!storage_) {
    auto opened = OpenStorage(options.db);
    if (!opened) return opened.error();
    storage_ = std::move(opened).value();
  }
  return storage_.get();
}

Result<AuthService*> Context::Auth() {
  if (auth_) return auth_.get();
  auto db = Db();
  if (!db) return db.error();
  std::optional<std::string> configured;
  if (!options.secret_key.empty()) configured = options.secret_key;
  auto key = LoadSecretKey(**db, random_, configured);
  if (!key) return key.error();
  AuthSettings settings;
  settings.token_ttl = options.token_ttl;
  auth_ = std::make_unique<AuthService>(**db, clock_, random_, std::move(key).value(), settings,
                                        nullptr);
  return auth_.get();
}

}  // namespace connecthub::cli
