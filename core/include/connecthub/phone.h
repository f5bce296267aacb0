// Phone numbers as users type them, normalized to E.164 (`+` then 9 to 15 digits). Pure functions,
// thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "connecthub/error.h"

namespace connecthub {

// Removes spaces, dashes, dots and parentheses, then requires `+` and 9 to 15 digits
// ("+7 (991) 234-56-78" -> "+79912345678"). Anything else is kInvalidPhone.
Result<std::string> NormalizePhone(std::string_view input);

}  // namespace connecthub
