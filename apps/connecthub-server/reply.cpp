#include "reply.h"

#include <utility>

namespace connecthub::server {

Reply::Reply(std::shared_ptr<Connection> connection, uint64_t seq,
             Pistache::Http::ResponseWriter writer, Persistence persistence, RequestInfo info,
             std::shared_ptr<ReplyObserver> observer)
    : connection_(std::move(connection)),
      seq_(seq),
      writer_(std::move(writer)),
      persistence_(persistence),
      info_(std::move(info)),
      observer_(std::move(observer)) {}

Reply::Reply(Reply&& other) noexcept
    : connection_(std::move(other.connection_)),
      seq_(other.seq_),
      writer_(std::move(other.writer_)),
      persistence_(other.persistence_),
      info_(std::move(other.info_)),
      observer_(std::move(other.observer_)),
      active_(std::exchange(other.active_, false)) {}

Reply::~Reply() {
  // A reply dropped unanswered (a bug, or shutdown) must not stall the requests behind it.
  if (!active_) return;
  try {
    Send(ErrorReply(MakeError(ErrorCode::kServiceUnavailable, "The server is stopping.")));
  } catch (...) {
  }
}

void Reply::Send(HttpReply reply) {
  if (!active_) return;
  active_ = false;
  int status = reply.status;
  connection_->Deliver(seq_, std::move(writer_), std::move(reply), persistence_);
  if (observer_) observer_->OnReply(info_, status);
}

}  // namespace connecthub::server
