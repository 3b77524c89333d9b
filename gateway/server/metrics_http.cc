#include "gateway/server/metrics_http.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "boost/asio/as_tuple.hpp"
#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/core/tcp_stream.hpp"
#include "boost/beast/http.hpp"
#include "gateway/server/listener.h"

namespace electrum::gateway {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

namespace {
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
// A scrape must arrive and be answered within this.
constexpr std::chrono::seconds kRequestTimeout(10);
constexpr size_t kMaxRequestsPerConnection = 100;
}  // namespace

absl::StatusOr<std::unique_ptr<MetricsHttpServer>> MetricsHttpServer::Bind(
    asio::io_context& context, const std::string& address, std::function<std::string()> render) {
  absl::StatusOr<tcp::acceptor> acceptor = ListenOn(context, address, "metrics");
  if (!acceptor.ok()) return acceptor.status();
  return std::unique_ptr<MetricsHttpServer>(
      new MetricsHttpServer(std::move(*acceptor), std::move(render)));
}

MetricsHttpServer::MetricsHttpServer(tcp::acceptor acceptor, std::function<std::string()> render)
    : acceptor_(std::move(acceptor)),
      render_(std::move(render)),
      port_(acceptor_.local_endpoint().port()) {}

void MetricsHttpServer::Start() {
  asio::co_spawn(acceptor_.get_executor(), AcceptLoop(), asio::detached);
}

void MetricsHttpServer::Stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

asio::awaitable<void> MetricsHttpServer::AcceptLoop() {
  while (acceptor_.is_open()) {
    auto [error, socket] = co_await acceptor_.async_accept(kNoThrow);
    if (error) {
      if (!acceptor_.is_open()) break;
      continue;
    }
    asio::co_spawn(acceptor_.get_executor(), Serve(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> MetricsHttpServer::Serve(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (size_t served = 0; served < kMaxRequestsPerConnection; ++served) {
    http::request<http::string_body> request;
    stream.expires_after(kRequestTimeout);
    auto [read_error, read] = co_await http::async_read(stream, buffer, request, kNoThrow);
    if (read_error) break;
    http::response<http::string_body> response;
    response.version(request.version());
    response.keep_alive(request.keep_alive());
    const std::string target(request.target());
    if (request.method() == http::verb::get && (target == "/metrics" || target == "/")) {
      response.result(http::status::ok);
      response.set(http::field::content_type, "text/plain; version=0.0.4");
      response.body() = render_();
    } else {
      response.result(http::status::not_found);
      response.set(http::field::content_type, "text/plain");
      response.body() = "only GET /metrics is served here\n";
    }
    response.prepare_payload();
    auto [write_error, written] = co_await http::async_write(stream, response, kNoThrow);
    if (write_error || !response.keep_alive()) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

}  // namespace electrum::gateway
