// Newline-framed messages over a byte stream: a plain TCP socket or a TLS
// stream (spec §1.1). Idle connections hold no read buffer: reads go into a
// per-thread buffer and only an unfinished line is kept per connection.
#ifndef ELECTRUM_GATEWAY_SESSION_LINE_TRANSPORT_H_
#define ELECTRUM_GATEWAY_SESSION_LINE_TRANSPORT_H_

#include <array>
#include <type_traits>
#include <utility>

#include "boost/asio/as_tuple.hpp"
#include "boost/asio/ssl/stream.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "boost/asio/write.hpp"
#include "gateway/jsonrpc/line_framer.h"
#include "gateway/session/transport.h"

namespace electrum::gateway {

template <typename Stream>
class LineTransport final : public Transport {
 public:
  LineTransport(Stream stream, boost::asio::ip::tcp::endpoint remote, size_t max_line,
                const char* kind)
      : stream_(std::move(stream)), remote_(std::move(remote)), framer_(max_line), kind_(kind) {
    if constexpr (std::is_same_v<Stream, boost::asio::ip::tcp::socket>) {
      boost::system::error_code ignored;
      stream_.non_blocking(true, ignored);
    }
  }

  boost::asio::awaitable<bool> Read(std::vector<std::string>& messages) override {
    constexpr auto kTuple = boost::asio::as_tuple(boost::asio::use_awaitable);
    thread_local std::array<char, 64 * 1024> buffer;
    size_t received = 0;
    if constexpr (std::is_same_v<Stream, boost::asio::ip::tcp::socket>) {
      // Wait for readability without a buffer, then take what is there.
      auto [wait_error] =
          co_await stream_.async_wait(boost::asio::ip::tcp::socket::wait_read, kTuple);
      if (wait_error) co_return false;
      boost::system::error_code error;
      received = stream_.read_some(boost::asio::buffer(buffer), error);
      if (error == boost::asio::error::would_block) co_return true;
      if (error) co_return false;
    } else {
      auto [error, n] = co_await stream_.async_read_some(boost::asio::buffer(buffer), kTuple);
      if (error) co_return false;
      received = n;
    }
    dropped_ += framer_.Append(std::string_view(buffer.data(), received), messages);
    co_return true;
  }

  boost::asio::awaitable<bool> Write(const std::vector<std::string>& messages) override {
    static const char kNewline = '\n';
    std::vector<boost::asio::const_buffer> buffers;
    buffers.reserve(messages.size() * 2);
    for (const std::string& message : messages) {
      buffers.push_back(boost::asio::buffer(message));
      buffers.push_back(boost::asio::buffer(&kNewline, 1));
    }
    auto [error, written] = co_await boost::asio::async_write(
        stream_, buffers, boost::asio::as_tuple(boost::asio::use_awaitable));
    co_return !error;
  }

  void Close() override {
    boost::system::error_code ignored;
    auto& socket = Socket();
    socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }

  void Abort() override {
    boost::system::error_code ignored;
    Socket().set_option(boost::asio::socket_base::linger(true, 0), ignored);
    Socket().close(ignored);
  }

  size_t TakeDroppedMessages() override { return std::exchange(dropped_, 0); }
  const char* kind() const override { return kind_; }
  const boost::asio::ip::tcp::endpoint& remote() const override { return remote_; }

 private:
  boost::asio::ip::tcp::socket& Socket() {
    if constexpr (std::is_same_v<Stream, boost::asio::ip::tcp::socket>) {
      return stream_;
    } else {
      return stream_.next_layer();
    }
  }

  Stream stream_;
  boost::asio::ip::tcp::endpoint remote_;
  LineFramer framer_;
  const char* kind_;
  size_t dropped_ = 0;
};

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_SESSION_LINE_TRANSPORT_H_
