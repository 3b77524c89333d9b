#include "tools/simnode/mempool.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "tools/simnode/block_assembler.h"

namespace electrum::simnode {
namespace {

// Core's RPC error codes used for rejections.
constexpr int kRpcDeserializationError = -22;
constexpr int kRpcTransactionError = -25;
constexpr int kRpcTransactionRejected = -26;
constexpr int kRpcTransactionAlreadyInChain = -27;
constexpr int64_t kMaxMoney = 21000000 * kCoin;

}  // namespace

std::variant<MempoolEntry, RejectReason> Mempool::Check(Bytes raw, const Chain& chain, int64_t now,
                                                        int64_t max_fee_rate_per_kvb) const {
  MempoolEntry entry;
  entry.raw = std::move(raw);
  absl::StatusOr<Transaction> parsed = chain::ParseTransaction(entry.raw, format_);
  if (!parsed.ok()) {
    return RejectReason{kRpcDeserializationError,
                        "TX decode failed. Make sure the tx has at least one input."};
  }
  entry.tx = std::move(*parsed);
  const Transaction& tx = entry.tx;
  if (tx.inputs.empty()) return RejectReason{kRpcTransactionRejected, "bad-txns-vin-empty"};
  if (tx.outputs.empty()) return RejectReason{kRpcTransactionRejected, "bad-txns-vout-empty"};
  if (tx.IsCoinbase()) return RejectReason{kRpcTransactionRejected, "coinbase"};
  int64_t value_out = 0;
  for (const chain::TxOutput& output : tx.outputs) {
    if (output.value < 0) return RejectReason{kRpcTransactionRejected, "bad-txns-vout-negative"};
    if (output.value > kMaxMoney) {
      return RejectReason{kRpcTransactionRejected, "bad-txns-vout-toolarge"};
    }
    value_out += output.value;
    if (value_out > kMaxMoney) {
      return RejectReason{kRpcTransactionRejected, "bad-txns-txouttotal-toolarge"};
    }
  }
  if (entries_.contains(tx.txid)) {
    return RejectReason{kRpcTransactionRejected, "txn-already-in-mempool"};
  }
  if (chain.FindTransaction(tx.txid)) {
    return RejectReason{kRpcTransactionAlreadyInChain, "Transaction already in block chain"};
  }
  std::set<Outpoint> seen;
  int64_t value_in = 0;
  for (const chain::TxInput& input : tx.inputs) {
    Outpoint outpoint{input.prev_txid, input.prev_index};
    if (!seen.insert(outpoint).second) {
      return RejectReason{kRpcTransactionRejected, "bad-txns-inputs-duplicate"};
    }
    if (auto conflict = spends_.find(outpoint); conflict != spends_.end()) {
      return RejectReason{kRpcTransactionRejected, "txn-mempool-conflict"};
    }
    if (const Coin* coin = chain.FindCoin(outpoint)) {
      if (coin->coinbase && chain.Height() + 1 - coin->height < kCoinbaseMaturity) {
        return RejectReason{kRpcTransactionRejected,
                            absl::StrCat("bad-txns-premature-spend-of-coinbase, tried to spend "
                                         "coinbase at depth ",
                                         chain.Height() + 1 - coin->height)};
      }
      value_in += coin->value;
      continue;
    }
    auto parent = entries_.find(input.prev_txid);
    if (parent != entries_.end() && input.prev_index < parent->second->tx.outputs.size()) {
      value_in += parent->second->tx.outputs[input.prev_index].value;
      if (std::find(entry.depends.begin(), entry.depends.end(), input.prev_txid) ==
          entry.depends.end()) {
        entry.depends.push_back(input.prev_txid);
      }
      continue;
    }
    return RejectReason{kRpcTransactionError, "bad-txns-inputs-missingorspent"};
  }
  if (value_in < value_out) {
    return RejectReason{kRpcTransactionRejected,
                        absl::StrCat("bad-txns-in-belowout, value in (", value_in,
                                     ") < value out (", value_out, ")")};
  }
  entry.fee = value_in - value_out;
  entry.vsize = tx.VirtualSize();
  const int64_t min_fee = static_cast<int64_t>(entry.vsize) * kMinRelayFeePerKvb / 1000;
  if (entry.fee < min_fee) {
    return RejectReason{kRpcTransactionRejected,
                        absl::StrCat("min relay fee not met, ", entry.fee, " < ", min_fee)};
  }
  if (max_fee_rate_per_kvb > 0 &&
      entry.fee > static_cast<int64_t>(entry.vsize) * max_fee_rate_per_kvb / 1000) {
    return RejectReason{kRpcTransactionError,
                        "Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)"};
  }
  entry.time = now;
  entry.height = chain.Height();
  return entry;
}

std::variant<const MempoolEntry*, RejectReason> Mempool::Accept(Bytes raw, const Chain& chain,
                                                                int64_t now,
                                                                int64_t max_fee_rate_per_kvb) {
  auto checked = Check(std::move(raw), chain, now, max_fee_rate_per_kvb);
  if (auto* reason = std::get_if<RejectReason>(&checked)) return *reason;
  // Move the bytes first, then re-parse so the views point into the stored copy.
  auto entry = std::make_unique<MempoolEntry>(std::move(std::get<MempoolEntry>(checked)));
  entry->tx = chain::ParseTransaction(entry->raw, format_).value();
  const TxId txid = entry->tx.txid;
  for (const chain::TxInput& input : entry->tx.inputs) {
    spends_[{input.prev_txid, input.prev_index}] = txid;
  }
  const MempoolEntry* added = entry.get();
  entries_.emplace(txid, std::move(entry));
  arrival_order_.push_back(txid);
  ++sequence_;
  return added;
}

std::vector<TxId> Mempool::Children(const TxId& txid) const {
  std::vector<TxId> children;
  auto found = entries_.find(txid);
  if (found == entries_.end()) return children;
  for (uint32_t i = 0; i < found->second->tx.outputs.size(); ++i) {
    auto spend = spends_.find({txid, i});
    if (spend != spends_.end() &&
        std::find(children.begin(), children.end(), spend->second) == children.end()) {
      children.push_back(spend->second);
    }
  }
  return children;
}

void Mempool::Erase(const TxId& txid) {
  auto found = entries_.find(txid);
  for (const chain::TxInput& input : found->second->tx.inputs) {
    spends_.erase({input.prev_txid, input.prev_index});
  }
  entries_.erase(found);
  arrival_order_.erase(std::find(arrival_order_.begin(), arrival_order_.end(), txid));
  ++sequence_;
}

std::vector<TxId> Mempool::RemoveWithDescendants(const TxId& txid) {
  std::vector<TxId> removed;
  std::vector<TxId> pending = {txid};
  while (!pending.empty()) {
    TxId current = pending.back();
    pending.pop_back();
    auto found = entries_.find(current);
    if (found == entries_.end()) continue;
    for (const TxId& child : Children(current)) pending.push_back(child);
    Erase(current);
    removed.push_back(current);
  }
  return removed;
}

std::vector<std::pair<TxId, RemovalReason>> Mempool::RemoveForBlock(const Block& block) {
  std::vector<std::pair<TxId, RemovalReason>> removed;
  for (const Transaction& tx : block.transactions) {
    if (entries_.contains(tx.txid)) {
      // Only the transaction itself: its children stay, now with a confirmed parent.
      Erase(tx.txid);
      removed.emplace_back(tx.txid, RemovalReason::kBlock);
    }
  }
  for (const Transaction& tx : block.transactions) {
    if (tx.IsCoinbase()) continue;
    for (const chain::TxInput& input : tx.inputs) {
      auto conflict = spends_.find({input.prev_txid, input.prev_index});
      if (conflict == spends_.end()) continue;
      for (const TxId& gone : RemoveWithDescendants(conflict->second)) {
        removed.emplace_back(gone, RemovalReason::kConflict);
      }
    }
  }
  RefreshDepends();
  return removed;
}

std::vector<TxId> Mempool::RemoveUnspendable(const Chain& chain) {
  std::vector<TxId> removed;
  // Arrival order puts parents first, so a parent is judged before its children.
  const std::vector<TxId> order = arrival_order_;
  for (const TxId& txid : order) {
    auto found = entries_.find(txid);
    if (found == entries_.end()) continue;  // gone with an ancestor
    bool spendable = true;
    for (const chain::TxInput& input : found->second->tx.inputs) {
      if (chain.FindCoin({input.prev_txid, input.prev_index}) != nullptr) continue;
      auto parent = entries_.find(input.prev_txid);
      if (parent == entries_.end() || input.prev_index >= parent->second->tx.outputs.size()) {
        spendable = false;
        break;
      }
    }
    if (spendable) continue;
    std::vector<TxId> gone = RemoveWithDescendants(txid);
    removed.insert(removed.end(), gone.begin(), gone.end());
  }
  RefreshDepends();
  return removed;
}

void Mempool::RefreshDepends() {
  for (auto& [txid, entry] : entries_) {
    entry->depends.clear();
    for (const chain::TxInput& input : entry->tx.inputs) {
      if (entries_.contains(input.prev_txid) &&
          std::find(entry->depends.begin(), entry->depends.end(), input.prev_txid) ==
              entry->depends.end()) {
        entry->depends.push_back(input.prev_txid);
      }
    }
  }
}

const MempoolEntry* Mempool::Find(const TxId& txid) const {
  auto found = entries_.find(txid);
  return found == entries_.end() ? nullptr : found->second.get();
}

std::vector<const MempoolEntry*> Mempool::Entries() const {
  // Arrival order, except that a parent always precedes its children: after
  // a reorg, returned parents arrive after children that stayed.
  std::vector<const MempoolEntry*> out;
  out.reserve(arrival_order_.size());
  std::set<TxId> emitted;
  std::vector<TxId> pending = arrival_order_;
  while (!pending.empty()) {
    std::vector<TxId> deferred;
    for (const TxId& txid : pending) {
      const MempoolEntry* entry = entries_.at(txid).get();
      const bool ready = std::all_of(entry->depends.begin(), entry->depends.end(),
                                     [&](const TxId& parent) { return emitted.contains(parent); });
      if (ready) {
        out.push_back(entry);
        emitted.insert(txid);
      } else {
        deferred.push_back(txid);
      }
    }
    if (deferred.size() == pending.size()) break;  // cannot happen: depends form no cycle
    pending = std::move(deferred);
  }
  return out;
}

size_t Mempool::TotalVsize() const {
  size_t total = 0;
  for (const auto& [txid, entry] : entries_) total += entry->vsize;
  return total;
}

int64_t Mempool::TotalFee() const {
  int64_t total = 0;
  for (const auto& [txid, entry] : entries_) total += entry->fee;
  return total;
}

}  // namespace electrum::simnode
