// Serves GET /metrics (Prometheus text format) over HTTP, normally on
// localhost; each request renders the metrics afresh.
#ifndef ELECTRUM_GATEWAY_SERVER_METRICS_HTTP_H_
#define ELECTRUM_GATEWAY_SERVER_METRICS_HTTP_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "boost/asio/awaitable.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"

namespace electrum::gateway {

class MetricsHttpServer {
 public:
  static absl::StatusOr<std::unique_ptr<MetricsHttpServer>> Bind(
      boost::asio::io_context& context, const std::string& address,
      std::function<std::string()> render);

  void Start();
  void Stop();
  uint16_t port() const { return port_; }

 private:
  MetricsHttpServer(boost::asio::ip::tcp::acceptor acceptor, std::function<std::string()> render);
  boost::asio::awaitable<void> AcceptLoop();
  boost::asio::awaitable<void> Serve(boost::asio::ip::tcp::socket socket);

  boost::asio::ip::tcp::acceptor acceptor_;
  std::function<std::string()> render_;
  uint16_t port_;
};

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_SERVER_METRICS_HTTP_H_
