// simnode's block tree and active chain: every block ever accepted, the best
// valid chain, its UTXO set and transaction index, and the undo data that
// lets it disconnect blocks. Single-threaded by design (the node runs on one
// io_context thread).
#ifndef ELECTRUM_TOOLS_SIMNODE_CHAIN_H_
#define ELECTRUM_TOOLS_SIMNODE_CHAIN_H_

#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/container/node_hash_map.h"
#include "absl/status/statusor.h"
#include "common/chain/block.h"
#include "common/chain/hash_types.h"
#include "tools/simnode/block_store.h"

namespace electrum::simnode {

using chain::Block;
using chain::BlockHash;
using chain::Bytes;
using chain::Transaction;
using chain::TxId;

struct HashHasher {
  template <typename H>
  size_t operator()(const H& hash) const {
    size_t out;
    std::memcpy(&out, hash.internal().data(), sizeof(out));
    return out;
  }
};

struct Outpoint {
  TxId txid;
  uint32_t index = 0;
  auto operator<=>(const Outpoint&) const = default;
  template <typename H>
  friend H AbslHashValue(H state, const Outpoint& outpoint) {
    return H::combine(std::move(state), outpoint.txid, outpoint.index);
  }
};

struct Coin {
  int64_t value = 0;
  Bytes script_pubkey;
  int height = 0;
  bool coinbase = false;
};

struct BlockEntry {
  Bytes raw;
  // Views into `raw`, which never moves (entries live behind unique_ptr).
  // A paged-out block keeps only its header (views into header_bytes); its
  // contents are read back from the chain log (Chain::Contents).
  Block block;
  size_t tx_count = 0;
  bool paged_out = false;
  Bytes header_bytes;
  // Where the chain log holds it (size 0: not stored).
  BlockStore::Location stored;
  BlockHash hash;
  BlockEntry* parent = nullptr;
  std::vector<BlockEntry*> children;
  int height = 0;
  // invalidateblock on this block or an ancestor, or it failed to connect.
  bool invalid = false;
  // Why, in Core's words ("bad-txns-...", "bad-prevblk", "invalidated").
  std::string invalid_reason;
  // Order of arrival: among equal-work tips the first seen wins, as in Core.
  uint64_t sequence = 0;
  // Coins spent by the block, in input order, while it is connected.
  std::vector<Coin> undo;
};

// A block's contents, resident or read back from the chain log; `keep`
// holds what the views point into.
struct BlockContents {
  chain::ByteSpan raw;
  const Block* block = nullptr;
  std::shared_ptr<const void> keep;
};

// What a chain change did, for notifications and the mempool.
struct ChainChange {
  std::vector<const BlockEntry*> disconnected;  // tip first
  std::vector<const BlockEntry*> connected;     // lowest first
};

class Chain {
 public:
  // Starts from the given genesis block (raw bytes), parsing blocks with
  // `format`. Block identity hashes are SHA-256d of the header, except a
  // given `genesis_hash` (Dash: the X11 hash, taken as published).
  static absl::StatusOr<std::unique_ptr<Chain>> Create(
      Bytes genesis_raw, const chain::BlockFormat& format,
      std::optional<BlockHash> genesis_hash = std::nullopt);

  // Adds a block whose parent is known, then moves to the best valid chain.
  // Rejects unknown parents, bad merkle roots, missing or double-spent inputs.
  absl::StatusOr<ChainChange> AcceptBlock(Bytes raw);

  // Marks a block and its descendants invalid and re-selects the best chain.
  absl::StatusOr<ChainChange> InvalidateBlock(const BlockHash& hash);
  // Clears the invalid mark of a block, its ancestors and descendants.
  absl::StatusOr<ChainChange> ReconsiderBlock(const BlockHash& hash);

  const BlockEntry* Tip() const { return active_.back(); }
  int Height() const { return static_cast<int>(active_.size()) - 1; }
  const BlockEntry* AtHeight(int height) const;
  const BlockEntry* Find(const BlockHash& hash) const;
  bool IsActive(const BlockEntry* entry) const;
  size_t BlockCount() const { return entries_.size(); }

  const Coin* FindCoin(const Outpoint& outpoint) const;
  // A confirmed transaction of the active chain.
  struct TxLocation {
    const BlockEntry* block;
    size_t position;
  };
  std::optional<TxLocation> FindTransaction(const TxId& txid) const;

  // Median time of the last 11 blocks ending at `entry`.
  uint32_t MedianTimePast(const BlockEntry* entry) const;

  // Bounded memory for long chains: active blocks more than `blocks` below
  // the tip drop their contents and undo data once stored (`reader` reads
  // them back), so the chain cannot be reorganized below that depth.
  // 0 keeps everything in memory.
  using StoreReader = std::function<absl::StatusOr<Bytes>(BlockStore::Location)>;
  void KeepResident(int blocks, StoreReader reader);
  void SetStored(const BlockHash& hash, BlockStore::Location location);
  // The block's transactions and raw bytes, wherever they are; with
  // `parsed` false, a paged-out block comes back as bytes only (block null).
  absl::StatusOr<BlockContents> Contents(const BlockEntry& entry, bool parsed = true) const;

 private:
  Chain() = default;
  absl::Status ConnectTip(BlockEntry* entry);
  void DisconnectTip();
  BlockEntry* BestValidTip() const;
  // Sets `invalid` on `root` (with `reason`) and every block built on it
  // (as "bad-prevblk"); clears both when `invalid` is false.
  static void MarkSubtree(BlockEntry* root, bool invalid, const std::string& reason);
  ChainChange ActivateBestChain();
  void PageOut(BlockEntry* entry);
  // Whether reaching `fork` needs a block whose undo data is gone.
  bool BelowResidentWindow(const BlockEntry* fork) const;

  chain::BlockFormat format_;
  std::unordered_map<BlockHash, std::unique_ptr<BlockEntry>, HashHasher> entries_;
  std::vector<BlockEntry*> active_;
  // Hashed, not ordered: a tree of tens of millions of coins made replaying
  // a long chain log mostly cache misses in memcmp. (Node-based: FindCoin
  // hands out pointers.)
  absl::node_hash_map<Outpoint, Coin> utxos_;
  std::unordered_map<TxId, TxLocation, HashHasher> tx_index_;
  uint64_t next_sequence_ = 0;
  int resident_blocks_ = 0;
  StoreReader reader_;
};

}  // namespace electrum::simnode

#endif  // ELECTRUM_TOOLS_SIMNODE_CHAIN_H_
