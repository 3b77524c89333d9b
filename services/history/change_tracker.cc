#include "services/history/change_tracker.h"

#include "pqxx/pqxx"
#include "spdlog/spdlog.h"
#include "storage/chain_index/tip_row.h"
#include "storage/pg/hash_field.h"

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
    pqxx::result tip = transaction.exec("SELECT height, hash FROM chain_tip");
    const int32_t height = tip.empty() ? -1 : tip[0][0].as<int32_t>();
    const chain::BlockHash hash =
        tip.empty() ? chain::BlockHash() : storage::HashFromField<chain::BlockHash>(tip[0][1]);
    const int64_t next_tx_num = storage::NextTxNum(transaction);
    const int64_t mempool_sequence =
        transaction.exec1("SELECT seq FROM mempool_state")[0].as<int64_t>();
    absl::flat_hash_set<chain::ScriptHash> changed;
    if (!known_) everything = true;
    if (!everything && tip_height_ >= 0) {
      // The block we last saw at that height is gone: a reorg.
      pqxx::result still =
          transaction.exec_params("SELECT hash FROM blocks WHERE height = $1", tip_height_);
      if (still.empty() || storage::HashFromField<chain::BlockHash>(still[0][0]) != tip_hash_ ||
          next_tx_num < next_tx_num_) {
        everything = true;
      }
    }
    if (mempool_sequence < mempool_sequence_) everything = true;  // mirror restarted
    // A bulk load's history appears all at once when it finishes, below the
    // tip it has already moved: while one runs, and once more after, every
    // cached history is suspect.
    const bool bulk_loading =
        transaction.exec1("SELECT EXISTS (SELECT 1 FROM bulk_dropped_indexes)")[0].as<bool>();
    if (bulk_loading || bulk_loading_) everything = true;
    bulk_loading_ = bulk_loading;
    if (!everything && next_tx_num > next_tx_num_) {
      // Rows written block by block hold one block each.
      for (const auto& row : transaction.exec_params(
               "SELECT DISTINCT scripthash FROM history_keys WHERE last_tx_num >= $1",
               next_tx_num_)) {
        changed.insert(storage::HashFromField<chain::ScriptHash>(row[0]));
      }
    }
    if (!everything && mempool_sequence > mempool_sequence_) {
      for (const auto& row :
           transaction.exec_params("SELECT DISTINCT scripthash FROM mempool_changes WHERE seq > $1",
                                   mempool_sequence_)) {
        changed.insert(storage::HashFromField<chain::ScriptHash>(row[0]));
      }
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
