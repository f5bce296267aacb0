// The shell completions and man pages against what the programs say in --help: every command and
// option is completed and documented, and the files are well formed for their tools.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "tests/cli/process.h"

namespace connecthub::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// roff as a reader sees it: "\-" is "-", "\fB" and friends are gone.
std::string ManText(const std::string& path) {
  std::string text = std::regex_replace(ReadFile(path), std::regex(R"(\\f[BIRP])"), "");
  return std::regex_replace(text, std::regex(R"(\\-)"), "-");
}

std::set<std::string> Matches(const std::string& text, const std::regex& pattern) {
  std::set<std::string> out;
  for (std::sregex_iterator it(text.begin(), text.end(), pattern), end; it != end; ++it) {
    out.insert((*it)[1]);
  }
  return out;
}

// The part of a CLI11 help text under `heading` ("Options:", "Subcommands:").
std::string Section(const std::string& help, const std::string& heading) {
  size_t start = help.find("\n" + heading + "\n");
  if (start == std::string::npos) return "";
  size_t end = help.find("\n\n", start + 1);
  return help.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

struct Interface {
  std::set<std::string> commands;
  std::set<std::string> options;  // long options, "--db"
  std::set<std::string> env;      // "CONNECTHUB_DB"
};

const std::regex kLongOption(R"((?:^|[\s,])(--[a-z][a-z0-9-]*))");
const std::regex kEnv(R"(Env:(CONNECTHUB_[A-Z_]+))");

void AddHelp(Interface& into, const std::string& help) {
  for (const auto& o : Matches(Section(help, "Options:"), kLongOption)) into.options.insert(o);
  for (const auto& e : Matches(help, kEnv)) into.env.insert(e);
}

// What connecthub-cli --help and each COMMAND --help say.
Interface CliInterface() {
  ProcessResult top = RunCli({"--help"});
  REQUIRE(top.status == 0);
  Interface cli;
  AddHelp(cli, top.out);
  cli.commands = Matches(Section(top.out, "Subcommands:"), std::regex(R"(\n  ([a-z][a-z-]*))"));
  for (const std::string& command : cli.commands) {
    ProcessResult sub = RunCli({command, "--help"});
    REQUIRE(sub.status == 0);
    AddHelp(cli, sub.out);
  }
  return cli;
}

TEST_CASE("the help lists the commands and options the completions and man page are held to") {
  Interface cli = CliInterface();
  CHECK(cli.commands == std::set<std::string>{"register", "login", "profile", "invite",
                                              "list-invited", "users", "stats", "revoke",
                                              "purge-codes", "backup"});
  CHECK(cli.options == std::set<std::string>{"--help", "--version", "--db", "--config", "--json",
                                             "--token-ttl", "--limit", "--offset"});
  CHECK(cli.env ==
        std::set<std::string>{"CONNECTHUB_DB", "CONNECTHUB_CONFIG", "CONNECTHUB_TOKEN_TTL"});
}

TEST_CASE("every command and option is in the bash, zsh and fish completions") {
  Interface cli = CliInterface();
  for (std::string file : {"completions/connecthub-cli.bash", "completions/_connecthub-cli"}) {
    std::string text = ReadFile(SourcePath(file));
    for (const auto& command : cli.commands) {
      INFO(file << ": " << command);
      CHECK(std::regex_search(text, std::regex("[\\s'(|]" + command + "[\\s:)|]")));
    }
    for (const auto& option : cli.options) {
      INFO(file << ": " << option);
      CHECK(std::regex_search(text, std::regex("[\\s'\"(),{]" + option + "[\\s=\\[\"'),}]")));
    }
  }
  std::string fish = ReadFile(SourcePath("completions/connecthub-cli.fish"));
  for (const auto& command : cli.commands) {
    INFO("fish: " << command);
    CHECK(fish.find(" -a " + command + " ") != std::string::npos);
  }
  for (const auto& option : cli.options) {
    INFO("fish: " << option);
    CHECK(fish.find(" -l " + option.substr(2) + " ") != std::string::npos);
  }
}

TEST_CASE("every command, option and environment variable is in connecthub-cli(1)") {
  Interface cli = CliInterface();
  std::string man = ManText(SourcePath("man/connecthub-cli.1"));
  for (const auto& word : cli.commands) {
    INFO(word);
    CHECK(std::regex_search(man, std::regex("\n(\\.TP\n|\\.B[IR]? )" + word + "\\b")));
  }
  for (const auto& word : cli.options) {
    INFO(word);
    CHECK(man.find(word) != std::string::npos);
  }
  for (const auto& word : cli.env) {
    INFO(word);
    CHECK(man.find(".B " + word + "\n") != std::string::npos);
  }
  CHECK(man.find(".B CONNECTHUB_SECRET_KEY\n") != std::string::npos);
  CHECK(man.find("/etc/connecthub/connecthub.conf") != std::string::npos);
  for (std::string section : {"NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS",
                              "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES"}) {
    CHECK(man.find("\n.SH " + section + "\n") != std::string::npos);
  }
}

// CONTRACT.md's connecthub-server table, plus --config, --version and --help.
const std::vector<std::string> kServerOptions = {"config",
                                                 "db",
                                                 "host",
                                                 "port",
                                                 "threads",
                                                 "sms-delay",
                                                 "echo-code",
                                                 "code-ttl",
                                                 "resend-interval",
                                                 "max-code-attempts",
                                                 "token-ttl",
                                                 "secret-key",
                                                 "sms-command",
                                                 "ip-rate-limit",
                                                 "max-codes-per-hour",
                                                 "max-daily-failures",
                                                 "trust-proxy",
                                                 "max-body",
                                                 "test-phones"};

std::string EnvName(const std::string& option) {
  std::string env = "CONNECTHUB_";
  for (char c : option) env += c == '-' ? '_' : static_cast<char>(std::toupper(c));
  return env;
}

TEST_CASE("every option of the server and its environment variable is in connecthub-server(1)") {
  std::string man = ManText(SourcePath("man/connecthub-server.1"));
  std::set<std::string> options(kServerOptions.begin(), kServerOptions.end());
  std::set<std::string> env;
  for (const auto& o : options) env.insert(EnvName(o));
  // The built server, when there is one, may know more than the contract's table.
  if (std::filesystem::exists(CONNECTHUB_SERVER_PATH)) {
    ProcessResult help = RunProcess({CONNECTHUB_SERVER_PATH, "--help"});
    REQUIRE(help.status == 0);
    for (const auto& o : Matches(Section(help.out, "Options:"), kLongOption)) {
      if (o != "--help" && o != "--version") options.insert(o.substr(2));
    }
    for (const auto& e : Matches(help.out, kEnv)) env.insert(e);
  }
  for (const auto& option : options) {
    INFO(option);
    CHECK(man.find("\n.BI --" + option + " ") != std::string::npos);
  }
  for (const auto& name : env) {
    INFO(name);
    CHECK(man.find("Environment:\n.BR " + name + " .\n") != std::string::npos);
    CHECK(std::regex_search(man, std::regex("\n\\.BR " + name + " [,.]\n")));  // ENVIRONMENT
  }
  CHECK(man.find("--version") != std::string::npos);
  CHECK(man.find("token-ttl = \\(dq1h\\(dq") != std::string::npos);
  for (std::string section : {"NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS",
                              "ENVIRONMENT", "FILES", "EXAMPLES"}) {
    CHECK(man.find("\n.SH " + section + "\n") != std::string::npos);
  }
}

TEST_CASE("groff renders each man page without warnings") {
  for (std::string page : {"man/connecthub-cli.1", "man/connecthub-server.1"}) {
    ProcessResult r = RunProcess({"groff", "-man", "-ww", "-z", SourcePath(page)});
    INFO(page << ": " << r.err);
    CHECK(r.status == 0);
    CHECK(r.err.empty());
  }
}

TEST_CASE("each shell accepts its completion file") {
  ProcessResult bash = RunProcess({"bash", "-n", SourcePath("completions/connecthub-cli.bash")});
  CHECK(bash.status == 0);
  CHECK(bash.err.empty());
  ProcessResult zsh = RunProcess({"zsh", "-n", SourcePath("completions/_connecthub-cli")});
  CHECK(zsh.status == 0);
  CHECK(zsh.err.empty());
  ProcessResult fish = RunProcess({"fish", "-n", SourcePath("completions/connecthub-cli.fish")});
  CHECK(fish.status == 0);
  CHECK(fish.err.empty());
}

// Completes `line` (the cursor at its end) with the bash completion loaded.
std::string BashComplete(const std::string& line) {
  std::string script = "source '" + SourcePath("completions/connecthub-cli.bash") +
                       "'; read -ra COMP_WORDS <<< \"$LINE\"; [[ $LINE == *' ' ]] && "
                       "COMP_WORDS+=(''); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); "
                       "_connecthub_cli; echo \"${COMPREPLY[*]}\"";
  ProcessResult r = RunProcess({"bash", "-c", script}, {{"LINE", line}});
  REQUIRE(r.status == 0);
  return r.out;
}

TEST_CASE("bash completes commands, and each command's options") {
  CHECK(BashComplete("connecthub-cli p") == "profile purge-codes\n");
  CHECK(BashComplete("connecthub-cli --db x.db list") == "list-invited\n");
  CHECK(BashComplete("connecthub-cli users --") ==
        "--db --config --json --help --limit --offset\n");
  CHECK(BashComplete("connecthub-cli --c") == "--config\n");
  CHECK(BashComplete("connecthub-cli login +79912345678 --t") == "--token-ttl\n");
  CHECK(BashComplete("connecthub-cli --v") == "--version\n");
}

TEST_CASE("fish completes commands, and each command's options") {
  std::string script = "source '" + SourcePath("completions/connecthub-cli.fish") +
                       "'; complete -C 'connecthub-cli p'; complete -C 'connecthub-cli users --'";
  ProcessResult r = RunProcess({"fish", "--no-config", "-c", script});
  REQUIRE(r.status == 0);
  std::set<std::string> words = Matches(r.out, std::regex(R"((?:^|\n)(\S+)\t)"));
  CHECK(words == std::set<std::string>{"profile", "purge-codes", "--db", "--config", "--help",
                                       "--json", "--limit", "--offset"});
}

}  // namespace
}  // namespace connecthub::testing
