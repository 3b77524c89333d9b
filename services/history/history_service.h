// AddressHistoryService over the chain index and the mempool mirror: every
// answer is computed at one snapshot (a single statement, or a read-only
// transaction for the reads that take several). Watch
// streams follow the ChangeFeed and send only statuses that changed.
#ifndef ELECTRUM_SERVICES_HISTORY_HISTORY_SERVICE_H_
#define ELECTRUM_SERVICES_HISTORY_HISTORY_SERVICE_H_

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "electrum/v1/history.grpc.pb.h"
#include "services/common/async_batcher.h"
#include "services/common/blocking_pool.h"
#include "services/history/change_feed.h"
#include "services/history/status_cache.h"
#include "storage/pg/connection_pool.h"

namespace pqxx {
class transaction_base;
}  // namespace pqxx

namespace electrum::history {

struct HistoryServiceOptions {
  // Larger histories are refused (RESOURCE_EXHAUSTED), as ElectrumX does.
  size_t max_history_entries = 200000;
  // Most script hashes one Watch stream may watch.
  size_t max_watched_per_stream = 1000000;
  // How often a Watch stream looks for new adds and changes.
  std::chrono::milliseconds watch_poll{20};
  // Statuses kept until their script hash changes.
  size_t status_cache_entries = 100000;
  // Histories kept until their script hash changes, in bytes (~40 per entry).
  size_t history_cache_bytes = 256 << 20;
  // Balances and unspent lists (~50 bytes per output) kept the same way.
  size_t balance_cache_entries = 200000;
  size_t unspent_cache_bytes = 64 << 20;
  // Confirmed parts of histories at least this long are kept (until a
  // reorg) and extended after blocks instead of read again; the memory
  // they may take, in bytes.
  size_t prefix_min_entries = 1000;
  size_t prefix_cache_bytes = 256 << 20;
  // A status read alone streams its rows: a history with more confirmed
  // entries than this is hashed as they arrive and not kept, and the hash
  // state after its confirmed part is kept instead (in at most
  // `status_prefix_cache_bytes`), to be extended after blocks.
  size_t status_keep_up_to = 50000;
  size_t status_prefix_cache_bytes = 16 << 20;
  // Cold GetStatus calls that arrive together share one statement: this
  // many threads run such statements, each for up to `status_batch_size`
  // script hashes.
  size_t status_batch_runners = 4;
  size_t status_batch_size = 256;
  // The same for cold GetHistory, GetBalance and ListUnspent calls.
  size_t history_batch_runners = 4;
  size_t history_batch_size = 64;
  size_t balance_batch_runners = 4;
  size_t balance_batch_size = 256;
  size_t unspent_batch_runners = 4;
  size_t unspent_batch_size = 128;
  // Most script hashes in one batched call (GetBalances).
  size_t max_batch_scripthashes = 1000;
  // Threads for the other reads (long histories extended, mempool
  // histories).
  size_t blocking_threads = 4;
};

// The unary methods are callback handlers: answered inline from the caches,
// their misses queued to batchers or the blocking pool, so no thread waits
// per call. Watch stays a synchronous stream (a thread per stream).
using HistoryServiceBase = v1::AddressHistoryService::WithCallbackMethod_GetHistory<
    v1::AddressHistoryService::WithCallbackMethod_GetMempoolHistory<
        v1::AddressHistoryService::WithCallbackMethod_GetBalance<
            v1::AddressHistoryService::WithCallbackMethod_GetBalances<
                v1::AddressHistoryService::WithCallbackMethod_ListUnspent<
                    v1::AddressHistoryService::WithCallbackMethod_GetStatus<
                        v1::AddressHistoryService::WithCallbackMethod_GetHistories<
                            v1::AddressHistoryService::WithCallbackMethod_ListUnspents<
                                v1::AddressHistoryService::WithCallbackMethod_GetStatuses<
                                    v1::AddressHistoryService::Service>>>>>>>>>;

class HistoryServiceImpl final : public HistoryServiceBase {
 public:
  // Register before `changes` starts publishing (its observer list is fixed
  // from then on).
  HistoryServiceImpl(HistoryServiceOptions options, storage::ConnectionPool& database,
                     ChangeFeed& changes)
      : options_(options),
        database_(database),
        changes_(changes),
        statuses_(changes, options.status_cache_entries),
        histories_(changes, options.history_cache_bytes),
        balances_(changes, options.balance_cache_entries),
        unspents_(changes, options.unspent_cache_bytes),
        prefixes_(changes, options.prefix_cache_bytes, DropOn::kEverythingChange),
        status_prefixes_(changes, options.status_prefix_cache_bytes, DropOn::kEverythingChange),
        status_batcher_(options.status_batch_runners, options.status_batch_size,
                        [this](const std::vector<chain::ScriptHash>& batch,
                               std::optional<int64_t> milliseconds_left) {
                          return ComputeStatusesInOrder(milliseconds_left, batch);
                        }),
        balance_batcher_(options.balance_batch_runners, options.balance_batch_size,
                         [this](const std::vector<chain::ScriptHash>& batch,
                                std::optional<int64_t> milliseconds_left) {
                           return BalancesOf(milliseconds_left, batch);
                         }),
        history_batcher_(options.history_batch_runners, options.history_batch_size,
                         [this](const std::vector<chain::ScriptHash>& batch,
                                std::optional<int64_t> milliseconds_left) {
                           return ReadHistoriesInOrder(milliseconds_left, batch);
                         }),
        unspent_batcher_(options.unspent_batch_runners, options.unspent_batch_size,
                         [this](const std::vector<chain::ScriptHash>& batch,
                                std::optional<int64_t> milliseconds_left) {
                           return ReadUnspentsInOrder(milliseconds_left, batch);
                         }),
        blocking_(options.blocking_threads) {}

