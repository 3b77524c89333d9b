// electrum_gateway: the wallet-facing Electrum server. Speaks the Electrum
// protocol over TCP, TLS and WebSocket and serves it from the blockchain, mempool and address
// history services. Wiring only.
#include <algorithm>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>
#include <tuple>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/signal_set.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "common/chain/coins.h"
#include "common/process/init_main.h"
#include "gateway/admin/admin_service.h"
#include "gateway/cache/address_reply_cache.h"
#include "gateway/chain/header_follower.h"
#include "gateway/methods/dash_methods.h"
#include "gateway/methods/electrum_methods.h"
#include "gateway/methods/handler_support.h"
#include "gateway/methods/method_table.h"
#include "gateway/server/listener.h"
#include "gateway/server/metrics_http.h"
#include "gateway/server/tls_certificates.h"
#include "gateway/server/transport_factories.h"
#include "gateway/session/ban_list.h"
#include "gateway/session/session.h"
#include "gateway/session/session_groups.h"
#include "gateway/session/session_registry.h"
#include "gateway/subscriptions/mempool_change_follower.h"
#include "gateway/subscriptions/watch_hub.h"
#include "gateway/upstream/address_batches.h"
#include "services/common/grpc_server.h"
#include "spdlog/spdlog.h"

ABSL_FLAG(std::string, tcp_listen, "127.0.0.1:50001",
          "Electrum over plain TCP (host:port, [v6]:port; empty: off)");
ABSL_FLAG(std::string, ssl_listen, "", "Electrum over TLS (host:port; empty: off)");
ABSL_FLAG(std::string, ws_listen, "", "Electrum over WebSocket (host:port; empty: off)");
ABSL_FLAG(std::string, wss_listen, "", "Electrum over WebSocket over TLS (host:port; empty: off)");
ABSL_FLAG(std::string, ssl_certfile, "", "PEM certificate chain for ssl/wss (reloaded on SIGHUP)");
ABSL_FLAG(std::string, ssl_keyfile, "", "PEM private key for ssl/wss (reloaded on SIGHUP)");
ABSL_FLAG(int64_t, handshake_timeout_ms, 10000, "TLS and WebSocket handshakes must end by then");
ABSL_FLAG(std::string, admin_listen, "127.0.0.1:0",
          "Admin gRPC service (host:port; port 0 picks one; empty: off)");
ABSL_FLAG(std::string, metrics_listen, "127.0.0.1:0",
          "Prometheus metrics over HTTP (host:port; port 0 picks one; empty: off)");
ABSL_FLAG(std::string, blockchain_service, "127.0.0.1:50101", "Blockchain service address");
ABSL_FLAG(std::string, mempool_service, "127.0.0.1:50102", "Mempool service address");
ABSL_FLAG(std::string, history_service, "127.0.0.1:50103", "Address history service address");
ABSL_FLAG(int, threads, 0, "Worker threads, one io_context each (0: one per core)");
ABSL_FLAG(std::string, server_version, "ElectrumServer 0.1", "Reported software version");
ABSL_FLAG(std::string, banner_file, "", "File with the server.banner text");
ABSL_FLAG(std::string, donation_address, "", "server.donation_address answer");
ABSL_FLAG(std::string, drop_client, "", "Clients whose name matches this regex are refused");
ABSL_FLAG(std::string, report_host, "", "Host name advertised in server.features (empty: none)");
ABSL_FLAG(int64_t, max_sessions, 10000, "Most sessions open at once");
ABSL_FLAG(int64_t, max_sessions_per_ip, 1000, "Most sessions from one IP address");
ABSL_FLAG(int64_t, max_receive, 1000000, "Longest request line in bytes (MAX_RECV)");
ABSL_FLAG(int64_t, max_send, 0,
          "Largest response in bytes (MAX_SEND, at least 350,000); 0: the coin's default "
          "(8,100,000; AuxPoW coins 10,000,000)");
ABSL_FLAG(int64_t, max_batch, 100, "Most requests in one batch");
ABSL_FLAG(int64_t, max_send_queue, 16 << 20, "Bytes queued for a session before it is paused");
ABSL_FLAG(int64_t, max_subscriptions, 100000, "Most script hash subscriptions per session");
ABSL_FLAG(int64_t, max_name_proof_entries, 1000,
          "Most history entries one blockchain.name.get_value_proof walks (name-index coins)");
ABSL_FLAG(int, mempool_cycle_ms, 1000,
          "Dash: masternode statuses are re-sent after a mempool change at most this often");
ABSL_FLAG(int64_t, max_watched_scripthashes, 10000000,
          "Most distinct script hashes subscribed across all sessions");
