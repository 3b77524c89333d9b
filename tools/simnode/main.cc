// simnode: a Bitcoin Core-compatible regtest node for the embedded default,
// tests and benchmarks. See --help; README lists the differences from Core.
#include <sys/random.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/signal_set.hpp"
#include "boost/asio/steady_timer.hpp"
#include "common/chain/address.h"
#include "common/chain/coins.h"
#include "common/crypto/hex.h"
#include "common/process/init_main.h"
#include "common/status/status_macros.h"
#include "spdlog/spdlog.h"
#include "tools/simnode/churn.h"
#include "tools/simnode/http_server.h"
#include "tools/simnode/mainnet_workload.h"
#include "tools/simnode/node.h"
#include "tools/simnode/rpc_dispatcher.h"
#include "tools/simnode/tx_builder.h"
#include "tools/simnode/workload.h"
#include "tools/simnode/zmq_publisher.h"

ABSL_FLAG(std::string, coin, "bitcoin",
          "Chain to simulate: bitcoin (regtest), namecoin (regtest: AuxPoW, name operations) "
          "or dash (regtest: DIP 2/4 coinbase; block hashes are SHA-256d, not X11, except "
          "genesis)");
ABSL_FLAG(std::string, datadir, "simnode-data", "Directory for the chain log and .cookie");
ABSL_FLAG(std::string, rpcbind, "127.0.0.1", "Address the JSON-RPC server listens on");
ABSL_FLAG(int, rpcport, 18443, "JSON-RPC port (0: pick a free one and print it)");
ABSL_FLAG(std::string, rpcuser, "", "RPC user; empty: cookie authentication (<datadir>/.cookie)");
ABSL_FLAG(std::string, rpcpassword, "", "RPC password (with --rpcuser)");
ABSL_FLAG(std::string, zmqpub, "",
          "Publish all ZMQ topics (hashblock, rawblock, hashtx, rawtx, sequence) on this "
          "endpoint, e.g. tcp://127.0.0.1:28332");
ABSL_FLAG(int64_t, mocktime, 0, "Fixed clock in seconds since 1970 (0: real time)");
// The workload spends coinbases 100 blocks deep.
constexpr int kMinResidentBlocks = 200;
ABSL_FLAG(int, resident_blocks, 0,
          "With --datadir: blocks below the tip whose contents stay in memory; older ones are "
          "read back from the chain log and cannot be reorganized (0: all in memory)");
ABSL_FLAG(int, initial_blocks, 0, "Mine until the chain has at least this height at start");
ABSL_FLAG(std::string, mining_address, "",
          "Where --initial_blocks pays (default: a fixed P2PKH script)");
ABSL_FLAG(int64_t, fee_estimate, 2000,
          "estimatesmartfee answer in sat/kvB (0: Core's 'Insufficient data')");
ABSL_FLAG(int, warmup_ms, 0, "Answer -28 (warming up) for this long after start");
ABSL_FLAG(int, workload_blocks, 0,
          "Pre-generate a synthetic chain of this many blocks into a fresh datadir (see "
          "tools/simnode/workload.h); an existing datadir must hold the same workload");
ABSL_FLAG(std::string, workload, "synthetic",
          "synthetic (--workload_blocks; tools/simnode/workload.h) or mainnet "
          "(--workload_transactions, shaped like Bitcoin mainnet; docs/mainnet_shape.md)");
ABSL_FLAG(int64_t, workload_transactions, 0,
          "With --workload=mainnet: pre-generate this many transactions into a fresh datadir");
ABSL_FLAG(int, workload_txs_per_block, 1000,
          "Transactions per generated block (--workload=mainnet: the mean)");
ABSL_FLAG(uint64_t, workload_seed, 1, "Seed of the generated chain");
ABSL_FLAG(int, workload_hot_scripts, 3, "Scripts that collect --workload_hot_share of outputs");
ABSL_FLAG(double, workload_hot_share, 0.15, "Share of outputs paid to the hot scripts");
ABSL_FLAG(int, churn_tps, 0,
          "Mempool churn: submit this many generated transactions per second (0: off)");
ABSL_FLAG(int, churn_block_interval_s, 10,
          "With --churn_tps, mine a block every this many seconds (0: never)");
ABSL_FLAG(int, churn_reorg_every, 0,
          "With --churn_tps, replace the last 1-3 blocks by a longer branch every this many "
          "churn blocks (0: never)");

