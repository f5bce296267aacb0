#include "http_handler.h"

#include <pistache/peer.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <optional>

namespace connecthub::server {
namespace {

namespace Http = Pistache::Http;
using Pistache::Tcp::Peer;

constexpr const char* kConnectionData = "connecthub.connection";

std::shared_ptr<Connection> GetConnection(const std::shared_ptr<Peer>& peer) {
  return std::static_pointer_cast<Connection>(peer->getData(kConnectionData));
}

// Pistache reads Content-Length with stoull (so "-5" wraps and "abc" becomes 0): the raw value
// decides. nullopt if it is not a plain decimal number.
std::optional<size_t> ContentLengthOf(const Http::Request& request) {
  auto raw = request.headers().tryGetRaw("Content-Length");
  if (!raw) return size_t{0};
  std::string value = raw->value();
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
  if (value.empty() || value.size() > 18 ||
      !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  size_t length = 0;
  std::from_chars(value.data(), value.data() + value.size(), length);
  return length;
}

Persistence PersistenceOf(const Http::Request& request) {
  auto connection = request.headers().tryGet<Http::Header::Connection>();
  auto control = connection ? connection->control() : Http::ConnectionControl::Ext;
  if (request.version() == Http::Version::Http10) {
    return control == Http::ConnectionControl::KeepAlive ? Persistence::kKeepAliveEcho
                                                         : Persistence::kClose;
  }
  return control == Http::ConnectionControl::Close ? Persistence::kClose : Persistence::kKeepAlive;
}

Error FramingError(std::string message) {
  return MakeError(ErrorCode::kInvalidRequest, std::move(message));
}

}  // namespace

ConnectionHandler::ConnectionHandler(std::shared_ptr<Application> app, HttpLimits limits)
    : app_(std::move(app)), limits_(limits) {}

size_t ConnectionHandler::MaxRequestSize(const HttpLimits& limits) {
  // Header block and body of one request, plus room for chunked framing.
  return limits.max_header + limits.max_body + 16 * 1024;
}

void ConnectionHandler::onConnection(const std::shared_ptr<Peer>& peer) {
  peer->putData(ParserData, std::make_shared<Http::RequestParser>(getMaxRequestSize()));
  peer->putData(kConnectionData, std::make_shared<Connection>());
}

void ConnectionHandler::onDisconnection(const std::shared_ptr<Peer>& peer) {
  if (auto data = peer->tryGetData(kConnectionData)) {
    std::static_pointer_cast<Connection>(data)->MarkGone();
  }
}

void ConnectionHandler::onInput(const char* buffer, size_t len, const std::shared_ptr<Peer>& peer) {
  auto conn = GetConnection(peer);
  if (conn->closing) return;
  conn->input.append(buffer, len);
  try {
    Process(conn, peer);
  } catch (const std::exception& e) {
    // Pistache's parser throws on malformed request lines, headers and lengths.
    spdlog::debug("malformed request from {}: {}", peer->address().host(), e.what());
    auto parser = getParser(peer);
    bool bad_length = !ContentLengthOf(parser->request).has_value();
    Fail(conn, peer,
         FramingError(bad_length ? "The Content-Length header is not a valid length."
                                 : "The request is not well-formed HTTP/1.1."));
  }
}

void ConnectionHandler::Process(const std::shared_ptr<Connection>& conn,
                                const std::shared_ptr<Peer>& peer) {
  auto parser = getParser(peer);
  std::string& input = conn->input;
  while (!conn->closing) {
    if (conn->Outstanding() >= limits_.max_pipelined) return;  // resumes with the next input
    if (conn->chunked) {
      // The end of a chunked body is known only to the parser: it gets all we have, and the
      // connection closes after this request since any bytes after the body went with it.
      if (!input.empty() && !parser->feed(input.data(), input.size())) {
        return Fail(conn, peer,
                    MakeError(ErrorCode::kPayloadTooLarge, "The request body is too large."));
      }
      input.clear();
      if (parser->parse() != Http::Private::State::Done) return;
      if (parser->request.body().size() > limits_.max_body) {
        return Fail(conn, peer,
                    MakeError(ErrorCode::kPayloadTooLarge, "The request body is too large."));
      }
      conn->chunked = false;
      Dispatch(conn, peer, /*force_close=*/true);
      continue;
    }
    if (conn->awaiting_body) {
      if (input.size() < conn->body_needed) return;
      parser->feed(input.data(), conn->body_needed);
      input.erase(0, conn->body_needed);
      conn->awaiting_body = false;
      if (parser->parse() != Http::Private::State::Done) {
        return Fail(conn, peer,
                    FramingError("The request body does not match its Content-Length."));
      }
      Dispatch(conn, peer, false);
      continue;
    }
    // RFC 9112 2.2: empty lines before a request line are ignored.
    size_t skip = 0;
    while (input.compare(skip, 2, "\r\n") == 0) skip += 2;
    input.erase(0, skip);
    size_t end = input.find("\r\n\r\n");
    size_t header_size = end == std::string::npos ? input.size() : end + 4;
    if (header_size > limits_.max_header) {
      return Fail(conn, peer,
                  MakeError(ErrorCode::kPayloadTooLarge,
                            "The request line and headers are larger than " +
                                std::to_string(limits_.max_header / 1024) + " KiB."));
    }
    if (end == std::string::npos) return;
    parser->feed(input.data(), header_size);
    input.erase(0, header_size);
    auto state = parser->parse();
    auto length = ContentLengthOf(parser->request);
    if (!length)
      return Fail(conn, peer, FramingError("The Content-Length header is not a valid length."));
    if (*length > limits_.max_body) {
      return Fail(
          conn, peer,
          MakeError(ErrorCode::kPayloadTooLarge, "The request body is larger than the limit of " +
                                                     std::to_string(limits_.max_body) + " bytes."));
    }
    if (parser->request.headers().has<Http::Header::TransferEncoding>()) {
      conn->chunked = true;
      continue;
    }
    if (state == Http::Private::State::Done) {
      Dispatch(conn, peer, false);
      continue;
    }
    if (parser->step()->id() != Http::Private::BodyStep::Id) {
      // The header block is complete yet the parser still waits: a line it could not read.
      return Fail(conn, peer, FramingError("The request headers are not well-formed."));
    }
    conn->awaiting_body = true;
    conn->body_needed = *length;
  }
}

void ConnectionHandler::Dispatch(const std::shared_ptr<Connection>& conn,
                                 const std::shared_ptr<Peer>& peer, bool force_close) {
  auto parser = getParser(peer);
  Http::Request& request = parser->request;
  request.copyAddress(peer->address());
  Persistence persistence = force_close ? Persistence::kClose : PersistenceOf(request);
  if (persistence == Persistence::kClose) {
    conn->closing = true;
    conn->input.clear();
  }
  RequestInfo info{Http::methodString(request.method()), request.resource(),
                   app_->ClientAddress(request), std::chrono::steady_clock::now()};
  Reply reply(conn, conn->next_seq++,
              Http::ResponseWriter(request.version(), transport(), this, peer), persistence,
              std::move(info), app_);
  peer->setIdle(false);
  app_->Handle(request, std::move(reply));
  parser->reset();
}

void ConnectionHandler::Fail(const std::shared_ptr<Connection>& conn,
                             const std::shared_ptr<Peer>& peer, const Error& error) {
  auto parser = getParser(peer);
  conn->closing = true;
  conn->input.clear();
  RequestInfo info{"-", "-", peer->address().host(), std::chrono::steady_clock::now()};
  Reply reply(conn, conn->next_seq++,
              Http::ResponseWriter(Http::Version::Http11, transport(), this, peer),
              Persistence::kClose, std::move(info), app_);
  reply.Send(ErrorReply(error));
  parser->reset();
}

}  // namespace connecthub::server
