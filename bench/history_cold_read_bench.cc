// Cold reads at the address-history service, over real gRPC, on an index
// that nothing has read yet (e.g. the one run_indexer_bench.sh leaves with
// KEEP_DB=1). --pass=history: the first GetHistory of the longest history
// (per entry), the first GetStatus of the second longest, and the first
// GetHistory of --small distinct script hashes with at most 100 entries
// (p50 / p99). --pass=status (on a service nothing has asked yet): the
// first GetStatus of the longest. Prints a table and writes JSON to --json.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "electrum/v1/history.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "pqxx/pqxx"

ABSL_FLAG(std::string, service, "127.0.0.1:50103", "address_history_service address");
ABSL_FLAG(std::string, database_url, "", "The index the service reads");
ABSL_FLAG(int, small, 300, "Small script hashes read once each");
ABSL_FLAG(std::string, json, "bench/results/history_cold_read.json", "JSON output");
ABSL_FLAG(std::string, pass, "history", "history or status (see above)");

namespace {

using Clock = std::chrono::steady_clock;

double Millis(Clock::duration duration) {
  return std::chrono::duration<double, std::milli>(duration).count();
}

double Percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(p * values.size()))];
}

std::string Bytes(const pqxx::field& field) { return pqxx::binarystring(field).str(); }

// Milliseconds of one GetHistory, and its entry count (-1 on failure).
std::pair<double, int> TimeHistory(electrum::v1::AddressHistoryService::Stub& stub,
                                   const std::string& scripthash) {
  const auto started = Clock::now();
  grpc::ClientContext context;
  electrum::v1::GetHistoryRequest request;
  request.set_script_hash(scripthash);
  electrum::v1::GetHistoryResponse response;
  grpc::Status status = stub.GetHistory(&context, request, &response);
  if (!status.ok()) std::fprintf(stderr, "GetHistory: %s\n", status.error_message().c_str());
  return {Millis(Clock::now() - started), status.ok() ? response.heights_size() : -1};
}

// Milliseconds of one GetStatus, and whether it succeeded.
std::pair<double, bool> TimeStatus(electrum::v1::AddressHistoryService::Stub& stub,
                                   const std::string& scripthash) {
  const auto started = Clock::now();
  grpc::ClientContext context;
  electrum::v1::GetStatusRequest request;
  request.set_script_hash(scripthash);
  electrum::v1::GetStatusResponse response;
  grpc::Status status = stub.GetStatus(&context, request, &response);
  if (!status.ok()) std::fprintf(stderr, "GetStatus: %s\n", status.error_message().c_str());
  return {Millis(Clock::now() - started), status.ok()};
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(512 << 20);
  auto stub = electrum::v1::AddressHistoryService::NewStub(grpc::CreateCustomChannel(
      absl::GetFlag(FLAGS_service), grpc::InsecureChannelCredentials(), arguments));
  pqxx::connection database(absl::GetFlag(FLAGS_database_url));
  pqxx::read_transaction transaction(database);
  // Long histories are history_keys rows (41 bytes an entry).
  pqxx::result longest = transaction.exec(
      "SELECT scripthash FROM history_keys GROUP BY 1 ORDER BY sum(octet_length(entries)) DESC "
      "LIMIT 2");
  pqxx::result small = transaction.exec(
      "SELECT scripthash FROM (SELECT DISTINCT scripthash FROM utxos TABLESAMPLE SYSTEM (1) "
      "LIMIT 20000) s WHERE (SELECT count(*) FROM electrum_history(s.scripthash)) <= 100 LIMIT " +
      std::to_string(absl::GetFlag(FLAGS_small)));
  if (longest.size() < 2 || small.empty()) {
    std::fprintf(stderr, "the index has too few script hashes\n");
    return 1;
  }
  if (absl::GetFlag(FLAGS_pass) == "status") {
    const auto [status_ms, ok] = TimeStatus(*stub, Bytes(longest[0][0]));
    if (!ok) return 1;
    const long entries = transaction
                             .exec_params1("SELECT count(*) FROM electrum_history($1)",
                                           pqxx::binarystring(longest[0][0]))[0]
                             .as<long>();
    std::printf("| cold read | value |\n| --- | --- |\n");
    std::printf("| GetStatus, longest (%ld entries) | %.1f ms |\n", entries, status_ms);
    std::ofstream(absl::GetFlag(FLAGS_json)) << absl::StrFormat(
        "{\"longest_entries\": %d, \"longest_status_ms\": %.3f}\n", entries, status_ms);
    return 0;
  }
  const auto [longest_ms, longest_entries] = TimeHistory(*stub, Bytes(longest[0][0]));
  if (longest_entries < 0) return 1;

  const auto [status_ms, status_ok] = TimeStatus(*stub, Bytes(longest[1][0]));
  if (!status_ok) return 1;

  std::vector<double> small_ms;
  for (const auto& row : small) {
    const auto [ms, entries] = TimeHistory(*stub, Bytes(row[0]));
    if (entries < 0) return 1;
    small_ms.push_back(ms);
  }
  const double per_entry_us = longest_ms * 1000 / std::max(longest_entries, 1);
  std::printf("| cold read | value |\n| --- | --- |\n");
  std::printf("| GetHistory, longest (%d entries) | %.1f ms (%.3f us per entry) |\n",
              longest_entries, longest_ms, per_entry_us);
  std::printf("| GetStatus, second longest | %.1f ms |\n", status_ms);
  std::printf("| GetHistory, %zu small (<= 100 entries), p50 / p99 | %.3f / %.3f ms |\n",
              small_ms.size(), Percentile(small_ms, 0.5), Percentile(small_ms, 0.99));
  std::ofstream(absl::GetFlag(FLAGS_json)) << absl::StrFormat(
      "{\"longest_entries\": %d, \"longest_history_ms\": %.3f, \"longest_us_per_entry\": %.4f, "
      "\"second_status_ms\": %.3f, \"small_count\": %d, \"small_history_p50_ms\": %.4f, "
      "\"small_history_p99_ms\": %.4f}\n",
      longest_entries, longest_ms, per_entry_us, status_ms, static_cast<int>(small_ms.size()),
      Percentile(small_ms, 0.5), Percentile(small_ms, 0.99));
  return 0;
}
