// Address-history service benchmark against a running stack (simnode, the
// indexer, PostgreSQL and address_history_service), over real gRPC:
//   1. GetHistory and GetStatus of the script hash with the longest history
//      (p50 / p99 over --rounds calls);
//   2. status throughput for small script hashes: unary GetStatus from
//      --threads clients, and adds on one Watch stream (the gateway's path);
//   3. time from mining a block that pays --watched fresh script hashes to
//      the last Watch event reporting them.
// Prints a table and writes JSON to --json.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "absl/container/flat_hash_set.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "common/chain/electrum_hashes.h"
#include "common/crypto/hex.h"
#include "electrum/v1/history.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "pqxx/pqxx"
#include "services/node/bitcoind_client.h"
#include "storage/pg/hash_field.h"
#include "tools/simnode/tx_builder.h"

ABSL_FLAG(std::string, service, "127.0.0.1:50103", "address_history_service address");
ABSL_FLAG(std::string, database_url, "", "The index the service reads");
ABSL_FLAG(int, node_port, 18443, "simnode RPC port");
ABSL_FLAG(std::string, node_cookie_file, "", "simnode .cookie");
ABSL_FLAG(int, rounds, 30, "Calls per latency measurement");
ABSL_FLAG(int, threads, 8, "Concurrent clients for the throughput run");
ABSL_FLAG(int, status_calls, 20000,
          "GetStatus calls in the throughput run, each for a different script hash (cold)");
ABSL_FLAG(int, watch_status_adds, 10000,
          "Distinct cold small script hashes added to one Watch stream for its throughput");
ABSL_FLAG(int, watched, 10000, "Script hashes watched in the notification run");
ABSL_FLAG(std::string, json, "bench/results/history_service.json", "JSON output");

namespace {

using Clock = std::chrono::steady_clock;
using electrum::chain::ScriptHash;

double Millis(Clock::duration duration) {
  return std::chrono::duration<double, std::milli>(duration).count();
}

double Percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(p * values.size()))];
}

std::string Bytes(const ScriptHash& hash) {
  return std::string(reinterpret_cast<const char*>(hash.internal().data()), 32);
}

ScriptHash FromField(const pqxx::field& field) {
  return electrum::storage::HashFromField<ScriptHash>(field);
}

// An unspent output to fund benchmark transactions with (simnode checks
// no signatures): the `rank`-th largest, so two uses never collide.
struct Funding {
  electrum::chain::TxId txid;
  uint32_t vout = 0;
  int64_t value = 0;
};

