// What a session reads JSON-RPC messages from and writes them to. Raw TCP
// and TLS frame messages by newlines; WebSocket frames them itself (spec
// §1.1). All operations run on the session's executor.
#ifndef ELECTRUM_GATEWAY_SESSION_TRANSPORT_H_
#define ELECTRUM_GATEWAY_SESSION_TRANSPORT_H_

#include <string>
#include <vector>

#include "boost/asio/awaitable.hpp"
#include "boost/asio/ip/tcp.hpp"

namespace electrum::gateway {

class Transport {
 public:
  virtual ~Transport() = default;

  // Waits for input and appends every complete message to `messages`
  // (possibly none). False once the peer closed or the connection failed.
  virtual boost::asio::awaitable<bool> Read(std::vector<std::string>& messages) = 0;
  // Sends each message as one frame. False when the connection failed.
  virtual boost::asio::awaitable<bool> Write(const std::vector<std::string>& messages) = 0;
  // Ends the connection; pending operations complete with failure. Data
  // already written still reaches the peer.
  virtual void Close() = 0;
  // Ends it at once (TCP reset), dropping whatever the peer has not taken:
  // for peers that stopped reading.
  virtual void Abort() = 0;
  // Oversized incoming messages dropped since the last call.
  virtual size_t TakeDroppedMessages() = 0;

  // "tcp", "ssl", "ws" or "wss".
  virtual const char* kind() const = 0;
  virtual const boost::asio::ip::tcp::endpoint& remote() const = 0;
};

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_SESSION_TRANSPORT_H_
