#include "connecthub/model.h"

namespace connecthub {

std::string_view PurposeName(Purpose purpose) {
  return purpose == Purpose::kRegister ? "register" : "login";
}

}  // namespace connecthub