Funding LargeUnspentOutput(pqxx::connection& database, int rank) {
  pqxx::read_transaction transaction(database);
  pqxx::row row =
      transaction.exec1("SELECT txid, vout, value FROM utxos ORDER BY value DESC LIMIT 1 OFFSET " +
                        std::to_string(rank));
  return {electrum::storage::HashFromField<electrum::chain::TxId>(row[0]), row[1].as<uint32_t>(),
          row[2].as<int64_t>()};
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(256 << 20);
  auto channel = grpc::CreateCustomChannel(absl::GetFlag(FLAGS_service),
                                           grpc::InsecureChannelCredentials(), arguments);
  auto stub = electrum::v1::AddressHistoryService::NewStub(channel);
  pqxx::connection database(absl::GetFlag(FLAGS_database_url));

  // The longest history, and small ones.
  ScriptHash busiest, second;
  size_t busiest_entries = 0, second_entries = 0;
  std::vector<ScriptHash> small;
  {
    pqxx::read_transaction transaction(database);
    // Long histories are history_keys rows; electrum_history counts all.
    pqxx::result rows = transaction.exec(
        "SELECT scripthash, (SELECT count(*) FROM electrum_history(scripthash)) "
        "FROM history_keys GROUP BY 1 ORDER BY sum(octet_length(entries)) DESC LIMIT 2");
    busiest = FromField(rows[0][0]);
    busiest_entries = rows[0][1].as<size_t>();
    second = FromField(rows[1][0]);
    second_entries = rows[1][1].as<size_t>();
    for (const auto& r : transaction.exec(
             "SELECT scripthash FROM (SELECT DISTINCT scripthash FROM utxos TABLESAMPLE SYSTEM "
             "(10) "
             "LIMIT 400000) s WHERE (SELECT count(*) FROM electrum_history(s.scripthash)) <= 100 "
             "LIMIT " +
             std::to_string(absl::GetFlag(FLAGS_status_calls) +
                            absl::GetFlag(FLAGS_watch_status_adds)))) {
      small.push_back(FromField(r[0]));
    }
  }

  auto time_calls = [&](auto&& call) {
    std::vector<double> millis;
    for (int i = 0; i < absl::GetFlag(FLAGS_rounds); ++i) {
      const auto started = Clock::now();
      if (!call()) return std::vector<double>{};
      millis.push_back(Millis(Clock::now() - started));
    }
    return millis;
  };
  size_t history_size = 0;
  // The first call reads PostgreSQL; repeats come from the history cache
  // until the script hash changes.
  const auto history_cold_started = Clock::now();
  {
    grpc::ClientContext context;
    electrum::v1::GetHistoryRequest request;
    request.set_script_hash(Bytes(busiest));
    electrum::v1::GetHistoryResponse response;
    if (!stub->GetHistory(&context, request, &response).ok()) return 1;
  }
  const double history_cold_ms = Millis(Clock::now() - history_cold_started);
  std::vector<double> history_ms = time_calls([&] {
    grpc::ClientContext context;
    electrum::v1::GetHistoryRequest request;
    request.set_script_hash(Bytes(busiest));
    electrum::v1::GetHistoryResponse response;
    grpc::Status status = stub->GetHistory(&context, request, &response);
    if (!status.ok()) std::fprintf(stderr, "GetHistory: %s\n", status.error_message().c_str());
    history_size = response.heights_size();
    return status.ok();
  });
  // The first status request reads and hashes the whole history; repeats
  // come from the status cache until the script hash changes.
  const auto cold_started = Clock::now();
  {
    grpc::ClientContext context;
    electrum::v1::GetStatusRequest request;
    request.set_script_hash(Bytes(second));
    electrum::v1::GetStatusResponse response;
    if (!stub->GetStatus(&context, request, &response).ok()) return 1;
  }
  const double status_cold_ms = Millis(Clock::now() - cold_started);
  std::vector<double> status_ms = time_calls([&] {
    grpc::ClientContext context;
    electrum::v1::GetStatusRequest request;
    request.set_script_hash(Bytes(busiest));
    electrum::v1::GetStatusResponse response;
    return stub->GetStatus(&context, request, &response).ok();
  });
  if (history_ms.empty() || status_ms.empty()) return 1;

  // Throughput for small script hashes: three passes over a third of them
  // each (the median is reported; the machine is shared with PostgreSQL).
  std::atomic<int> failed{0};
  // Distinct script hashes (at most 100 entries each), so no answer comes
  // from the status cache.
  // The last --watch_status_adds are kept cold for the Watch measurement.
  std::vector<ScriptHash> watch_cold;
  const int watch_adds = std::min<int>(absl::GetFlag(FLAGS_watch_status_adds), small.size() / 3);
  watch_cold.assign(small.end() - watch_adds, small.end());
  small.resize(small.size() - watch_adds);
  const int total = static_cast<int>(small.size());
  constexpr int kPasses = 3;
  std::vector<double> pass_rates;
  for (int pass = 0; pass < kPasses; ++pass) {
    const int begin = total * pass / kPasses, end = total * (pass + 1) / kPasses;
    std::atomic<int> next{begin};
    const auto started = Clock::now();
    std::vector<std::thread> clients;
    for (int t = 0; t < absl::GetFlag(FLAGS_threads); ++t) {
      clients.emplace_back([&] {
        for (int i = next++; i < end; i = next++) {
          grpc::ClientContext context;
          electrum::v1::GetStatusRequest request;
          request.set_script_hash(Bytes(small[i]));
          electrum::v1::GetStatusResponse response;
          if (!stub->GetStatus(&context, request, &response).ok()) ++failed;
        }
      });
    }
    for (auto& client : clients) client.join();
    pass_rates.push_back((end - begin) /
                         std::chrono::duration<double>(Clock::now() - started).count());
  }
  std::sort(pass_rates.begin(), pass_rates.end());
  const double status_per_second = pass_rates[kPasses / 2];

  // The same kind of script hashes added to one Watch stream, as a gateway
  // subscribes: time until every initial status has arrived.
  double watch_status_per_second = 0;
  {
    grpc::ClientContext context;
    auto adds = stub->Watch(&context);
    const auto started = Clock::now();
    for (int from = 0; from < watch_adds; from += 1000) {
      electrum::v1::WatchRequest add;
      for (int i = from; i < std::min(watch_adds, from + 1000); ++i) {
        add.add_add(Bytes(watch_cold[i]));
      }
      adds->Write(add);
    }
    int answered = 0;
    electrum::v1::WatchEvent event;
    while (answered < watch_adds && adds->Read(&event)) answered += event.statuses_size();
    if (answered < watch_adds) failed += watch_adds - answered;
    watch_status_per_second =
        answered / std::chrono::duration<double>(Clock::now() - started).count();
    context.TryCancel();
  }

  electrum::node::BitcoindClient node(
      {.port = static_cast<uint16_t>(absl::GetFlag(FLAGS_node_port)),
       .cookie_file = absl::GetFlag(FLAGS_node_cookie_file)});
  auto mine_one = [&]() -> bool {
    auto mined =
        node.Call("generatetoaddress", {1, "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"});
    if (!mined.ok())
      std::fprintf(stderr, "generatetoaddress: %s\n", mined.status().ToString().c_str());
    return mined.ok();
  };
  auto wait_for_index = [&](int height) {
    for (int i = 0; i < 3000; ++i) {
      pqxx::read_transaction transaction(database);
      if (transaction.exec1("SELECT height FROM chain_tip")[0].as<int>() >= height) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    // The service hears of the block through NOTIFY right after the commit.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  };

  // GetHistory of the longest history right after each of --rounds blocks
  // that pay it (its cached history is dropped; the confirmed part kept by
  // the service is extended with the new rows).
  std::vector<double> after_block_ms;
  {
    std::string busiest_script_hex;
    {
      pqxx::read_transaction transaction(database);
      pqxx::row paid =
          transaction.exec_params1("SELECT txid, vout FROM utxos WHERE scripthash = $1 LIMIT 1",
                                   pqxx::binarystring(busiest.internal().data(), 32));
      const auto paid_txid = electrum::storage::HashFromField<electrum::chain::TxId>(paid[0]);
      auto raw = node.Call("getrawtransaction", {paid_txid.ToDisplayHex(), true});
      if (!raw.ok()) return 1;
      busiest_script_hex =
          (*raw)["vout"][paid[1].as<int>()]["scriptPubKey"]["hex"].get<std::string>();
    }
    const Funding funding = LargeUnspentOutput(database, 1);
    electrum::chain::TxId spend = funding.txid;
    uint32_t spend_vout = funding.vout;
    int64_t value = funding.value;
    const auto busiest_script = *electrum::FromHex(busiest_script_hex);
    int height = 0;
    {
      pqxx::read_transaction transaction(database);
      height = transaction.exec1("SELECT height FROM chain_tip")[0].as<int>();
    }
    for (int round = 0; round < absl::GetFlag(FLAGS_rounds); ++round) {
      value -= 100000;
      const auto raw = electrum::simnode::BuildTransaction(
          {{{spend, spend_vout}, false}},
          {{value, electrum::simnode::P2pkhScript(electrum::chain::Bytes(20, 0x42))},
           {50000, busiest_script}});
      auto sent = node.Call("sendrawtransaction", {electrum::ToHex(raw)});
      if (!sent.ok()) {
        std::fprintf(stderr, "sendrawtransaction: %s\n", sent.status().ToString().c_str());
        return 1;
      }
      auto sent_txid = electrum::chain::TxId::FromDisplayHex(sent->get<std::string>());
      if (!sent_txid.ok()) return 1;
      spend = *sent_txid;
      spend_vout = 0;
      if (!mine_one()) return 1;
      wait_for_index(++height);
      const auto started = Clock::now();
      grpc::ClientContext context;
      electrum::v1::GetHistoryRequest request;
      request.set_script_hash(Bytes(busiest));
      electrum::v1::GetHistoryResponse response;
      if (!stub->GetHistory(&context, request, &response).ok()) return 1;
      after_block_ms.push_back(Millis(Clock::now() - started));
      // Each block adds one entry: an answer without it was stale.
      if (static_cast<size_t>(response.heights_size()) != history_size + 1) {
        std::fprintf(stderr, "round %d: %d entries after %zu: stale answer\n", round,
                     response.heights_size(), history_size);
        ++failed;
      }
      history_size = response.heights_size();
    }
  }

  // Watch: fresh script hashes, then one block paying all of them.
  const int watched = absl::GetFlag(FLAGS_watched);
  std::vector<electrum::chain::Bytes> scripts;
  std::vector<ScriptHash> targets;
  for (int i = 0; i < watched; ++i) {
    electrum::chain::Bytes key(20, 0);
    const uint64_t tag =
        0xbe9c000000000000ull ^ (static_cast<uint64_t>(std::time(nullptr)) << 20) ^ i;
    for (int b = 0; b < 8; ++b) key[b] = static_cast<uint8_t>(tag >> (8 * b));
    scripts.push_back(electrum::simnode::P2pkhScript(key));
    targets.push_back(electrum::chain::ScriptHashOf(scripts.back()));
  }
  grpc::ClientContext watch_context;
  auto stream = stub->Watch(&watch_context);
  for (int from = 0; from < watched; from += 1000) {
    electrum::v1::WatchRequest add;
    for (int i = from; i < std::min(watched, from + 1000); ++i) add.add_add(Bytes(targets[i]));
    stream->Write(add);
  }
  int initial = 0;
  electrum::v1::WatchEvent event;
  while (initial < watched && stream->Read(&event)) initial += event.statuses_size();

  const Funding funding = LargeUnspentOutput(database, 0);
  std::vector<electrum::simnode::TxOutputSpec> outputs;
  const int64_t each = (funding.value - 1000000) / watched;
  for (const auto& script : scripts) outputs.push_back({each, script});
  const auto raw =
      electrum::simnode::BuildTransaction({{{funding.txid, funding.vout}, false}}, outputs);
  auto sent = node.Call("sendrawtransaction", {electrum::ToHex(raw)});
  if (!sent.ok()) {
    std::fprintf(stderr, "sendrawtransaction: %s\n", sent.status().ToString().c_str());
    return 1;
  }
  if (!mine_one()) return 1;
  const auto mined_at = Clock::now();
  // Statuses may arrive twice (mempool, then confirmed); wait for confirmed
  // ones: the last event that completes "every target reported after the
  // block was mined".
  absl::flat_hash_set<ScriptHash> pending(targets.begin(), targets.end());
  while (!pending.empty() && stream->Read(&event)) {
    if (Clock::now() < mined_at) continue;
    for (const auto& status : event.statuses()) {
      std::array<uint8_t, 32> bytes{};
      std::copy(status.script_hash().begin(), status.script_hash().end(), bytes.begin());
      pending.erase(ScriptHash(bytes));
    }
  }
  const double notify_ms = Millis(Clock::now() - mined_at);
  watch_context.TryCancel();

  const double history_p50 = Percentile(history_ms, 0.5),
               history_p99 = Percentile(history_ms, 0.99);
  const double status_p50 = Percentile(status_ms, 0.5), status_p99 = Percentile(status_ms, 0.99);
  std::printf("| address history service | value | target |\n| --- | --- | --- |\n");
  std::printf("| longest history | %zu entries | >= 100k |\n", history_size);
  std::printf("| GetHistory, first call since the service started | %.1f ms | |\n",
              history_cold_ms);
  std::printf("| GetHistory, repeated (history cache), p50 / p99 | %.1f / %.1f ms | |\n",
              history_p50, history_p99);
  std::printf(
      "| GetHistory, first call after each of %zu blocks paying it, p50 / p99 | %.1f / %.1f ms | "
      "p50 < 100 ms |\n",
      after_block_ms.size(), Percentile(after_block_ms, 0.5), Percentile(after_block_ms, 0.99));
  std::printf("| GetStatus, first call (2nd longest, %zu entries, nothing cached) | %.1f ms | |\n",
              second_entries, status_cold_ms);
  std::printf("| GetStatus (same), repeated, p50 / p99 | %.2f / %.2f ms | p50 < 100 ms |\n",
              status_p50, status_p99);
  std::printf(
      "| GetStatus, %d distinct small script hashes (cold), %d clients, median of %d passes "
      "(range) | %.0f /s (%.0f-%.0f; %d failed) | >= 5,000/s |\n",
      total, absl::GetFlag(FLAGS_threads), kPasses, status_per_second, pass_rates.front(),
      pass_rates.back(), failed.load());
  std::printf(
      "| statuses of %d distinct small script hashes (cold) added to one Watch stream | %.0f /s "
      "| >= 5,000/s |\n",
      watch_adds, watch_status_per_second);
  std::printf("| block mined -> last Watch event, %d watched, all changed | %.0f ms | |\n", watched,
              notify_ms);
  std::ofstream(absl::GetFlag(FLAGS_json)) << absl::StrFormat(
      "{\"longest_history\": %d, \"get_history_cold_ms\": %.2f, \"get_history_p50_ms\": %.2f, "
      "\"get_history_p99_ms\": %.2f, \"get_history_after_block_p50_ms\": %.2f, "
      "\"get_history_after_block_p99_ms\": %.2f, "
      "\"get_status_cold_ms\": %.2f, \"get_status_p50_ms\": %.2f, \"get_status_p99_ms\": %.2f, "
      "\"small_status_per_s\": %.0f, \"watch_small_status_per_s\": %.0f, "
      "\"watch_block_to_last_event_ms\": %.0f, \"watched\": %d, \"index_rows_for_it\": %d}\n",
      history_size, history_cold_ms, history_p50, history_p99, Percentile(after_block_ms, 0.5),
      Percentile(after_block_ms, 0.99), status_cold_ms, status_p50, status_p99, status_per_second,
      watch_status_per_second, notify_ms, watched, busiest_entries);
  return failed.load() == 0 && pending.empty() ? 0 : 1;
}
