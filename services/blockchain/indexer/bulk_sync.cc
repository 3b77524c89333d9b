#include "services/blockchain/indexer/bulk_sync.h"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "spdlog/spdlog.h"
#include "storage/chain_index/block_writer.h"
#include "storage/chain_index/bulk_batch.h"
#include "storage/chain_index/bulk_load.h"
#include "storage/chain_index/prepared_block.h"
#include "storage/chain_index/unspent_outputs.h"

namespace electrum::blockchain {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Batches encoded but not yet written: two keep the writer busy while the
// builder fills the next without holding much memory.
constexpr size_t kQueuedBatches = 2;

class Pipeline {
 public:
  Pipeline(const node::BitcoindOptions& node, pqxx::connection_base& connection,
           int32_t first_height, int32_t target_height, int64_t next_tx_num,
           const BulkSyncOptions& options)
      : node_(node),
        connection_(connection),
        target_height_(target_height),
        next_tx_num_(next_tx_num),
        options_(options),
        next_fetch_(first_height),
        next_build_(first_height) {
    stats_.first_height = first_height;
    stats_.tip_height = first_height - 1;
  }

  absl::StatusOr<BulkSyncStats> Run();

 private:
  void Fetch();
  void Build();
  void Write();
  void Fail(absl::Status status);
  bool StopRequested() const { return options_.stop != nullptr && options_.stop->load(); }
  void LogProgress(Clock::time_point started);

  const node::BitcoindOptions& node_;
  pqxx::connection_base& connection_;
  const int32_t target_height_;
  const int64_t next_tx_num_;
  const BulkSyncOptions& options_;
  storage::UnspentOutputs unspent_;

  std::mutex mutex_;
  std::condition_variable changed_;
  absl::Status failure_;                             // guarded by mutex_
  bool building_done_ = false;                       // guarded by mutex_
  int32_t next_fetch_;                               // guarded by mutex_
  int32_t next_build_;                               // guarded by mutex_
  std::map<int32_t, storage::PreparedBlock> ready_;  // guarded by mutex_
  std::deque<storage::BulkBatch> batches_;           // guarded by mutex_
  BulkSyncStats stats_;                              // fetch_seconds guarded by mutex_

  // The writer's progress-log state.
  Clock::time_point last_log_ = Clock::now();
  int64_t transactions_at_last_log_ = 0;
  int64_t rows_at_last_log_ = 0;
};

void Pipeline::Fail(absl::Status status) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (failure_.ok()) failure_ = std::move(status);
  }
  changed_.notify_all();
}

void Pipeline::Fetch() {
  node::BitcoindClient client(node_);
  while (true) {
    int32_t height = 0;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] {
        return !failure_.ok() || building_done_ || next_fetch_ > target_height_ ||
               next_fetch_ < next_build_ + options_.fetch_window_blocks;
      });
      if (!failure_.ok() || building_done_ || next_fetch_ > target_height_) return;
      height = next_fetch_++;
    }
    const auto started = Clock::now();
    absl::StatusOr<chain::BlockHash> hash = client.GetBlockHash(height);
    if (!hash.ok()) return Fail(hash.status());
    absl::StatusOr<chain::Bytes> raw = client.GetBlock(*hash);
    if (!raw.ok()) return Fail(raw.status());
    absl::StatusOr<storage::PreparedBlock> prepared =
        storage::PrepareBlock(height, *hash, std::move(*raw), options_.block_format);
    if (!prepared.ok()) return Fail(prepared.status());
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stats_.fetch_seconds += SecondsSince(started);
      ready_.emplace(height, std::move(*prepared));
    }
    changed_.notify_all();
  }
}

void Pipeline::Build() {
  // The load ends at a tip of at least target - undo_depth (a reorg can take
  // back no more), so its undo window starts above target - 2 undo_depth.
  const int32_t cancel_below = target_height_ - 2 * std::max(options_.undo_depth, 1) - 1;
  storage::BulkBatchBuilder builder(unspent_, next_tx_num_, cancel_below);
  bool stopped_on_request = false;
  for (int32_t height = stats_.first_height; height <= target_height_; ++height) {
    storage::PreparedBlock block;
    {
      const auto waiting = Clock::now();
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return !failure_.ok() || ready_.contains(height); });
      stats_.builder_starved_seconds += SecondsSince(waiting);
      if (!failure_.ok()) break;
      auto it = ready_.find(height);
      block = std::move(it->second);
      ready_.erase(it);
      next_build_ = height + 1;
    }
    changed_.notify_all();
    const auto started = Clock::now();
    absl::Status added = builder.Add(block);
    stats_.build_seconds += SecondsSince(started);
    if (!added.ok()) {
      Fail(added);
      break;
    }
    stopped_on_request = StopRequested();
    if (builder.transactions() >= options_.batch_transactions || height == target_height_ ||
        stopped_on_request) {
      storage::BulkBatch batch = builder.Take();
      const auto waiting = Clock::now();
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return !failure_.ok() || batches_.size() < kQueuedBatches; });
      stats_.builder_blocked_seconds += SecondsSince(waiting);
      if (!failure_.ok()) break;
      batches_.push_back(std::move(batch));
      lock.unlock();
      changed_.notify_all();
    }
    if (stopped_on_request) break;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    building_done_ = true;
    stats_.stopped_on_request = stopped_on_request;
    stats_.canceled_outputs = builder.canceled();
  }
  changed_.notify_all();
}

