// The service's config file, which connecthub-cli reads too: an operator next to the installed
// service reaches its database and signs tokens with its key without any flag. The CLI takes the
// keys it shares with connecthub-server (db, secret-key, token-ttl) and skips the server's others.
#pragma once

#include <CLI/CLI.hpp>

#include "connecthub/error.h"
#include "context.h"

namespace connecthub::cli {

// Call after parsing. Each shared option that neither the command line nor its CONNECTHUB_*
// variable set takes the file's value, so: flag > environment > config file > built-in default.
// A missing default file is skipped; a missing file named by --config or CONNECTHUB_CONFIG, and a
// bad value in the file, throw CLI11's errors (usage errors). A file that exists but cannot be read
// is an error, unless it is the default file and the database was given.
Status ApplyConfigFile(CLI::App& app, Context& context);

}  // namespace connecthub::cli
