#include "connection.h"

#include <pistache/peer.h>
#include <sys/socket.h>

namespace connecthub::server {
namespace {

namespace Header = Pistache::Http::Header;

// A header Pistache has no class for (WWW-Authenticate, Retry-After) or whose value we give as is.
class NamedHeader final : public Header::Header {
 public:
  NamedHeader(std::string name, std::string value)
      : name_(std::move(name)), value_(std::move(value)) {}
  const char* name() const override { return name_.c_str(); }
  void write(std::ostream& os) const override { os << value_; }
  uint64_t hash() const override { return Pistache::Http::Header::detail::hash(name_.c_str()); }

 private:
  std::string name_;
  std::string value_;
};

std::atomic<int64_t> unfinished_writes{0};

}  // namespace

int64_t UnfinishedWrites() { return unfinished_writes.load(); }

void Connection::Deliver(uint64_t seq, Pistache::Http::ResponseWriter writer, HttpReply reply,
                         Persistence persistence) {
  std::lock_guard lock(mutex_);
  if (gone_) return;
  if (seq != next_to_write_) {
    held_.emplace(seq, Held{std::move(writer), std::move(reply), persistence});
    return;
  }
  Held now{std::move(writer), std::move(reply), persistence};
  Write(now);
  for (auto it = held_.find(next_to_write_); it != held_.end(); it = held_.find(next_to_write_)) {
    Write(it->second);
    held_.erase(it);
  }
}

void Connection::MarkGone() {
  std::lock_guard lock(mutex_);
  gone_ = true;
  held_.clear();
}

void Connection::Write(Held& held) {
  ++next_to_write_;
  written_.store(next_to_write_, std::memory_order_release);
  // Holding the peer keeps it (and its fd) from going away while the write is queued.
  std::shared_ptr<Pistache::Tcp::Peer> peer = held.writer.getPeer();
  if (!peer) return;
  auto& headers = held.writer.headers();
  headers.add(std::make_shared<NamedHeader>("Content-Type", held.reply.content_type));
  for (auto& [name, value] : held.reply.headers) {
    headers.add(std::make_shared<NamedHeader>(name, value));
  }
  if (held.persistence == Persistence::kClose) {
    headers.add(std::make_shared<NamedHeader>("Connection", "close"));
  } else if (held.persistence == Persistence::kKeepAliveEcho) {
    headers.add(std::make_shared<NamedHeader>("Connection", "keep-alive"));
  }
  unfinished_writes.fetch_add(1);
  auto sent =
      held.writer.send(static_cast<Pistache::Http::Code>(held.reply.status), held.reply.body);
  if (held.persistence == Persistence::kClose) {
    // Pistache never closes by itself; shutting the socket down makes it drop the peer.
    std::weak_ptr<Pistache::Tcp::Peer> weak = peer;
    auto close = [weak] {
      if (auto p = weak.lock()) ::shutdown(p->fd(), SHUT_RDWR);
      unfinished_writes.fetch_sub(1);
    };
    sent.then([close](ssize_t) { close(); }, [close](std::exception_ptr) { close(); });
  } else {
    sent.then([](ssize_t) { unfinished_writes.fetch_sub(1); },
              [](std::exception_ptr) { unfinished_writes.fetch_sub(1); });
  }
}

}  // namespace connecthub::server
