#include "gateway/server/transport_factories.h"

#include <memory>
#include <optional>

#include "boost/asio/as_tuple.hpp"
#include "boost/asio/ssl/stream.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "boost/beast/websocket/ssl.hpp"
#include "gateway/session/line_transport.h"
#include "gateway/session/websocket_transport.h"

namespace electrum::gateway {
namespace {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
using asio::ip::tcp;
using TlsStream = asio::ssl::stream<tcp::socket>;
using Made = absl::StatusOr<std::unique_ptr<Transport>>;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

// Closes the socket if the handshake is still running when time is up. The
// holder keeps the stream alive for the timer (it is moved out afterwards).
template <typename Stream>
class HandshakeDeadline {
 public:
  HandshakeDeadline(std::shared_ptr<std::optional<Stream>> holder,
                    std::chrono::milliseconds timeout)
      : timer_(std::make_shared<asio::steady_timer>(
            boost::beast::get_lowest_layer(**holder).get_executor(), timeout)) {
    timer_->async_wait([holder](boost::system::error_code error) {
      if (error || !holder->has_value()) return;
      boost::system::error_code ignored;
      boost::beast::get_lowest_layer(**holder).close(ignored);
    });
  }
  ~HandshakeDeadline() { timer_->cancel(); }

 private:
  std::shared_ptr<asio::steady_timer> timer_;
};

// The accepted socket inside a new TLS stream, after the TLS handshake.
// Arguments are references to the caller's named values throughout: GCC 12
// mishandles temporaries in a co_await expression.
asio::awaitable<absl::StatusOr<std::shared_ptr<std::optional<TlsStream>>>> TlsHandshake(
    const TlsCertificates& certificates, tcp::socket& socket,
    const std::chrono::milliseconds& timeout) {
  std::shared_ptr<asio::ssl::context> context = certificates.Current();
  auto holder = std::make_shared<std::optional<TlsStream>>();
  holder->emplace(std::move(socket), *context);
  HandshakeDeadline<TlsStream> deadline(holder, timeout);
  auto [error] = co_await (*holder)->async_handshake(asio::ssl::stream_base::server, kNoThrow);
  if (error) co_return absl::UnavailableError("TLS handshake: " + error.message());
  co_return holder;
}

template <typename NextLayer>
asio::awaitable<absl::Status> AcceptWebSocket(
    const std::shared_ptr<std::optional<websocket::stream<NextLayer>>>& holder,
    const size_t& max_message, const std::chrono::milliseconds& timeout) {
  HandshakeDeadline<websocket::stream<NextLayer>> deadline(holder, timeout);
  auto& stream = **holder;
  stream.read_message_max(max_message);
  stream.set_option(websocket::stream_base::timeout::suggested(boost::beast::role_type::server));
  auto [error] = co_await stream.async_accept(kNoThrow);
  if (error) co_return absl::UnavailableError("WebSocket handshake: " + error.message());
  co_return absl::OkStatus();
}

}  // namespace

TransportFactory TcpTransports(size_t max_line) {
  return [max_line](tcp::socket& socket, const tcp::endpoint& remote) -> asio::awaitable<Made> {
    co_return std::unique_ptr<Transport>(
        new LineTransport<tcp::socket>(std::move(socket), remote, max_line, "tcp"));
  };
}

TransportFactory TlsTransports(const TlsCertificates& certificates, size_t max_line,
                               std::chrono::milliseconds handshake_timeout) {
  return [&certificates, max_line, handshake_timeout](
             tcp::socket& socket, const tcp::endpoint& remote) -> asio::awaitable<Made> {
    auto tls = co_await TlsHandshake(certificates, socket, handshake_timeout);
    if (!tls.ok()) co_return tls.status();
    co_return std::unique_ptr<Transport>(
        new LineTransport<TlsStream>(std::move(***tls), remote, max_line, "ssl"));
  };
}

TransportFactory WebSocketTransports(size_t max_message,
                                     std::chrono::milliseconds handshake_timeout) {
  return [max_message, handshake_timeout](tcp::socket& socket,
                                          const tcp::endpoint& remote) -> asio::awaitable<Made> {
    auto holder = std::make_shared<std::optional<websocket::stream<tcp::socket>>>();
    holder->emplace(std::move(socket));
    absl::Status accepted = co_await AcceptWebSocket(holder, max_message, handshake_timeout);
    if (!accepted.ok()) co_return accepted;
    co_return std::unique_ptr<Transport>(
        new WebSocketTransport<tcp::socket>(std::move(**holder), remote, "ws"));
  };
}

TransportFactory SecureWebSocketTransports(const TlsCertificates& certificates, size_t max_message,
                                           std::chrono::milliseconds handshake_timeout) {
  return [&certificates, max_message, handshake_timeout](
             tcp::socket& socket, const tcp::endpoint& remote) -> asio::awaitable<Made> {
    auto tls = co_await TlsHandshake(certificates, socket, handshake_timeout);
    if (!tls.ok()) co_return tls.status();
    auto holder = std::make_shared<std::optional<websocket::stream<TlsStream>>>();
    holder->emplace(std::move(***tls));
    absl::Status accepted = co_await AcceptWebSocket(holder, max_message, handshake_timeout);
    if (!accepted.ok()) co_return accepted;
    co_return std::unique_ptr<Transport>(
        new WebSocketTransport<TlsStream>(std::move(**holder), remote, "wss"));
  };
}

}  // namespace electrum::gateway
