#include "services/blockchain/service/header_cache.h"

#include <algorithm>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "pqxx/pqxx"
#include "storage/chain_index/chain_reads.h"
#include "storage/pg/pg_status.h"

namespace electrum::blockchain {
namespace {

// Rows read per query while catching up.
constexpr int32_t kLoadChunk = 20000;

}  // namespace

CachedHeader HeaderCache::Make(int32_t height) const {
  CachedHeader header{height, hashes_[height], raws_[height], {}};
  if (auto it = pow_data_.find(height); it != pow_data_.end()) header.pow_data = it->second;
  return header;
}

absl::StatusOr<std::optional<TipChange>> HeaderCache::Refresh(pqxx::connection_base& connection) {
  return storage::RunGuarded(
      "refreshing the header cache", [&]() -> absl::StatusOr<std::optional<TipChange>> {
        // One snapshot for the whole catch-up.
        pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> session(connection);
        const std::optional<storage::StoredBlockHash> tip = storage::ReadTip(session);
        std::unique_lock<std::shared_mutex> lock(mutex_);
        const int32_t cached_tip = static_cast<int32_t>(hashes_.size()) - 1;
        if (!tip) return std::optional<TipChange>();  // nothing indexed yet
        if (tip->height == cached_tip && hashes_.back() == tip->hash) return std::nullopt;
        const int32_t keep = LastAgreedHeight(session, std::min(cached_tip, tip->height));
        std::optional<int32_t> reorg_from;
        if (keep < cached_tip) reorg_from = keep + 1;
        ForgetFrom(keep + 1);
        RETURN_IF_ERROR(LoadThrough(session, tip->height));
        return std::optional<TipChange>(TipChange{Make(tip->height), reorg_from});
      });
}

int32_t HeaderCache::LastAgreedHeight(pqxx::transaction_base& session, int32_t height) const {
  // Compared a window at a time, walking down from the tip.
  constexpr int32_t kWindow = 64;
  while (height >= 0) {
    const int32_t from = std::max(0, height - kWindow + 1);
    int32_t agreed = -1;
    for (const storage::StoredBlockHash& block : storage::ReadBlockHashes(session, from, height)) {
      if (block.hash != hashes_[block.height]) break;
      agreed = block.height;
    }
    if (agreed == height) break;
    height = agreed >= 0 ? agreed : from - 1;
  }
  return height;
}

void HeaderCache::ForgetFrom(int32_t height) {
  trees_.ForgetFrom(height);
  hashes_.resize(height);
  raws_.resize(height);
  absl::erase_if(pow_data_, [height](const auto& entry) { return entry.first >= height; });
}

absl::Status HeaderCache::LoadThrough(pqxx::transaction_base& session, int32_t tip_height) {
  for (int32_t from = static_cast<int32_t>(hashes_.size()); from <= tip_height;
       from += kLoadChunk) {
    for (storage::StoredHeader& stored :
         storage::ReadHeaders(session, from, std::min(tip_height, from + kLoadChunk - 1))) {
      const int32_t height = static_cast<int32_t>(hashes_.size());
      if (stored.height != height) {
        return absl::DataLossError(absl::StrCat("blocks table has a gap at height ", height));
      }
      RawHeader raw{};
      if (stored.header.size() != raw.size()) {
        return absl::DataLossError(
            absl::StrCat("header at height ", height, " is ", stored.header.size(), " bytes"));
      }
      std::copy(stored.header.begin(), stored.header.end(), raw.begin());
      if (stored.pow_data) pow_data_[height] = std::move(*stored.pow_data);
      hashes_.push_back(stored.hash);
      raws_.push_back(raw);
    }
  }
  if (static_cast<int32_t>(hashes_.size()) != tip_height + 1) {
    return absl::DataLossError("blocks table ends below the tip row");
  }
  return absl::OkStatus();
}

int32_t HeaderCache::tip_height() const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  return static_cast<int32_t>(hashes_.size()) - 1;
}

std::optional<CachedHeader> HeaderCache::Tip() const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  if (hashes_.empty()) return std::nullopt;
  return Make(static_cast<int32_t>(hashes_.size()) - 1);
}

std::optional<CachedHeader> HeaderCache::At(int32_t height) const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  if (height < 0 || height >= static_cast<int32_t>(hashes_.size())) return std::nullopt;
  return Make(height);
}

std::vector<CachedHeader> HeaderCache::Range(int32_t start, int32_t count) const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  std::vector<CachedHeader> headers;
  const int32_t end = std::min<int64_t>(static_cast<int64_t>(start) + count, hashes_.size());
  for (int32_t height = std::max(0, start); height < end; ++height) {
    headers.push_back(Make(height));
  }
  return headers;
}

absl::StatusOr<chain::MerkleBranch> HeaderCache::CheckpointProof(int32_t height,
                                                                 int32_t checkpoint) const {
  auto tree = trees_.Get(checkpoint, [this](int32_t last) {
    std::shared_lock<std::shared_mutex> lock(mutex_);
    return chain::HeaderLeavesThrough(hashes_, last);
  });
  if (tree == nullptr || height < 0 || height > checkpoint) {
    return absl::OutOfRangeError("checkpoint outside the chain");
  }
  return tree->Branch(static_cast<size_t>(height));
}

}  // namespace electrum::blockchain
