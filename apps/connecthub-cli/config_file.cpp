#include "config_file.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace connecthub::cli {
namespace {

// The config keys the CLI shares with the server; they are the long names of its options.
constexpr std::array<std::string_view, 3> kSharedKeys = {"db", "secret-key", "token-ttl"};

// The option behind `key`: a global one, or one of the chosen command (token-ttl).
CLI::Option* OptionFor(CLI::App& app, const std::string& key) {
  if (CLI::Option* global = app.get_option_no_throw("--" + key)) return global;
  for (CLI::App* command : app.get_subcommands()) {
    if (CLI::Option* own = command->get_option_no_throw("--" + key)) return own;
  }
  return nullptr;
}

}  // namespace

// CLI11's own config handling (App::set_config) is not used for the values: it lets the file win
// over the environment, skips an unreadable default file without a word, and cannot reach the
// options of a command. Its TOML/INI reader is used, and the values go through each option's own
// conversion and checks, exactly as if they had been typed.
Status ApplyConfigFile(CLI::App& app, Context& context) {
  const std::string& path = context.options.config;
  const bool named = app.get_option("--config")->count() > 0;
  const bool db_given = app.get_option("--db")->count() > 0;
  if (access(path.c_str(), R_OK) != 0) {
    const int reason = errno;
    if (reason == ENOENT || reason == ENOTDIR) {
      if (named) throw CLI::FileError("--config: " + path + ": no such file");
      return OkStatus();
    }
    if (!named && db_given) return OkStatus();
    std::string message = "cannot read " + path + ": ";
    message += db_given ? std::strerror(reason)
                        : "run as the service user (sudo -u connecthub connecthub-cli ...) or "
                          "give --db";
    return MakeError(ErrorCode::kInternalError, message);
  }
  std::vector<CLI::ConfigItem> items = CLI::ConfigTOML().from_file(path);
  for (const CLI::ConfigItem& item : items) {
    // Sections and the server's own keys are not the CLI's business.
    if (!item.parents.empty()) continue;
    if (std::find(kSharedKeys.begin(), kSharedKeys.end(), item.name) == kSharedKeys.end()) continue;
    CLI::Option* option = OptionFor(app, item.name);
    if (option == nullptr || option->count() > 0) continue;  // not this command's, or already set
    try {
      option->add_result(item.inputs);
      option->run_callback();
    } catch (const CLI::ParseError& e) {
      throw CLI::ValidationError(path + ": " + e.what());
    }
  }
  return OkStatus();
}

}  // namespace connecthub::cli