namespace {

using electrum::simnode::HttpServer;

// The workload the flags ask for: a one-line description (recorded in
// <datadir>/workload.txt) and what generates it, returning the number of
// transactions made. An empty description: no workload.
struct WorkloadPlan {
  std::string description;
  std::function<absl::StatusOr<uint64_t>(electrum::simnode::Node&)> generate;
};

absl::StatusOr<WorkloadPlan> PlanWorkload() {
  const std::string kind = absl::GetFlag(FLAGS_workload);
  const uint64_t seed = absl::GetFlag(FLAGS_workload_seed);
  const int per_block = absl::GetFlag(FLAGS_workload_txs_per_block);
  if (per_block <= 0) return absl::InvalidArgumentError("--workload_txs_per_block must be > 0");
  if (kind == "mainnet") {
    const electrum::simnode::MainnetShapeOptions options{
        .seed = seed,
        .transactions = absl::GetFlag(FLAGS_workload_transactions),
        .transactions_per_block = per_block};
    if (options.transactions <= 0) return WorkloadPlan{};
    return WorkloadPlan{absl::StrCat("mainnet seed=", seed, " transactions=", options.transactions,
                                     " txs_per_block=", per_block),
                        [options](electrum::simnode::Node& node) -> absl::StatusOr<uint64_t> {
                          electrum::simnode::MainnetWorkload workload(options);
                          RETURN_IF_ERROR(workload.Run(node));
                          return workload.transactions_generated();
                        }};
  }
  if (kind != "synthetic") {
    return absl::InvalidArgumentError(
        absl::StrCat("--workload=", kind, ": expected synthetic or mainnet"));
  }
  const electrum::simnode::WorkloadOptions options{
      .seed = seed,
      .blocks = absl::GetFlag(FLAGS_workload_blocks),
      .transactions_per_block = per_block,
      .hot_scripts = absl::GetFlag(FLAGS_workload_hot_scripts),
      .hot_share = absl::GetFlag(FLAGS_workload_hot_share)};
  if (options.blocks <= 0) return WorkloadPlan{};
  return WorkloadPlan{
      absl::StrCat("seed=", seed, " blocks=", options.blocks, " txs_per_block=", per_block,
                   " hot_scripts=", options.hot_scripts, " hot_share=", options.hot_share),
      [options](electrum::simnode::Node& node) -> absl::StatusOr<uint64_t> {
        electrum::simnode::WorkloadGenerator generator(options);
        RETURN_IF_ERROR(generator.Run(node));
        return generator.transactions_generated();
      }};
}

// Generates the workload into a fresh chain, or checks that the datadir holds
// the same one (recorded in <datadir>/workload.txt), so a chain is made once
// and reused by every later run.
absl::Status PrepareWorkload(electrum::simnode::Node& node, const std::string& datadir) {
  ASSIGN_OR_RETURN(WorkloadPlan plan, PlanWorkload());
  if (plan.description.empty()) return absl::OkStatus();
  const std::string record = datadir + "/workload.txt";
  if (node.chain().Height() > 0) {
    std::ifstream in(record);
    std::string existing;
    std::getline(in, existing);
    if (existing != plan.description) {
      return absl::FailedPreconditionError(absl::StrCat(
          datadir, " holds another chain (", existing.empty() ? "not a workload" : existing,
          "); use a fresh --datadir for ", plan.description));
    }
    return absl::OkStatus();
  }
  spdlog::info("generating workload: {}", plan.description);
  ASSIGN_OR_RETURN(const uint64_t transactions, plan.generate(node));
  std::ofstream(record) << plan.description << "\n";
  spdlog::info("generated {} transactions up to height {}", transactions, node.chain().Height());
  return absl::OkStatus();
}

std::string RandomHex(size_t bytes) {
  electrum::chain::Bytes random(bytes);
  if (getrandom(random.data(), random.size(), 0) != static_cast<ssize_t>(random.size())) {
    std::abort();
  }
  return electrum::ToHex(random);
}

int Run() {
  const std::string datadir = absl::GetFlag(FLAGS_datadir);
  std::map<std::string, std::string> zmq_addresses;
  if (!absl::GetFlag(FLAGS_zmqpub).empty()) {
    for (const char* topic : {"hashblock", "rawblock", "hashtx", "rawtx", "sequence"}) {
      zmq_addresses[topic] = absl::GetFlag(FLAGS_zmqpub);
    }
  }
  std::unique_ptr<electrum::simnode::ZmqPublisher> publisher;
  if (!zmq_addresses.empty()) {
    auto created = electrum::simnode::ZmqPublisher::Create(zmq_addresses);
    if (!created.ok()) {
      spdlog::error("{}", created.status().ToString());
      return 1;
    }
    publisher = std::move(*created);
  }
  auto coin = electrum::simnode::FindSimCoin(absl::GetFlag(FLAGS_coin));
  if (!coin.ok()) {
    spdlog::error("--coin: {}", coin.status().ToString());
    return 2;
  }
  const int resident = absl::GetFlag(FLAGS_resident_blocks);
  if (resident < 0 || (resident > 0 && resident < kMinResidentBlocks)) {
    spdlog::error(
        "--resident_blocks={}: expected 0 (all) or at least {} (coinbases mature after "
        "100 blocks, and reorgs need the blocks above their fork)",
        resident, kMinResidentBlocks);
    return 2;
  }
  auto node =
      electrum::simnode::Node::Open({.coin = *coin,
                                     .data_dir = datadir,
                                     .mock_time = absl::GetFlag(FLAGS_mocktime),
                                     .resident_blocks = absl::GetFlag(FLAGS_resident_blocks)},
                                    publisher.get());
  if (!node.ok()) {
    spdlog::error("{}", node.status().ToString());
    return 1;
  }
  if (absl::Status workload = PrepareWorkload(**node, datadir); !workload.ok()) {
    spdlog::error("{}", workload.ToString());
    return 1;
  }
  const int initial = absl::GetFlag(FLAGS_initial_blocks);
  if ((*node)->chain().Height() < initial) {
    absl::StatusOr<electrum::chain::Bytes> script =
        electrum::simnode::P2pkhScript(electrum::chain::Bytes(20, 0x11));
    if (!absl::GetFlag(FLAGS_mining_address).empty()) {
      script = electrum::chain::AddressToScript((*coin)->params->addresses,
                                                absl::GetFlag(FLAGS_mining_address));
    }
    if (!script.ok()) {
      spdlog::error("--mining_address: {}", script.status().ToString());
      return 2;
    }
    auto mined = (*node)->Generate(initial - (*node)->chain().Height(), *script);
    if (!mined.ok()) {
      spdlog::error("{}", mined.status().ToString());
      return 1;
    }
  }

  boost::asio::io_context io;
  electrum::simnode::RpcContext context;
  context.node = node->get();
  context.fee_estimate_per_kvb = absl::GetFlag(FLAGS_fee_estimate);
  for (const auto& [topic, address] : zmq_addresses) {
    context.zmq_notifications.emplace_back("pub" + topic, address);
  }
  // Answer the `stop` call before the loop ends.
  boost::asio::steady_timer stop_timer(io);
  context.request_stop = [&] {
    stop_timer.expires_after(std::chrono::milliseconds(50));
    stop_timer.async_wait([&](auto) { io.stop(); });
  };
  electrum::simnode::RpcDispatcher dispatcher(std::move(context));

  electrum::simnode::HttpServerOptions options;
  options.bind_address = absl::GetFlag(FLAGS_rpcbind);
  options.port = static_cast<uint16_t>(absl::GetFlag(FLAGS_rpcport));
  options.user = absl::GetFlag(FLAGS_rpcuser);
  options.password = absl::GetFlag(FLAGS_rpcpassword);
  const std::string cookie_path = datadir + "/.cookie";
  if (options.user.empty()) {
    options.user = "__cookie__";
    options.password = RandomHex(32);
    std::ofstream cookie(cookie_path, std::ios::trunc);
    cookie << options.user << ":" << options.password;
    if (!cookie) {
      spdlog::error("cannot write {}", cookie_path);
      return 1;
    }
    std::filesystem::permissions(
        cookie_path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }
  HttpServer server(io, options, dispatcher);
  auto port = server.Start();
  if (!port.ok()) {
    spdlog::error("{}", port.status().ToString());
    return 1;
  }
  boost::asio::steady_timer warmup_timer(io);
  if (absl::GetFlag(FLAGS_warmup_ms) > 0) {
    server.SetWarmingUp(true);
    warmup_timer.expires_after(std::chrono::milliseconds(absl::GetFlag(FLAGS_warmup_ms)));
    warmup_timer.async_wait([&](auto) { server.SetWarmingUp(false); });
  }
  std::unique_ptr<electrum::simnode::Churn> churn;
  if (absl::GetFlag(FLAGS_churn_tps) > 0) {
    churn = std::make_unique<electrum::simnode::Churn>(
        io, **node,
        electrum::simnode::ChurnOptions{
            .transactions_per_second = absl::GetFlag(FLAGS_churn_tps),
            .block_interval_seconds = absl::GetFlag(FLAGS_churn_block_interval_s),
            .reorg_every_blocks = absl::GetFlag(FLAGS_churn_reorg_every),
            .seed = absl::GetFlag(FLAGS_workload_seed) ^ 0xc4u});
  }
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](auto, int) { io.stop(); });
  // One line a supervisor can parse.
  std::printf("simnode ready rpcport=%u height=%d datadir=%s\n", *port, (*node)->chain().Height(),
              datadir.c_str());
  std::fflush(stdout);
  io.run();
  server.Stop();
  if (absl::GetFlag(FLAGS_rpcuser).empty()) std::filesystem::remove(cookie_path);
  spdlog::info("simnode stopped at height {}", (*node)->chain().Height());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  electrum::InitMain(
      argc, argv, "simnode",
      "A Bitcoin Core-compatible regtest node (JSON-RPC + ZMQ).\n"
      "Transactions are checked for structure, existing unspent inputs, mempool conflicts,\n"
      "coinbase maturity and the relay fee. Scripts and signatures are NOT verified.");
  return Run();
}
