// Runs a program as a child process and collects what a user would see: stdout, stderr and the
// exit status. The child's environment is ours without any CONNECTHUB_* variable, plus `env`.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace connecthub::testing {

struct ProcessResult {
  int status = -1;  // exit status, or 128 + signal
  std::string out;
  std::string err;
};

ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& env = {});

// The built connecthub-cli with `args`. Its config file is the empty /dev/null unless `env` sets
// CONNECTHUB_CONFIG, so that a service installed on this machine (/etc/connecthub/connecthub.conf)
// does not change what the tests see; CONNECTHUB_CONFIG="" gives the default file back.
ProcessResult RunCli(const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env = {});

// The source tree, for completions/ and man/.
std::string SourcePath(const std::string& relative);

}  // namespace connecthub::testing
