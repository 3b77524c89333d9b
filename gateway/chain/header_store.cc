#include "gateway/chain/header_store.h"

#include <mutex>

#include "common/crypto/hex.h"

namespace electrum::gateway {

int32_t HeaderStore::tip_height() const {
  std::shared_lock lock(mutex_);
  return static_cast<int32_t>(hashes_.size()) - 1;
}

std::optional<StoredHeader> HeaderStore::Tip() const {
  std::shared_lock lock(mutex_);
  if (hashes_.empty()) return std::nullopt;
  const size_t last = hashes_.size() - 1;
  return StoredHeader{static_cast<int32_t>(last), hashes_[last], raws_[last]};
}

std::optional<StoredHeader> HeaderStore::At(int32_t height) const {
  std::shared_lock lock(mutex_);
  if (height < 0 || static_cast<size_t>(height) >= hashes_.size()) return std::nullopt;
  return StoredHeader{height, hashes_[height], raws_[height]};
}

std::optional<std::string> HeaderStore::HexAt(int32_t height) const {
  std::shared_lock lock(mutex_);
  if (height < 0 || static_cast<size_t>(height) >= raws_.size()) return std::nullopt;
  const std::string& raw = raws_[height];
  return ToHex(chain::ByteSpan(reinterpret_cast<const uint8_t*>(raw.data()), raw.size()));
}

std::vector<StoredHeader> HeaderStore::Range(int32_t start, int32_t count) const {
  std::vector<StoredHeader> headers;
  std::shared_lock lock(mutex_);
  const int64_t end = std::min<int64_t>(static_cast<int64_t>(start) + count, hashes_.size());
  for (int64_t height = std::max(start, 0); height < end; ++height) {
    headers.push_back({static_cast<int32_t>(height), hashes_[height], raws_[height]});
  }
  return headers;
}

absl::StatusOr<chain::MerkleBranch> HeaderStore::CheckpointProof(int32_t height,
                                                                 int32_t checkpoint) const {
  std::vector<chain::MerkleHash> leaves;
  {
    std::shared_lock lock(mutex_);
    if (height < 0 || height > checkpoint || static_cast<size_t>(checkpoint) >= hashes_.size()) {
      return absl::OutOfRangeError("checkpoint outside the chain");
    }
    leaves.reserve(checkpoint + 1);
    for (int32_t i = 0; i <= checkpoint; ++i) leaves.emplace_back(hashes_[i].internal());
  }
  return chain::ComputeMerkleBranch(std::move(leaves), static_cast<size_t>(height));
}

bool HeaderStore::Append(const std::vector<StoredHeader>& headers) {
  std::unique_lock lock(mutex_);
  int64_t next = static_cast<int64_t>(hashes_.size());
  for (const StoredHeader& header : headers) {
    if (header.height != next++) return false;
  }
  for (const StoredHeader& header : headers) {
    hashes_.push_back(header.hash);
    raws_.push_back(header.raw);
  }
  return true;
}

void HeaderStore::TruncateFrom(int32_t height) {
  std::unique_lock lock(mutex_);
  if (height < 0) height = 0;
  if (static_cast<size_t>(height) >= hashes_.size()) return;
  hashes_.resize(height);
  raws_.resize(height);
}

}  // namespace electrum::gateway
