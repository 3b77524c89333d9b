// simnode's mempool: accepts real transactions after Bitcoin Core's
// structural, input, conflict and fee checks, except that scripts and
// signatures are NOT verified. Reject reasons use Core's strings.
#ifndef ELECTRUM_TOOLS_SIMNODE_MEMPOOL_H_
#define ELECTRUM_TOOLS_SIMNODE_MEMPOOL_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "tools/simnode/chain.h"

namespace electrum::simnode {

// Bitcoin Core's default -minrelaytxfee, in satoshis per 1000 vbytes.
inline constexpr int64_t kMinRelayFeePerKvb = 1000;
// Core's default sendrawtransaction maxfeerate: 0.10 BTC/kvB.
inline constexpr int64_t kMaxFeeRatePerKvb = 10000000;

struct MempoolEntry {
  Bytes raw;
  // Views into `raw` (entries live behind unique_ptr and never move).
  Transaction tx;
  int64_t fee = 0;
  size_t vsize = 0;
  int64_t time = 0;
  int height = 0;  // chain height when it entered
  // In-mempool parents.
  std::vector<TxId> depends;
};

// Why a transaction was refused, with Core's RPC error code.
struct RejectReason {
  int rpc_code;
  std::string message;
};

enum class RemovalReason { kBlock, kConflict, kReorg, kExplicit };

class Mempool {
 public:
  explicit Mempool(chain::TxFormat format = {}) : format_(format) {}

  // Accepts or explains why not. `max_fee_rate` of 0 disables that check.
  std::variant<const MempoolEntry*, RejectReason> Accept(Bytes raw, const Chain& chain, int64_t now,
                                                         int64_t max_fee_rate_per_kvb);
  // The checks of Accept without adding (testmempoolaccept).
  std::variant<MempoolEntry, RejectReason> Check(Bytes raw, const Chain& chain, int64_t now,
                                                 int64_t max_fee_rate_per_kvb) const;

  // Drops the block's transactions and anything conflicting with them.
  // Returns what was removed, for notifications (with the reason).
  std::vector<std::pair<TxId, RemovalReason>> RemoveForBlock(const Block& block);
  // After a reorg: removes transactions (and their descendants) spending
  // outputs that exist neither in the chain nor in the mempool any more.
  std::vector<TxId> RemoveUnspendable(const Chain& chain);
  // Removes a transaction and all its in-mempool descendants.
  std::vector<TxId> RemoveWithDescendants(const TxId& txid);

  const MempoolEntry* Find(const TxId& txid) const;
  // In order of arrival (parents before children).
  std::vector<const MempoolEntry*> Entries() const;
  std::vector<TxId> Children(const TxId& txid) const;
  size_t Size() const { return entries_.size(); }
  size_t TotalVsize() const;
  int64_t TotalFee() const;
  // Bumped by every addition and removal, like Core's mempool sequence.
  uint64_t sequence() const { return sequence_; }
  uint64_t NextSequence() { return ++sequence_; }

 private:
  std::unordered_map<TxId, std::unique_ptr<MempoolEntry>, HashHasher> entries_;
  std::vector<TxId> arrival_order_;
  // Outpoint -> spending mempool tx.
  std::map<Outpoint, TxId> spends_;
  uint64_t sequence_ = 0;
  chain::TxFormat format_;

  // Removes one entry (present) and its spends; bumps the sequence.
  void Erase(const TxId& txid);
  // Recomputes each entry's in-mempool parents (they change when parents
  // are mined, or return from disconnected blocks).
  void RefreshDepends();
};

}  // namespace electrum::simnode

#endif  // ELECTRUM_TOOLS_SIMNODE_MEMPOOL_H_