void Pipeline::LogProgress(Clock::time_point started) {
  const double interval = SecondsSince(last_log_);
  if (interval * 1000 < options_.progress_interval.count()) return;
  const double tx_rate = (stats_.transactions - transactions_at_last_log_) / interval;
  const double row_rate = (stats_.rows - rows_at_last_log_) / interval;
  const double tx_per_block = static_cast<double>(stats_.transactions) / stats_.blocks;
  const double remaining = (target_height_ - stats_.tip_height) * tx_per_block;
  const double eta = tx_rate > 0 ? remaining / tx_rate : 0;
  double fetch_seconds = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    fetch_seconds = stats_.fetch_seconds;
  }
  spdlog::info(
      "bulk sync: height {} of {}, {:.0f} tx/s, {:.0f} rows/s, ETA {:.0f} s ({:.0f} s so far; "
      "busy: fetch {:.1f} s over {} workers, build {:.1f} s, write {:.1f} s; {} spends spilled)",
      stats_.tip_height, target_height_, tx_rate, row_rate, eta, SecondsSince(started),
      fetch_seconds, options_.fetch_threads, stats_.build_seconds, stats_.write_seconds,
      stats_.spilled_spends);
  last_log_ = Clock::now();
  transactions_at_last_log_ = stats_.transactions;
  rows_at_last_log_ = stats_.rows;
}

void Pipeline::Write() {
  const auto started = Clock::now();
  while (true) {
    storage::BulkBatch batch;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return !failure_.ok() || !batches_.empty() || building_done_; });
      if (!failure_.ok() || batches_.empty()) return;
      batch = std::move(batches_.front());
      batches_.pop_front();
    }
    changed_.notify_all();
    const auto writing = Clock::now();
    absl::Status written = storage::WriteBulkBatch(connection_, batch);
    stats_.write_seconds += SecondsSince(writing);
    if (!written.ok()) return Fail(written);
    stats_.blocks += batch.last_height - batch.first_height + 1;
    stats_.transactions += batch.transactions;
    stats_.rows += static_cast<int64_t>(batch.rows());
    stats_.spilled_spends += static_cast<int64_t>(batch.spilled.rows());
    stats_.tip_height = batch.last_height;
    LogProgress(started);
  }
}

absl::StatusOr<BulkSyncStats> Pipeline::Run() {
  const auto started = Clock::now();
  // Resumes an interrupted load: what is unspent at the tip.
  absl::Status loaded =
      storage::LoadUnspentOutputs(connection_, options_.max_unspent_outputs, unspent_);
  if (!loaded.ok()) return loaded;
  std::vector<std::thread> fetchers;
  for (int i = 0; i < std::max(1, options_.fetch_threads); ++i) {
    fetchers.emplace_back([this] { Fetch(); });
  }
  std::thread builder([this] { Build(); });
  Write();
  {
    // The writer stopped (done or failed): release everyone still waiting.
    std::lock_guard<std::mutex> lock(mutex_);
    if (failure_.ok() && !building_done_) failure_ = absl::InternalError("writer stopped early");
  }
  changed_.notify_all();
  builder.join();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    building_done_ = true;
  }
  changed_.notify_all();
  for (std::thread& fetcher : fetchers) fetcher.join();
  if (!failure_.ok()) return failure_;
  stats_.wall_seconds = SecondsSince(started);
  return stats_;
}

}  // namespace

absl::StatusOr<BulkSyncStats> RunBulkSync(const node::BitcoindOptions& node,
                                          pqxx::connection_base& connection, int32_t target_height,
                                          const BulkSyncOptions& options) {
  absl::StatusOr<std::optional<storage::IndexTip>> tip = storage::ReadIndexTip(connection);
  if (!tip.ok()) return tip.status();
  absl::StatusOr<int64_t> next_tx_num = storage::ReadNextTxNum(connection);
  if (!next_tx_num.ok()) return next_tx_num.status();
  const int32_t first_height = *tip ? (*tip)->height + 1 : 0;
  Pipeline pipeline(node, connection, first_height, target_height, *next_tx_num, options);
  if (first_height > target_height) {
    BulkSyncStats nothing;
    nothing.first_height = first_height;
    nothing.tip_height = first_height - 1;
    return nothing;
  }
  return pipeline.Run();
}

}  // namespace electrum::blockchain