ABSL_FLAG(int64_t, address_cache_mb, 64,
          "Replies to get_balance / listunspent / get_history kept until their script hash "
          "changes, in MB (0: off)");
ABSL_FLAG(int64_t, upstream_max_message_mb, 64,
          "Largest answer taken from a service, in MB (a batched history call carries many "
          "histories; one past this is asked again a script hash at a time)");
ABSL_FLAG(int64_t, address_batch_in_flight, 4,
          "Batched balance / unspent / history / status calls out to the history service at "
          "once, per method: further requests, from any sessions, queue and go together in the "
          "next (0: one call per request)");
ABSL_FLAG(int64_t, address_batch_max, 200, "Most script hashes in one batched call");
ABSL_FLAG(int64_t, address_cache_admission, 100000,
          "A script hash is cached from its second request among this many first ones");
ABSL_FLAG(int64_t, request_timeout_ms, 30000, "A request taking longer gets -102");
ABSL_FLAG(int64_t, idle_timeout_s, 600, "Sessions silent this long are closed");
ABSL_FLAG(int64_t, notify_timeout_ms, 30000,
          "A session not taking a notification for this long is closed");
ABSL_FLAG(int64_t, sweep_interval_ms, 1000, "How often timeouts are checked");
ABSL_FLAG(double, cost_soft_limit, 1000, "Session cost where throttling starts");
ABSL_FLAG(double, cost_hard_limit, 10000, "Session cost where it is disconnected");
ABSL_FLAG(double, bandwidth_unit_cost, 5000, "Bytes that cost 1.0");
ABSL_FLAG(int, initial_concurrent, 10, "Requests in flight per session under the soft limit");
ABSL_FLAG(int64_t, request_sleep_ms, 2500, "Delay per request at the hard limit");
ABSL_FLAG(int, session_group_ipv4_prefix, 24, "Sessions in one IPv4 subnet this wide share cost");
ABSL_FLAG(int, session_group_ipv6_prefix, 48, "Sessions in one IPv6 subnet this wide share cost");
ABSL_FLAG(bool, group_private_addresses, false,
          "Also group loopback and private addresses (normally exempt)");
ABSL_FLAG(int64_t, startup_timeout_s, 120, "How long to wait for the header copy at startup");
ABSL_FLAG(int64_t, shutdown_grace_ms, 3000, "In-flight requests get this long on shutdown");

namespace {

namespace asio = boost::asio;
using namespace electrum::gateway;
namespace v1 = electrum::v1;

std::string ReadFileOrEmpty(const std::string& path) {
  if (path.empty()) return "";
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

SessionLimits LimitsFromFlags() {
  SessionLimits limits;
  limits.max_receive = static_cast<size_t>(absl::GetFlag(FLAGS_max_receive));
  limits.max_send = static_cast<size_t>(absl::GetFlag(FLAGS_max_send));
  limits.parse.max_batch = static_cast<size_t>(absl::GetFlag(FLAGS_max_batch));
  limits.max_send_queue = static_cast<size_t>(absl::GetFlag(FLAGS_max_send_queue));
  limits.max_subscriptions = static_cast<size_t>(absl::GetFlag(FLAGS_max_subscriptions));
  limits.max_name_proof_entries = static_cast<size_t>(absl::GetFlag(FLAGS_max_name_proof_entries));
  limits.request_timeout = std::chrono::milliseconds(absl::GetFlag(FLAGS_request_timeout_ms));
  limits.idle_timeout = std::chrono::seconds(absl::GetFlag(FLAGS_idle_timeout_s));
  limits.notify_timeout = std::chrono::milliseconds(absl::GetFlag(FLAGS_notify_timeout_ms));
  limits.cost.soft_limit = absl::GetFlag(FLAGS_cost_soft_limit);
  limits.cost.hard_limit =
      std::max(absl::GetFlag(FLAGS_cost_hard_limit), limits.cost.soft_limit + 1);
  limits.cost.bandwidth_unit_bytes = absl::GetFlag(FLAGS_bandwidth_unit_cost);
  limits.cost.initial_concurrent = absl::GetFlag(FLAGS_initial_concurrent);
  limits.cost.request_sleep = std::chrono::milliseconds(absl::GetFlag(FLAGS_request_sleep_ms));
  return limits;
}

// The indexed coin, as the blockchain service reports it.
absl::StatusOr<const electrum::chain::CoinParams*> IndexedCoin(
    v1::BlockchainService::StubInterface& stub) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  context.set_wait_for_ready(true);
  v1::GetChainInfoResponse info;
  const grpc::Status answered = stub.GetChainInfo(&context, {}, &info);
  if (!answered.ok()) {
    return absl::UnavailableError(
        absl::StrCat("the blockchain service at ", absl::GetFlag(FLAGS_blockchain_service),
                     " did not answer GetChainInfo: ", answered.error_message()));
  }
  return electrum::chain::FindCoin(info.coin(), info.network());
}

asio::awaitable<void> Sweep(SessionRegistry& registry, std::chrono::milliseconds every) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    timer.expires_after(every);
    co_await timer.async_wait(asio::use_awaitable);
    const auto now = std::chrono::steady_clock::now();
    registry.PostToAll([now](Session& session) { session.CheckTimeouts(now); });
  }
}

