#include "tools/simnode/chain.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "tools/simnode/block_assembler.h"

namespace electrum::simnode {
namespace {

absl::StatusOr<std::unique_ptr<BlockEntry>> MakeEntry(Bytes raw, const chain::BlockFormat& format) {
  auto entry = std::make_unique<BlockEntry>();
  entry->raw = std::move(raw);
  absl::StatusOr<Block> block = chain::ParseBlock(entry->raw, format);
  if (!block.ok()) return block.status();
  entry->block = std::move(*block);
  entry->tx_count = entry->block.transactions.size();
  entry->hash = entry->block.header.Sha256dHash();
  if (chain::ComputeMerkleRoot(entry->block) != entry->block.header.merkle_root) {
    return absl::InvalidArgumentError("bad-txnmrklroot");
  }
  return entry;
}

int64_t ValueOut(const Transaction& tx) {
  int64_t total = 0;
  for (const chain::TxOutput& output : tx.outputs) total += output.value;
  return total;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Chain>> Chain::Create(Bytes genesis_raw,
                                                     const chain::BlockFormat& format,
                                                     std::optional<BlockHash> genesis_hash) {
  absl::StatusOr<std::unique_ptr<BlockEntry>> genesis = MakeEntry(std::move(genesis_raw), format);
  if (!genesis.ok()) return genesis.status();
  std::unique_ptr<Chain> chain(new Chain());
  chain->format_ = format;
  BlockEntry* entry = genesis->get();
  if (genesis_hash) entry->hash = *genesis_hash;
  entry->sequence = chain->next_sequence_++;
  chain->entries_.emplace(entry->hash, std::move(*genesis));
  // The genesis coinbase is unspendable, as in Bitcoin Core: not in the UTXO set.
  chain->active_.push_back(entry);
  const Transaction& coinbase = entry->block.transactions[0];
  chain->tx_index_[coinbase.txid] = {entry, 0};
  return chain;
}

const BlockEntry* Chain::AtHeight(int height) const {
  if (height < 0 || height > Height()) return nullptr;
  return active_[height];
}

const BlockEntry* Chain::Find(const BlockHash& hash) const {
  auto found = entries_.find(hash);
  return found == entries_.end() ? nullptr : found->second.get();
}

bool Chain::IsActive(const BlockEntry* entry) const {
  return entry != nullptr && entry->height <= Height() && active_[entry->height] == entry;
}

const Coin* Chain::FindCoin(const Outpoint& outpoint) const {
  auto found = utxos_.find(outpoint);
  return found == utxos_.end() ? nullptr : &found->second;
}

std::optional<Chain::TxLocation> Chain::FindTransaction(const TxId& txid) const {
  auto found = tx_index_.find(txid);
  if (found == tx_index_.end()) return std::nullopt;
  return found->second;
}

uint32_t Chain::MedianTimePast(const BlockEntry* entry) const {
  std::vector<uint32_t> times;
  for (int i = 0; i < 11 && entry != nullptr; ++i, entry = entry->parent) {
    times.push_back(entry->block.header.time);
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

absl::Status Chain::ConnectTip(BlockEntry* entry) {
  // Check every input and amount before changing anything: a failed block
  // leaves the chain as it was.
  absl::flat_hash_map<Outpoint, Coin> created;
  std::vector<Outpoint> spent;
  absl::flat_hash_set<Outpoint> spent_set;
  const auto& transactions = entry->block.transactions;
  int64_t fees = 0;
  for (size_t t = 0; t < transactions.size(); ++t) {
    const Transaction& tx = transactions[t];
    for (const chain::TxOutput& output : tx.outputs) {
      if (output.value < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("bad-txns-vout-negative: ", tx.txid.ToDisplayHex()));
      }
    }
    if (t > 0) {
      int64_t value_in = 0;
      for (const chain::TxInput& input : tx.inputs) {
        Outpoint outpoint{input.prev_txid, input.prev_index};
        auto confirmed = utxos_.find(outpoint);
        auto same_block = created.find(outpoint);
        if ((confirmed == utxos_.end() && same_block == created.end()) ||
            spent_set.contains(outpoint)) {
          return absl::InvalidArgumentError(absl::StrCat(
              "bad-txns-inputs-missingorspent: ", tx.txid.ToDisplayHex(), ":", input.prev_index));
        }
        value_in += confirmed != utxos_.end() ? confirmed->second.value : same_block->second.value;
        spent.push_back(outpoint);
        spent_set.insert(outpoint);
      }
      const int64_t value_out = ValueOut(tx);
      if (value_in < value_out) {
        return absl::InvalidArgumentError(
            absl::StrCat("bad-txns-in-belowout: ", tx.txid.ToDisplayHex()));
      }
      fees += value_in - value_out;
    }
    for (uint32_t i = 0; i < tx.outputs.size(); ++i) {
      const chain::TxOutput& output = tx.outputs[i];
      created[{tx.txid, i}] =
          Coin{output.value, Bytes(output.script_pubkey.begin(), output.script_pubkey.end()),
               entry->height, t == 0};
    }
  }
  if (ValueOut(transactions[0]) > BlockSubsidy(entry->height) + fees) {
    return absl::InvalidArgumentError("bad-cb-amount");
  }
  entry->undo.clear();
  for (const Outpoint& outpoint : spent) {
    auto found = utxos_.find(outpoint);
    if (found != utxos_.end()) {
      entry->undo.push_back(std::move(found->second));
      utxos_.erase(found);
    } else {
      // Spent within the same block: nothing to restore on disconnect.
      created.erase(outpoint);
      entry->undo.push_back(Coin{.value = -1});
    }
  }
  for (auto& [outpoint, coin] : created) utxos_.emplace(outpoint, std::move(coin));
  for (size_t t = 0; t < transactions.size(); ++t) tx_index_[transactions[t].txid] = {entry, t};
  active_.push_back(entry);
  if (resident_blocks_ > 0 && Height() - resident_blocks_ >= 1) {
    PageOut(active_[Height() - resident_blocks_]);
  }
  return absl::OkStatus();
}

void Chain::KeepResident(int blocks, StoreReader reader) {
  resident_blocks_ = blocks;
  reader_ = std::move(reader);
}

void Chain::SetStored(const BlockHash& hash, BlockStore::Location location) {
  auto found = entries_.find(hash);
  if (found != entries_.end()) found->second->stored = location;
}

void Chain::PageOut(BlockEntry* entry) {
  // Unstored blocks (genesis) and AuxPoW blocks (their proof views the raw
  // bytes) stay.
  if (entry->paged_out || entry->stored.size == 0 || entry->block.auxpow) return;
  entry->header_bytes.assign(entry->block.full_header.begin(), entry->block.full_header.end());
  entry->block.header.raw = chain::ByteSpan(entry->header_bytes).first(chain::kHeaderSize);
  entry->block.full_header = chain::ByteSpan(entry->header_bytes);
  entry->block.extension = {};
  entry->block.raw = {};
  std::vector<Transaction>().swap(entry->block.transactions);
  Bytes().swap(entry->raw);
  std::vector<Coin>().swap(entry->undo);
  entry->paged_out = true;
}

bool Chain::BelowResidentWindow(const BlockEntry* fork) const {
  return fork->height < Height() && active_[fork->height + 1]->paged_out;
}

absl::StatusOr<BlockContents> Chain::Contents(const BlockEntry& entry, bool parsed) const {
  if (!entry.paged_out) return BlockContents{entry.raw, &entry.block, nullptr};
  struct Loaded {
    Bytes raw;
    Block block;
  };
  auto loaded = std::make_shared<Loaded>();
  ASSIGN_OR_RETURN(loaded->raw, reader_(entry.stored));
  if (!parsed) return BlockContents{loaded->raw, nullptr, loaded};
  ASSIGN_OR_RETURN(loaded->block, chain::ParseBlock(loaded->raw, format_));
  return BlockContents{loaded->raw, &loaded->block, loaded};
}

void Chain::DisconnectTip() {
  BlockEntry* entry = active_.back();
  const auto& transactions = entry->block.transactions;
  for (const Transaction& tx : transactions) {
    for (uint32_t i = 0; i < tx.outputs.size(); ++i) utxos_.erase({tx.txid, i});
    tx_index_.erase(tx.txid);
  }
  size_t undo_index = 0;
  for (size_t t = 1; t < transactions.size(); ++t) {
    for (const chain::TxInput& input : transactions[t].inputs) {
      Coin& coin = entry->undo[undo_index++];
      if (coin.value >= 0) utxos_[{input.prev_txid, input.prev_index}] = std::move(coin);
    }
  }
  entry->undo.clear();
  active_.pop_back();
}

void Chain::MarkSubtree(BlockEntry* root, bool invalid, const std::string& reason) {
  std::vector<BlockEntry*> pending = {root};
  while (!pending.empty()) {
    BlockEntry* entry = pending.back();
    pending.pop_back();
    entry->invalid = invalid;
    entry->invalid_reason = !invalid ? "" : entry == root ? reason : "bad-prevblk";
    pending.insert(pending.end(), entry->children.begin(), entry->children.end());
  }
}

BlockEntry* Chain::BestValidTip() const {
  BlockEntry* best = nullptr;
  for (const auto& [hash, entry] : entries_) {
    if (entry->invalid) continue;
    if (best == nullptr || entry->height > best->height ||
        (entry->height == best->height && entry->sequence < best->sequence)) {
      best = entry.get();
    }
  }
  return best;
}

ChainChange Chain::ActivateBestChain() {
  ChainChange change;
  while (true) {
    BlockEntry* best = BestValidTip();
    if (best == active_.back()) return change;
    // Path from the best tip down to the active chain.
    std::vector<BlockEntry*> branch;
    BlockEntry* fork = best;
    while (!IsActive(fork)) {
      branch.push_back(fork);
      fork = fork->parent;
    }
    if (BelowResidentWindow(fork)) {
      // The blocks to disconnect have no undo data left.
      if (branch.empty()) return change;
      MarkSubtree(branch.back(), true, "fork below simnode's resident blocks");
      continue;
    }
    while (active_.back() != fork) {
      change.disconnected.push_back(active_.back());
      DisconnectTip();
    }
    bool failed = false;
    for (auto it = branch.rbegin(); it != branch.rend(); ++it) {
      if (absl::Status connected = ConnectTip(*it); !connected.ok()) {
        // An invalid block poisons its descendants; try the next best chain.
        MarkSubtree(*it, true, std::string(connected.message()));
        failed = true;
        break;
      }
      change.connected.push_back(*it);
    }
    if (!failed) return change;
  }
}

absl::StatusOr<ChainChange> Chain::AcceptBlock(Bytes raw) {
  absl::StatusOr<std::unique_ptr<BlockEntry>> made = MakeEntry(std::move(raw), format_);
  if (!made.ok()) return made.status();
  std::unique_ptr<BlockEntry> entry = std::move(*made);
  if (entries_.contains(entry->hash)) return absl::AlreadyExistsError("duplicate");
  auto parent = entries_.find(entry->block.header.prev_hash);
  if (parent == entries_.end()) return absl::FailedPreconditionError("prev-blk-not-found");
  entry->parent = parent->second.get();
  entry->height = entry->parent->height + 1;
  entry->invalid = entry->parent->invalid;
  if (entry->invalid) entry->invalid_reason = "bad-prevblk";
  entry->sequence = next_sequence_++;
  BlockEntry* added = entry.get();
  entries_.emplace(added->hash, std::move(entry));
  added->parent->children.push_back(added);
  ChainChange change;
  if (added->parent == active_.back() && !added->invalid) {
    // The common case, extending the tip: no need to search for the best tip.
    absl::Status connected = ConnectTip(added);
    if (!connected.ok()) {
      added->invalid = true;
      added->invalid_reason = std::string(connected.message());
      return connected;
    }
    change.connected.push_back(added);
    return change;
  }
  change = ActivateBestChain();
  if (added->invalid) return absl::InvalidArgumentError(added->invalid_reason);
  return change;
}

absl::StatusOr<ChainChange> Chain::InvalidateBlock(const BlockHash& hash) {
  BlockEntry* target = const_cast<BlockEntry*>(Find(hash));
  if (target == nullptr) return absl::NotFoundError("Block not found");
  if (target->parent == nullptr) return absl::InvalidArgumentError("cannot invalidate genesis");
  if (IsActive(target) && BelowResidentWindow(target->parent)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot invalidate block ", target->height, ": simnode keeps undo data for the last ",
        resident_blocks_, " blocks only (--resident_blocks)"));
  }
  MarkSubtree(target, true, "invalidated");
  return ActivateBestChain();
}

absl::StatusOr<ChainChange> Chain::ReconsiderBlock(const BlockHash& hash) {
  BlockEntry* target = const_cast<BlockEntry*>(Find(hash));
  if (target == nullptr) return absl::NotFoundError("Block not found");
  for (BlockEntry* walk = target; walk != nullptr; walk = walk->parent) walk->invalid = false;
  MarkSubtree(target, false, "");
  return ActivateBestChain();
}

}  // namespace electrum::simnode
