#include "services/blockchain/service/header_cache.h"

#include <algorithm>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "pqxx/pqxx"
#include "storage/chain_index/tip_row.h"
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
        pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> transaction(connection);
        pqxx::result tip = transaction.exec("SELECT height, hash FROM chain_tip");
        std::unique_lock<std::shared_mutex> lock(mutex_);
        const int32_t cached_tip = static_cast<int32_t>(hashes_.size()) - 1;
        if (tip.empty()) return std::optional<TipChange>();  // nothing indexed yet
        const int32_t tip_height = tip[0][0].as<int32_t>();
        const chain::BlockHash tip_hash = storage::HashFromField<chain::BlockHash>(tip[0][1]);
        if (tip_height == cached_tip && hashes_.back() == tip_hash) return std::nullopt;
        // The first height where the cache and the index disagree.
        int32_t keep = std::min(cached_tip, tip_height);
        while (keep >= 0) {
          pqxx::result low = transaction.exec_params(
              "SELECT height, hash FROM blocks WHERE height BETWEEN $1 AND $2 ORDER BY height",
              std::max(0, keep - 63), keep);
          int32_t agreed = -1;
          for (const auto& row : low) {
            const int32_t height = row[0].as<int32_t>();
            if (storage::HashFromField<chain::BlockHash>(row[1]) == hashes_[height]) {
              agreed = height;
            } else {
              break;
            }
          }
          if (agreed == keep) break;
          keep = agreed >= 0 ? agreed : std::max(0, keep - 63) - 1;
        }
        std::optional<int32_t> reorg_from;
        if (keep < cached_tip) reorg_from = keep + 1;
        trees_.ForgetFrom(keep + 1);
        hashes_.resize(keep + 1);
        raws_.resize(keep + 1);
        absl::erase_if(pow_data_, [keep](const auto& entry) { return entry.first > keep; });
        for (int32_t from = keep + 1; from <= tip_height; from += kLoadChunk) {
          pqxx::result rows = transaction.exec_params(
              "SELECT height, hash, header, pow_data FROM blocks WHERE height BETWEEN $1 AND $2 "
              "ORDER BY height",
              from, std::min(tip_height, from + kLoadChunk - 1));
          for (const auto& row : rows) {
            if (row[0].as<int32_t>() != static_cast<int32_t>(hashes_.size())) {
              return absl::DataLossError(
                  absl::StrCat("blocks table has a gap at height ", hashes_.size()));
            }
            pqxx::binarystring header(row[2]);
            RawHeader raw{};
            if (header.size() != raw.size()) {
              return absl::DataLossError(absl::StrCat("header at height ", hashes_.size(), " is ",
                                                      header.size(), " bytes"));
            }
            std::copy(header.begin(), header.end(), raw.begin());
            if (!row[3].is_null()) {
              pqxx::binarystring pow_data(row[3]);
              pow_data_[static_cast<int32_t>(hashes_.size())] = pow_data.str();
            }
            hashes_.push_back(storage::HashFromField<chain::BlockHash>(row[1]));
            raws_.push_back(raw);
          }
        }
        if (static_cast<int32_t>(hashes_.size()) != tip_height + 1) {
          return absl::DataLossError("blocks table ends below the tip row");
        }
        return std::optional<TipChange>(TipChange{Make(tip_height), reorg_from});
      });
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