int Run() {
  Upstream upstream;
  auto channel_to = [](const std::string& address) {
    grpc::ChannelArguments arguments;
    arguments.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
    arguments.SetMaxReceiveMessageSize(static_cast<int>(
        std::clamp<int64_t>(absl::GetFlag(FLAGS_upstream_max_message_mb), 4, 1024) << 20));
    return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), arguments);
  };
  upstream.blockchain =
      v1::BlockchainService::NewStub(channel_to(absl::GetFlag(FLAGS_blockchain_service)));
  upstream.mempool = v1::MempoolService::NewStub(channel_to(absl::GetFlag(FLAGS_mempool_service)));
  upstream.history =
      v1::AddressHistoryService::NewStub(channel_to(absl::GetFlag(FLAGS_history_service)));
  upstream.dash = v1::DashService::NewStub(channel_to(absl::GetFlag(FLAGS_blockchain_service)));
  absl::StatusOr<const electrum::chain::CoinParams*> coin = IndexedCoin(*upstream.blockchain);
  if (!coin.ok()) {
    spdlog::error("{}", std::string(coin.status().message()));
    return 1;
  }
  spdlog::info("serving {} {}", (*coin)->name, (*coin)->network);

  GatewayMetrics metrics;
  MethodTable methods = ElectrumMethods(**coin);
  methods.AttachMetrics(metrics);
  HeaderStore headers;
  WatchHub hub({.max_watched = static_cast<size_t>(absl::GetFlag(FLAGS_max_watched_scripthashes))},
               *upstream.history);
  // Sees every status before sessions do (set before the hub starts).
  AddressReplyCache address_cache(
      {.max_bytes = static_cast<size_t>(std::max<int64_t>(absl::GetFlag(FLAGS_address_cache_mb), 0))
                    << 20,
       .admission_window =
           static_cast<size_t>(std::max<int64_t>(absl::GetFlag(FLAGS_address_cache_admission), 1))},
      hub);
  hub.SetObserver(&address_cache);
  // The hub's thread calls the cache: on every way out of here it stops
  // before the cache (declared after the hub) is destroyed.
  struct StopHubFirst {
    WatchHub& hub;
    ~StopHubFirst() { hub.Stop(); }
  } stop_hub_first{hub};
  SessionRegistry registry({static_cast<size_t>(absl::GetFlag(FLAGS_max_sessions)),
                            static_cast<size_t>(absl::GetFlag(FLAGS_max_sessions_per_ip))});

  SessionGroups groups(
      {.ipv4_prefix = absl::GetFlag(FLAGS_session_group_ipv4_prefix),
       .ipv6_prefix = absl::GetFlag(FLAGS_session_group_ipv6_prefix),
       .retained_decay_per_second = std::max(absl::GetFlag(FLAGS_cost_hard_limit), 1.0) / 5000,
       .group_private_addresses = absl::GetFlag(FLAGS_group_private_addresses)});

  BanList bans;
  GatewayContext gateway;
  gateway.identity.server_version = absl::GetFlag(FLAGS_server_version);
  gateway.identity.banner = ReadFileOrEmpty(absl::GetFlag(FLAGS_banner_file));
  gateway.identity.donation_address = absl::GetFlag(FLAGS_donation_address);
  if (!absl::GetFlag(FLAGS_drop_client).empty()) {
    gateway.identity.drop_client.emplace(absl::GetFlag(FLAGS_drop_client));
  }
  gateway.limits = LimitsFromFlags();
  gateway.methods = &methods;
  gateway.headers = &headers;
  gateway.hub = &hub;
  if (absl::GetFlag(FLAGS_address_cache_mb) > 0) gateway.address_cache = &address_cache;
  gateway.upstream = &upstream;
  AddressBatches address_batches(
      upstream.history.get(),
      {.max_in_flight =
           static_cast<size_t>(std::max<int64_t>(absl::GetFlag(FLAGS_address_batch_in_flight), 0)),
       .max_batch =
           static_cast<size_t>(std::max<int64_t>(absl::GetFlag(FLAGS_address_batch_max), 1))},
      static_cast<uint32_t>(gateway.limits.max_history_entries() - 1));
  if (absl::GetFlag(FLAGS_address_batch_in_flight) > 0) gateway.address_batches = &address_batches;
  gateway.registry = &registry;
  gateway.groups = &groups;
  gateway.metrics = &metrics;
  gateway.bans = &bans;

  gateway.coin = *coin;
  if (gateway.limits.max_send == 0) gateway.limits.max_send = (*coin)->default_max_send;
  gateway.identity.genesis_hash = (*coin)->genesis_hash.ToDisplayHex();
  // Dash re-sends masternode statuses on every new tip and mempool change.
  std::optional<MempoolChangeFollower> mempool_changes;
  if ((*coin)->extensions == electrum::chain::ExtensionSet::kDash) {
    gateway.on_notification_cycle = [&gateway](Session& session) {
      ResendMasternodeStatuses(session, gateway);
    };
    mempool_changes.emplace(
        MempoolChangeFollowerOptions{
            .min_interval = std::chrono::milliseconds(absl::GetFlag(FLAGS_mempool_cycle_ms))},
        *upstream.mempool, [&registry] {
          registry.PostToAll([](Session& session) { session.NotifyMempoolChange(); });
        });
    mempool_changes->Start();
  }

  HeaderFollower follower({}, *upstream.blockchain, headers,
                          [&registry](const StoredHeader& tip) { registry.NotifyTip(tip); });
  follower.Start();
  hub.Start();
  if (!follower.WaitUntilSynced(std::chrono::seconds(absl::GetFlag(FLAGS_startup_timeout_s)))) {
    spdlog::error("no headers from the blockchain service after {} s",
                  absl::GetFlag(FLAGS_startup_timeout_s));
    return 1;
  }
  spdlog::info("header copy at height {}", headers.tip_height());

  int thread_count = absl::GetFlag(FLAGS_threads);
  if (thread_count <= 0) thread_count = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<asio::io_context*> workers;
  for (int i = 0; i < thread_count; ++i) {
    contexts.push_back(std::make_unique<asio::io_context>(1));
    workers.push_back(contexts.back().get());
  }
  asio::io_context& main_context = *contexts.front();

  std::vector<std::unique_ptr<Listener>> listeners;
  const size_t max_message = gateway.limits.max_receive;
  const std::chrono::milliseconds handshake_timeout(absl::GetFlag(FLAGS_handshake_timeout_ms));
  std::optional<TlsCertificates> certificates;
  if (!absl::GetFlag(FLAGS_ssl_listen).empty() || !absl::GetFlag(FLAGS_wss_listen).empty()) {
    certificates.emplace(absl::GetFlag(FLAGS_ssl_certfile), absl::GetFlag(FLAGS_ssl_keyfile));
    if (absl::Status loaded = certificates->Reload(); !loaded.ok()) {
      spdlog::error("{} (--ssl_certfile / --ssl_keyfile)", std::string(loaded.message()));
      return 2;
    }
  }
  const std::vector<std::tuple<std::string, std::string, std::function<TransportFactory()>>>
      transports = {
          {absl::GetFlag(FLAGS_tcp_listen), "tcp", [&] { return TcpTransports(max_message); }},
          {absl::GetFlag(FLAGS_ssl_listen), "ssl",
           [&] { return TlsTransports(*certificates, max_message, handshake_timeout); }},
          {absl::GetFlag(FLAGS_ws_listen), "ws",
           [&] { return WebSocketTransports(max_message, handshake_timeout); }},
          {absl::GetFlag(FLAGS_wss_listen), "wss",
           [&] {
             return SecureWebSocketTransports(*certificates, max_message, handshake_timeout);
           }},
      };
  for (const auto& [address, kind, factory] : transports) {
    if (address.empty()) continue;
    auto listener = Listener::Bind(main_context, workers, address, kind, factory(), gateway);
    if (!listener.ok()) {
      spdlog::error("{}", std::string(listener.status().message()));
      return 1;
    }
    listeners.push_back(std::move(*listener));
  }
  if (const std::string host = absl::GetFlag(FLAGS_report_host); !host.empty()) {
    nlohmann::json ports = nlohmann::json::object();
    for (const auto& listener : listeners) {
      ports[listener->kind() == "tcp" ? "tcp_port" : listener->kind() + "_port"] = listener->port();
      gateway.identity.services.push_back(listener->kind() + "://" + host + ":" +
                                          std::to_string(listener->port()));
    }
    gateway.identity.hosts[host] = ports;
  }
  for (const auto& listener : listeners) {
    listener->Start();
    spdlog::info("Electrum over {} on port {}", listener->kind(), listener->port());
  }
  std::unique_ptr<MetricsHttpServer> metrics_server;
  if (const std::string address = absl::GetFlag(FLAGS_metrics_listen); !address.empty()) {
    auto bound = MetricsHttpServer::Bind(main_context, address, [&] {
      std::string text = metrics.Render();
      absl::StrAppend(&text, "# TYPE electrum_watched_scripthashes gauge\n",
                      "electrum_watched_scripthashes ", hub.watched(), "\n",
                      "# TYPE electrum_tip_height gauge\nelectrum_tip_height ",
                      headers.tip_height(), "\n");
      return text;
    });
    if (!bound.ok()) {
      spdlog::error("{}", std::string(bound.status().message()));
      return 1;
    }
    metrics_server = std::move(*bound);
    metrics_server->Start();
    spdlog::info("metrics on http://{}/metrics (port {})", address, metrics_server->port());
  }

  AdminService admin(gateway, bans);
  std::unique_ptr<grpc::Server> admin_server;
  if (const std::string address = absl::GetFlag(FLAGS_admin_listen); !address.empty()) {
    auto started = electrum::services::StartGrpcServer({.address = address}, {&admin});
    if (!started.ok()) {
      spdlog::error("admin service: {}", std::string(started.status().message()));
      return 1;
    }
    admin_server = std::move(started->server);
    spdlog::info("admin gRPC on port {}", started->port);
  }

  asio::co_spawn(main_context,
                 Sweep(registry, std::chrono::milliseconds(absl::GetFlag(FLAGS_sweep_interval_ms))),
                 asio::detached);
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  for (auto* worker : workers) guards.push_back(asio::make_work_guard(*worker));

  // SIGHUP: reload the TLS certificate and key (new connections use them).
  asio::signal_set reload(main_context, SIGHUP);
  std::function<void(const boost::system::error_code&, int)> on_reload =
      [&](const boost::system::error_code& error, int) {
        if (error) return;
        if (certificates) {
          absl::Status reloaded = certificates->Reload();
          if (reloaded.ok()) {
            spdlog::info("TLS certificate reloaded");
          } else {
            spdlog::error("TLS reload failed, keeping the old pair: {}",
                          std::string(reloaded.message()));
          }
        }
        reload.async_wait(on_reload);
      };
  reload.async_wait(on_reload);

  asio::signal_set signals(main_context, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& error, int) {
    if (error) return;
    spdlog::info("shutting down: no new connections, {} session(s) to close", registry.size());
    for (const auto& listener : listeners) listener->Stop();
    if (metrics_server) metrics_server->Stop();
    reload.cancel();
    // Sessions stop reading and close once their requests are answered;
    // whatever is left when the grace period ends is closed anyway.
    registry.PostToAll([](Session& session) { session.Drain("server shutting down"); });
    const auto give_up = std::chrono::steady_clock::now() +
                         std::chrono::milliseconds(absl::GetFlag(FLAGS_shutdown_grace_ms));
    auto poll = std::make_shared<asio::steady_timer>(main_context);
    auto finish = std::make_shared<std::function<void()>>();
    *finish = [&, poll, give_up, finish] {
      if (registry.size() > 0 && std::chrono::steady_clock::now() < give_up) {
        poll->expires_after(std::chrono::milliseconds(50));
        poll->async_wait([finish](const boost::system::error_code&) { (*finish)(); });
        return;
      }
      registry.PostToAll([](Session& session) { session.Close("server shutting down"); });
      for (auto& guard : guards) guard.reset();
      for (auto* worker : workers) {
        asio::post(*worker, [worker] { worker->stop(); });
      }
      *finish = nullptr;  // breaks the self-reference
    };
    (*finish)();
  });

  std::vector<std::thread> threads;
  for (size_t i = 1; i < workers.size(); ++i) {
    threads.emplace_back([worker = workers[i]] { worker->run(); });
  }
  main_context.run();
  for (auto& thread : threads) thread.join();
  if (admin_server) admin_server->Shutdown(std::chrono::system_clock::now());
  follower.Stop();
  if (mempool_changes) mempool_changes->Stop();
  hub.Stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  electrum::InitMain(argc, argv, "gateway",
                     "The Electrum server wallets connect to (TCP, TLS, WebSocket), "
                     "answering from the blockchain, mempool and address history services");
  return Run();
}