  grpc::ServerUnaryReactor* GetHistory(grpc::CallbackServerContext*, const v1::GetHistoryRequest*,
                                       v1::GetHistoryResponse*) override;
  grpc::ServerUnaryReactor* GetMempoolHistory(grpc::CallbackServerContext*,
                                              const v1::GetMempoolHistoryRequest*,
                                              v1::GetMempoolHistoryResponse*) override;
  grpc::ServerUnaryReactor* GetBalance(grpc::CallbackServerContext*, const v1::GetBalanceRequest*,
                                       v1::GetBalanceResponse*) override;
  grpc::ServerUnaryReactor* GetBalances(grpc::CallbackServerContext*, const v1::GetBalancesRequest*,
                                        v1::GetBalancesResponse*) override;
  grpc::ServerUnaryReactor* ListUnspent(grpc::CallbackServerContext*, const v1::ListUnspentRequest*,
                                        v1::ListUnspentResponse*) override;
  grpc::ServerUnaryReactor* GetHistories(grpc::CallbackServerContext*,
                                         const v1::GetHistoriesRequest*,
                                         v1::GetHistoriesResponse*) override;
  grpc::ServerUnaryReactor* ListUnspents(grpc::CallbackServerContext*,
                                         const v1::ListUnspentsRequest*,
                                         v1::ListUnspentsResponse*) override;
  grpc::ServerUnaryReactor* GetStatus(grpc::CallbackServerContext*, const v1::GetStatusRequest*,
                                      v1::GetStatusResponse*) override;
  grpc::ServerUnaryReactor* GetStatuses(grpc::CallbackServerContext*, const v1::GetStatusesRequest*,
                                        v1::GetStatusesResponse*) override;
  using WatchStream = grpc::ServerReaderWriter<v1::WatchEvent, v1::WatchRequest>;
  grpc::Status Watch(grpc::ServerContext*, WatchStream*) override;

  // RESOURCE_EXHAUSTED for a history of more than `limit` entries.
  static absl::Status TooLarge(size_t limit);

 private:
  using SharedHistory = std::shared_ptr<const std::vector<HistoryItem>>;
  using SharedUnspent = std::shared_ptr<const std::vector<Unspent>>;

  // A status for Watch; a history too large to hash has none and
  // `too_large` set.
  struct ComputedStatus {
    chain::ScriptHash scripthash;
    std::optional<Sha256Digest> status;
    bool too_large = false;
  };

  // A fresh read of one of a batch: the value, or none (more entries than
  // max_history_entries).
  template <typename Shared>
  struct LimitedRead {
    Shared value;
    bool too_large = false;
  };
  using HistoryRead = LimitedRead<SharedHistory>;
  using UnspentRead = LimitedRead<SharedUnspent>;

