// A bare TCP client for the tests that need control over the bytes on the wire (pipelining,
// keep-alive, malformed framing). Reading a response only splits the status line and headers and
// takes Content-Length bytes of body: enough to check what the server sent.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace connecthub::testing {

struct RawResponse {
  std::string status_line;
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  bool Has(const std::string& name) const { return headers.count(name) > 0; }
  std::string Get(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class RawConnection {
 public:
  explicit RawConnection(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      throw std::runtime_error("connect failed");
    }
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  int fd() const { return fd_; }

  void Send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error("send failed");
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }

  // One response, or nullopt if the connection closed or nothing came within `timeout`.
  std::optional<RawResponse> Read(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (Fill(deadline) != Received::kData) return std::nullopt;
    }
    RawResponse r;
    std::string head = buffer_.substr(0, end + 2);
    buffer_.erase(0, end + 4);
    size_t line_end = head.find("\r\n");
    r.status_line = head.substr(0, line_end);
    r.status = std::stoi(r.status_line.substr(r.status_line.find(' ') + 1, 3));
    for (size_t pos = line_end + 2; pos < head.size();) {
      size_t next = head.find("\r\n", pos);
      std::string line = head.substr(pos, next - pos);
      size_t colon = line.find(':');
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      r.headers[name] = value;
      pos = next + 2;
    }
    size_t length = r.Has("content-length") ? std::stoul(r.Get("content-length")) : 0;
    while (buffer_.size() < length) {
      if (Fill(deadline) != Received::kData) return std::nullopt;
    }
    r.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return r;
  }

  // True if the server closes the connection within `timeout` (and sent nothing more).
  bool ClosedByServer(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    return buffer_.empty() && Fill(std::chrono::steady_clock::now() + timeout) == Received::kClosed;
  }

 private:
  enum class Received { kData, kTimedOut, kClosed };

  // Waits until `deadline` for more bytes and appends them to buffer_.
  Received Fill(std::chrono::steady_clock::time_point deadline) {
    int wait = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    deadline - std::chrono::steady_clock::now())
                                    .count());
    if (wait <= 0) return Received::kTimedOut;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, wait) <= 0) return Received::kTimedOut;
    char chunk[65536];
    ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return Received::kClosed;
    buffer_.append(chunk, static_cast<size_t>(n));
    return Received::kData;
  }

  int fd_ = -1;
  std::string buffer_;
};

}  // namespace connecthub::testing
