#include "gateway/server/listener.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "boost/asio/as_tuple.hpp"
#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/ip/v6_only.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "gateway/session/ban_list.h"
#include "gateway/session/session.h"
#include "gateway/session/session_registry.h"
#include "spdlog/spdlog.h"

namespace electrum::gateway {

namespace asio = boost::asio;
using asio::ip::tcp;

absl::StatusOr<tcp::endpoint> ParseEndpoint(const std::string& address) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat("address \"", address, "\" has no port"));
  }
  std::string host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  uint32_t port = 0;
  if (!absl::SimpleAtoi(address.substr(colon + 1), &port) || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("address \"", address, "\" has a bad port"));
  }
  boost::system::error_code error;
  asio::ip::address ip = asio::ip::make_address(host, error);
  if (error) {
    return absl::InvalidArgumentError(
        absl::StrCat("address \"", address, "\" is not an IP address"));
  }
  return tcp::endpoint(ip, static_cast<uint16_t>(port));
}

absl::StatusOr<tcp::acceptor> ListenOn(asio::io_context& context, const std::string& address,
                                       const std::string& purpose) {
  absl::StatusOr<tcp::endpoint> endpoint = ParseEndpoint(address);
  if (!endpoint.ok()) return endpoint.status();
  tcp::acceptor acceptor(context);
  boost::system::error_code error;
  acceptor.open(endpoint->protocol(), error);
  if (!error) acceptor.set_option(tcp::acceptor::reuse_address(true), error);
  if (!error && endpoint->address().is_v6()) acceptor.set_option(asio::ip::v6_only(true), error);
  if (!error) acceptor.bind(*endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", address, " for ", purpose, ": ", error.message()));
  }
  return acceptor;
}

absl::StatusOr<std::unique_ptr<Listener>> Listener::Bind(asio::io_context& accept_context,
                                                         std::vector<asio::io_context*> workers,
                                                         const std::string& address,
                                                         std::string kind, TransportFactory factory,
                                                         const GatewayContext& gateway) {
  absl::StatusOr<tcp::acceptor> acceptor = ListenOn(accept_context, address, kind);
  if (!acceptor.ok()) return acceptor.status();
  return std::unique_ptr<Listener>(new Listener(std::move(*acceptor), std::move(workers),
                                                std::move(kind), std::move(factory), gateway));
}

Listener::Listener(tcp::acceptor acceptor, std::vector<asio::io_context*> workers, std::string kind,
                   TransportFactory factory, const GatewayContext& gateway)
    : acceptor_(std::move(acceptor)),
      workers_(std::move(workers)),
      kind_(std::move(kind)),
      factory_(std::move(factory)),
      gateway_(gateway),
      port_(acceptor_.local_endpoint().port()) {}

void Listener::Start() { asio::co_spawn(acceptor_.get_executor(), AcceptLoop(), asio::detached); }

void Listener::Stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

asio::awaitable<void> Listener::AcceptLoop() {
  while (acceptor_.is_open()) {
    asio::io_context& worker = *workers_[next_worker_++ % workers_.size()];
    auto [error, socket] =
        co_await acceptor_.async_accept(worker, asio::as_tuple(asio::use_awaitable));
    if (error) {
      if (error == asio::error::operation_aborted || !acceptor_.is_open()) break;
      spdlog::warn("{} accept failed: {}", kind_, error.message());
      continue;
    }
    boost::system::error_code endpoint_error;
    tcp::endpoint remote = socket.remote_endpoint(endpoint_error);
    if (endpoint_error) continue;
    if (gateway_.bans != nullptr && gateway_.bans->IsBanned(remote.address())) {
      gateway_.metrics->refused_connections.Add();
      spdlog::info("refusing {} connection from banned {}", kind_, remote.address().to_string());
      continue;
    }
    absl::Status admitted = gateway_.registry->Admit(remote.address());
    if (!admitted.ok()) {
      gateway_.metrics->refused_connections.Add();
      spdlog::warn("refusing {} connection from {}: {}", kind_, remote.address().to_string(),
                   std::string(admitted.message()));
      continue;  // the socket closes as it goes out of scope
    }
    socket.set_option(tcp::no_delay(true), endpoint_error);
    asio::co_spawn(worker, Open(std::move(socket), remote), asio::detached);
  }
}

asio::awaitable<void> Listener::Open(tcp::socket socket, tcp::endpoint remote) {
  auto executor = socket.get_executor();
  absl::StatusOr<std::unique_ptr<Transport>> transport = co_await factory_(socket, remote);
  if (!transport.ok()) {
    spdlog::info("{} handshake with {} failed: {}", kind_, remote.address().to_string(),
                 std::string(transport.status().message()));
    gateway_.registry->Release(remote.address());
    co_return;
  }
  auto session = std::make_shared<Session>(gateway_.registry->NextId(), executor,
                                           std::move(*transport), gateway_);
  gateway_.registry->Add(session);
  session->Start();
}

}  // namespace electrum::gateway