  // GetHistory's read (history_reads.cc): cached, extended (on the
  // blocking pool), or read in a batch with concurrent calls; `done` gets
  // RESOURCE_EXHAUSTED beyond max_history_entries.
  using HistoryDone = std::function<void(absl::StatusOr<SharedHistory>)>;
  // The entry limit a request's max_entries asks for (0: the server's).
  size_t HistoryLimit(uint32_t max_entries) const {
    return max_entries == 0 ? options_.max_history_entries
                            : std::min<size_t>(max_entries, options_.max_history_entries);
  }
  void HistoryFor(const chain::ScriptHash& scripthash,
                  std::chrono::system_clock::time_point deadline, HistoryDone done);
  absl::StatusOr<std::vector<HistoryRead>> ReadHistoriesInOrder(
      std::optional<int64_t> milliseconds_left, const std::vector<chain::ScriptHash>& scripthashes);
  // Through the caches; RESOURCE_EXHAUSTED beyond max_history_entries.
  absl::StatusOr<SharedHistory> LoadHistory(pqxx::transaction_base& session,
                                            const chain::ScriptHash& scripthash);
  // Caches a fresh read (and its confirmed part when long enough).
  SharedHistory Remember(const chain::ScriptHash& scripthash, HistoryWithPrefix read,
                         uint64_t observed_histories, uint64_t observed_prefixes);
  // Statuses (status_reads.cc): from the caches where they can be, else
  // read, one script hash streamed, more in one statement per batch.
  absl::Status ComputeStatuses(pqxx::transaction_base& session,
                               const std::vector<chain::ScriptHash>& scripthashes,
                               std::vector<ComputedStatus>& out);
  // A status the caches give, directly or by reading only what followed
  // a kept confirmed part; nullopt when it has to be read.
  absl::StatusOr<std::optional<ComputedStatus>> KnownStatus(pqxx::transaction_base& session,
                                                            const chain::ScriptHash& scripthash);
  absl::Status ReadStatusBatch(pqxx::transaction_base& session,
                               const std::vector<chain::ScriptHash>& batch,
                               std::vector<ComputedStatus>& out);
  // The caches' sequences before a read, for storing what it finds.
  struct Observed {
    uint64_t statuses, histories, prefixes, status_prefixes;
  };
  Observed ObserveCaches() const;
  // Caches what a read found and gives its status.
  ComputedStatus Record(const chain::ScriptHash& scripthash, StatusRead read,
                        const Observed& observed);

  // The Watch stream's parts (watch_stream.cc): its reader thread, and
  // what the handler's thread sends.
  struct WatchState;
  void ReadWatchRequests(WatchStream* stream, WatchState& state);
  bool SendStatuses(WatchStream* stream, WatchState& state,
                    const std::vector<ComputedStatus>& statuses, bool only_changed);

  // Statuses of `scripthashes` in their order, one statement per batch.
  absl::StatusOr<std::vector<ComputedStatus>> ComputeStatusesInOrder(
      std::optional<int64_t> milliseconds_left, const std::vector<chain::ScriptHash>& scripthashes);

  // A balance and an unspent list, for single and batched calls alike
  // (balance_reads.cc): cached (`done` runs here), or read in a batch with
  // concurrent calls; an unspent list past max_history_entries is
  // RESOURCE_EXHAUSTED.
  // A status likewise (none for an empty history).
  using StatusDone = std::function<void(absl::StatusOr<std::optional<Sha256Digest>>)>;
  void StatusFor(const chain::ScriptHash& scripthash,
                 std::chrono::system_clock::time_point deadline, StatusDone done);
  using BalanceDone = std::function<void(absl::StatusOr<Balance>)>;
  void BalanceFor(const chain::ScriptHash& scripthash,
                  std::chrono::system_clock::time_point deadline, BalanceDone done);
  using UnspentDone = std::function<void(absl::StatusOr<SharedUnspent>)>;
  void UnspentFor(const chain::ScriptHash& scripthash,
                  std::chrono::system_clock::time_point deadline, UnspentDone done);

  // The balance batches' read: one statement, in the keys' order.
  absl::StatusOr<std::vector<Balance>> BalancesOf(
      std::optional<int64_t> milliseconds_left, const std::vector<chain::ScriptHash>& scripthashes);
  // The unspent batches' read.
  absl::StatusOr<std::vector<UnspentRead>> ReadUnspentsInOrder(
      std::optional<int64_t> milliseconds_left, const std::vector<chain::ScriptHash>& scripthashes);

  absl::Status TooLarge() const { return TooLarge(options_.max_history_entries); }

  const HistoryServiceOptions options_;
  storage::ConnectionPool& database_;
  ChangeFeed& changes_;
  StatusCache statuses_;
  HistoryCache histories_;
  BalanceCache balances_;
  UnspentCache unspents_;
  ConfirmedPrefixCache prefixes_;
  StatusPrefixCache status_prefixes_;
  // Last: their threads use the caches above, and stop first.
  services::AsyncBatcher<chain::ScriptHash, ComputedStatus> status_batcher_;
  services::AsyncBatcher<chain::ScriptHash, Balance> balance_batcher_;
  services::AsyncBatcher<chain::ScriptHash, HistoryRead> history_batcher_;
  services::AsyncBatcher<chain::ScriptHash, UnspentRead> unspent_batcher_;
  services::BlockingPool blocking_;
};

}  // namespace electrum::history

#endif  // ELECTRUM_SERVICES_HISTORY_HISTORY_SERVICE_H_
