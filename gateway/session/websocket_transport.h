// One JSON-RPC message per WebSocket text frame, no newline (spec §1.1),
// over plain TCP (ws) or TLS (wss). Beast answers pings and enforces the
// message size limit (a larger message fails the connection).
#ifndef ELECTRUM_GATEWAY_SESSION_WEBSOCKET_TRANSPORT_H_
#define ELECTRUM_GATEWAY_SESSION_WEBSOCKET_TRANSPORT_H_

#include <utility>

#include "boost/asio/as_tuple.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "boost/beast/core/buffers_to_string.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/websocket.hpp"
#include "gateway/session/transport.h"

namespace electrum::gateway {

template <typename NextLayer>
class WebSocketTransport final : public Transport {
 public:
  using Stream = boost::beast::websocket::stream<NextLayer>;

  // `stream` has completed its handshake.
  WebSocketTransport(Stream stream, boost::asio::ip::tcp::endpoint remote, const char* kind)
      : stream_(std::move(stream)), remote_(std::move(remote)), kind_(kind) {
    stream_.text(true);
  }

  boost::asio::awaitable<bool> Read(std::vector<std::string>& messages) override {
    boost::beast::flat_buffer buffer;
    auto [error, size] =
        co_await stream_.async_read(buffer, boost::asio::as_tuple(boost::asio::use_awaitable));
    if (error) co_return false;
    messages.push_back(boost::beast::buffers_to_string(buffer.data()));
    co_return true;
  }

  boost::asio::awaitable<bool> Write(const std::vector<std::string>& messages) override {
    for (const std::string& message : messages) {
      auto [error, written] = co_await stream_.async_write(
          boost::asio::buffer(message), boost::asio::as_tuple(boost::asio::use_awaitable));
      if (error) co_return false;
    }
    co_return true;
  }

  void Close() override {
    boost::system::error_code ignored;
    Socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    Socket().close(ignored);
  }

  void Abort() override {
    boost::system::error_code ignored;
    Socket().set_option(boost::asio::socket_base::linger(true, 0), ignored);
    Socket().close(ignored);
  }

  size_t TakeDroppedMessages() override { return 0; }
  const char* kind() const override { return kind_; }
  const boost::asio::ip::tcp::endpoint& remote() const override { return remote_; }

 private:
  boost::asio::ip::tcp::socket& Socket() { return boost::beast::get_lowest_layer(stream_); }

  Stream stream_;
  boost::asio::ip::tcp::endpoint remote_;
  const char* kind_;
};

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_SESSION_WEBSOCKET_TRANSPORT_H_
