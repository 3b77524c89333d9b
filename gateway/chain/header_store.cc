#include "gateway/chain/header_store.h"

#include <mutex>

#include "common/crypto/hex.h"

namespace electrum::gateway {

std::string StoredHeader::Hex() const {
  return ToHex(chain::ByteSpan(reinterpret_cast<const uint8_t*>(raw.data()), raw.size()));
}

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
  return ToHex(chain::ByteSpan(reinterpret_cast<const uint8_t*>(raws_[height].data()),
                               raws_[height].size()));
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
  if (height < 0 || height > checkpoint || checkpoint > tip_height()) {
    return absl::OutOfRangeError("checkpoint outside the chain");
  }
  std::shared_ptr<const chain::MerkleTree> tree = TreeThrough(checkpoint);
  if (!tree) return absl::OutOfRangeError("checkpoint outside the chain");
  return tree->Branch(static_cast<size_t>(height));
}

std::shared_ptr<const chain::MerkleTree> HeaderStore::TreeThrough(int32_t checkpoint) const {
  return trees_.Get(checkpoint, [this](int32_t last) {
    std::shared_lock lock(mutex_);
    return chain::HeaderLeavesThrough(hashes_, last);
  });
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
  if (height < 0) height = 0;
  std::unique_lock lock(mutex_);
  // Under the lock: a tree built from the replaced hashes is never kept.
  trees_.ForgetFrom(height);
  if (static_cast<size_t>(height) >= hashes_.size()) return;
  hashes_.resize(height);
  raws_.resize(height);
}

}  // namespace electrum::gateway
