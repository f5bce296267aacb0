// The one table from the core's error codes to the CLI's exit statuses (CONTRACT.md,
// connecthub-cli).
#pragma once

#include "connecthub/error.h"

namespace connecthub::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;      // internal or database error
inline constexpr int kExitUsage = 2;         // bad command line (CLI11 parse errors)
inline constexpr int kExitNotFound = 3;      // phone or invitation code not found
inline constexpr int kExitConflict = 4;      // already registered / activated, own code, cycle
inline constexpr int kExitInvalidInput = 5;  // phone or code format, invalid request

int ExitStatusFor(ErrorCode code);

}  // namespace connecthub::cli
