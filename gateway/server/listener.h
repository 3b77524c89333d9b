// Accepts connections on one address for one transport and starts a session
// for each, spreading sessions over the worker io_contexts (one per core).
#ifndef ELECTRUM_GATEWAY_SERVER_LISTENER_H_
#define ELECTRUM_GATEWAY_SERVER_LISTENER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "boost/asio/awaitable.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "gateway/session/gateway_context.h"
#include "gateway/session/transport.h"

namespace electrum::gateway {

// Turns an accepted socket into a transport (a TLS or WebSocket handshake
// happens here; the socket is moved from); an error closes the connection.
using TransportFactory =
    std::function<boost::asio::awaitable<absl::StatusOr<std::unique_ptr<Transport>>>(
        boost::asio::ip::tcp::socket& socket, const boost::asio::ip::tcp::endpoint& remote)>;

class Listener {
 public:
  // Binds now, so a taken port is reported at startup.
  static absl::StatusOr<std::unique_ptr<Listener>> Bind(
      boost::asio::io_context& accept_context, std::vector<boost::asio::io_context*> workers,
      const std::string& address, std::string kind, TransportFactory factory,
      const GatewayContext& gateway);

  void Start();
  void Stop();
  uint16_t port() const { return port_; }
  const std::string& kind() const { return kind_; }

 private:
  Listener(boost::asio::ip::tcp::acceptor acceptor, std::vector<boost::asio::io_context*> workers,
           std::string kind, TransportFactory factory, const GatewayContext& gateway);
  boost::asio::awaitable<void> AcceptLoop();
  boost::asio::awaitable<void> Open(boost::asio::ip::tcp::socket socket,
                                    boost::asio::ip::tcp::endpoint remote);

  boost::asio::ip::tcp::acceptor acceptor_;
  std::vector<boost::asio::io_context*> workers_;
  size_t next_worker_ = 0;
  std::string kind_;
  TransportFactory factory_;
  const GatewayContext& gateway_;
  uint16_t port_ = 0;
};

// "host:port" or "[v6]:port".
absl::StatusOr<boost::asio::ip::tcp::endpoint> ParseEndpoint(const std::string& address);

// A listening acceptor on `address` (IPv6 addresses are IPv6-only), or
// UNAVAILABLE naming `purpose` and the reason.
absl::StatusOr<boost::asio::ip::tcp::acceptor> ListenOn(boost::asio::io_context& context,
                                                        const std::string& address,
                                                        const std::string& purpose);

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_SERVER_LISTENER_H_
