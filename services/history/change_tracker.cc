#include "services/history/change_tracker.h"

#include "pqxx/pqxx"
#include "spdlog/spdlog.h"
#include "storage/address_index/address_queries.h"
#include "storage/chain_index/bulk_load.h"
#include "storage/chain_index/chain_reads.h"
#include "storage/chain_index/tip_row.h"
#include "storage/mempool_index/mempool_tables.h"

namespace electrum::history {
ChangeTracker::ChangeTracker(const std::string& dsn, ChangeFeed& feed)
    : dsn_(dsn),
      feed_(feed),
      listener_(
          {.dsn = dsn, .channels = {"electrum_block", "electrum_mempool"}},
          [this] { Detect(true); },
          [this](const std::string&, const std::string&) { Detect(false); }, [this] { OnWake(); }) {
}

ChangeTracker::~ChangeTracker() { listener_.Stop(); }

void ChangeTracker::OnWake() {
  constexpr auto kSafetyPoll = std::chrono::seconds(5);
  if (detect_failed_ || std::chrono::steady_clock::now() - last_detect_ > kSafetyPoll) {
    Detect(detect_failed_);
  }
}

void ChangeTracker::Detect(bool everything) {
  last_detect_ = std::chrono::steady_clock::now();
  detect_failed_ = true;
  try {
    if (connection_ == nullptr || !connection_->is_open()) {
      connection_ = std::make_unique<pqxx::connection>(dsn_);
    }
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> transaction(*connection_);
    const std::optional<storage::StoredBlockHash> tip = storage::ReadTip(transaction);
    const int32_t height = tip ? tip->height : -1;
    const chain::BlockHash hash = tip ? tip->hash : chain::BlockHash();
    const int64_t next_tx_num = storage::NextTxNum(transaction);
    const int64_t mempool_sequence = storage::ReadMempoolSequence(transaction);
    absl::flat_hash_set<chain::ScriptHash> changed;
    if (!known_) everything = true;
    if (!everything && tip_height_ >= 0) {
      // The block we last saw at that height is gone: a reorg.
      const std::vector<storage::StoredBlockHash> still =
          storage::ReadBlockHashes(transaction, tip_height_, tip_height_);
      if (still.empty() || still[0].hash != tip_hash_ || next_tx_num < next_tx_num_) {
        everything = true;
      }
    }
    if (mempool_sequence < mempool_sequence_) everything = true;  // mirror restarted
    // A bulk load's history appears all at once when it finishes, below the
    // tip it has already moved: while one runs, and once more after, every
    // cached history is suspect.
    const bool bulk_loading = storage::BulkLoadInProgress(transaction);
    if (bulk_loading || bulk_loading_) everything = true;
    bulk_loading_ = bulk_loading;
    if (!everything && next_tx_num > next_tx_num_) {
      const std::vector<chain::ScriptHash> indexed =
          storage::ReadScriptHashesIndexedFrom(transaction, next_tx_num_);
      changed.insert(indexed.begin(), indexed.end());
    }
    if (!everything && mempool_sequence > mempool_sequence_) {
      const std::vector<chain::ScriptHash> mempool =
          storage::ReadMempoolChangesAfter(transaction, mempool_sequence_);
      changed.insert(mempool.begin(), mempool.end());
    }
    known_ = true;
    tip_height_ = height;
    tip_hash_ = hash;
    next_tx_num_ = next_tx_num;
    mempool_sequence_ = mempool_sequence;
    detect_failed_ = false;
    feed_.Publish(everything, std::move(changed));
  } catch (const std::exception& error) {
    spdlog::warn("change tracking: {}", error.what());
    connection_.reset();
  }
}

}  // namespace electrum::history
