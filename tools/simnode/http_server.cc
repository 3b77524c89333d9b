#include "tools/simnode/http_server.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "boost/asio/as_tuple.hpp"
#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "common/crypto/base64.h"
#include "tools/simnode/json_rpc_envelope.h"

namespace electrum::simnode {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string BasicAuthorization(const std::string& user, const std::string& password) {
  return "Basic " + Base64Encode(user + ":" + password);
}

struct HttpServer::Impl {
  Impl(asio::io_context& io, HttpServerOptions options, RpcDispatcher& dispatcher,
       std::atomic<bool>& warming_up)
      : io(io),
        options(std::move(options)),
        dispatcher(dispatcher),
        warming_up(warming_up),
        acceptor(io),
        expected_authorization(BasicAuthorization(this->options.user, this->options.password)) {}

  asio::awaitable<void> Accept() {
    while (acceptor.is_open()) {
      auto [error, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
      if (error) {
        if (error == asio::error::operation_aborted) co_return;
        continue;
      }
      asio::co_spawn(io, Serve(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> Serve(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    while (true) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(options.max_body_bytes);
      stream.expires_after(std::chrono::seconds(options.idle_timeout_seconds));
      auto [read_error, read_bytes] =
          co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
      if (read_error) co_return;
      http::request<http::string_body> request = parser.release();
      http::response<http::string_body> response = Respond(request);
      const bool keep_alive = response.keep_alive();
      auto [write_error, written] =
          co_await http::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
      if (write_error || !keep_alive) break;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  http::response<http::string_body> Respond(const http::request<http::string_body>& request) {
    http::response<http::string_body> response;
    response.version(request.version());
    response.keep_alive(request.keep_alive());
    response.set(http::field::server, "simnode");
    if (request[http::field::authorization] != expected_authorization) {
      response.result(http::status::unauthorized);
      response.set(http::field::www_authenticate, "Basic realm=\"jsonrpc\"");
      response.prepare_payload();
      return response;
    }
    if (request.method() != http::verb::post) {
      response.result(http::status::method_not_allowed);
      response.body() = "JSONRPC server handles only POST requests";
      response.prepare_payload();
      return response;
    }
    HttpReply reply = HandleJsonRpcBody(request.body(), dispatcher, warming_up.load());
    response.result(static_cast<http::status>(reply.status));
    if (reply.status != 204) {
      response.set(http::field::content_type, "application/json");
      response.body() = std::move(reply.body);
      response.body() += "\n";
    }
    response.prepare_payload();
    return response;
  }

  asio::io_context& io;
  HttpServerOptions options;
  RpcDispatcher& dispatcher;
  std::atomic<bool>& warming_up;
  tcp::acceptor acceptor;
  std::string expected_authorization;
};

HttpServer::HttpServer(asio::io_context& io, HttpServerOptions options, RpcDispatcher& dispatcher)
    : impl_(std::make_unique<Impl>(io, std::move(options), dispatcher, warming_up_)) {}

HttpServer::~HttpServer() = default;

absl::StatusOr<uint16_t> HttpServer::Start() {
  beast::error_code error;
  tcp::endpoint endpoint(asio::ip::make_address(impl_->options.bind_address, error),
                         impl_->options.port);
  if (error) return absl::InvalidArgumentError("bad bind address " + impl_->options.bind_address);
  impl_->acceptor.open(endpoint.protocol(), error);
  if (!error) impl_->acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) impl_->acceptor.bind(endpoint, error);
  if (!error) impl_->acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", impl_->options.bind_address,
                                               ":", impl_->options.port, ": ", error.message()));
  }
  asio::co_spawn(impl_->io, impl_->Accept(), asio::detached);
  return impl_->acceptor.local_endpoint().port();
}

void HttpServer::Stop() {
  beast::error_code ignored;
  impl_->acceptor.close(ignored);
}

}  // namespace electrum::simnode
