// Reads of one script hash's history, balance and unspent outputs. Each is
// a single (prepared) statement, so its confirmed and mempool parts come
// from one snapshot (spec §4.3) without a transaction around it; a history
// with entries in history_ranges takes a second statement for their txids,
// checked to have seen the same confirmed index (range_txids.h). Hashes
// are in serialization byte order.
#ifndef ELECTRUM_STORAGE_ADDRESS_INDEX_ADDRESS_QUERIES_H_
#define ELECTRUM_STORAGE_ADDRESS_INDEX_ADDRESS_QUERIES_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "common/chain/hash_types.h"
#include "common/crypto/sha256.h"

namespace pqxx {
class transaction_base;
}  // namespace pqxx

namespace electrum::storage {

// The session setting these statements are written for: each is a few
// index lookups whose plan never depends on the values, and planning every
// call cost four times the execution.
inline constexpr char kGenericPlansSetting[] = "SET plan_cache_mode = force_generic_plan";
// And no JIT: the generic plan of a batched statement guesses 1,000 script
// hashes, which passes jit_above_cost, and compiling it took ~10 ms on every
// call for a read that takes a fraction of one.
inline constexpr char kNoJitSetting[] = "SET jit = off";

struct HistoryItem {
  chain::TxId txid;
  // > 0 confirmed; 0 mempool with confirmed inputs; -1 with unconfirmed ones.
  int32_t height = 0;
  // Mempool entries only.
  uint64_t fee = 0;
};

// The confirmed part of a history, kept for long histories so that after a
// block only the new rows are read (confirmed history is append-only until
// a reorg).
struct ConfirmedPrefix {
  std::vector<HistoryItem> items;  // chain order
  int64_t last_tx_num = -1;        // of items.back(); -1 when empty
};

struct HistoryWithPrefix {
  // As ReadHistory returns it; without mempool entries, `confirmed`'s
  // items themselves (a long history is not kept twice).
  std::shared_ptr<const std::vector<HistoryItem>> history;
  std::shared_ptr<const ConfirmedPrefix> confirmed;
};

// Confirmed entries in chain order, then mempool entries in the spec's
// canonical order (0 before -1, then txid display hex ascending). A tx in
// both (just mined) is reported once, confirmed. RESOURCE_EXHAUSTED when
// there are more than `max_entries`.
absl::StatusOr<HistoryWithPrefix> ReadHistory(pqxx::transaction_base& transaction,
                                              const chain::ScriptHash& scripthash,
                                              size_t max_entries);

// The same history read as `prefix` plus what follows it, in one
// statement (one snapshot). nullopt when the prefix's last transaction is
// no longer in the index at its place (a reorg): read it in full then.
absl::StatusOr<std::optional<HistoryWithPrefix>> ExtendHistory(
    pqxx::transaction_base& transaction, const chain::ScriptHash& scripthash,
    std::shared_ptr<const ConfirmedPrefix> prefix, size_t max_entries);

// ReadHistory for many script hashes in one statement (one entry per
// script hash, in order; RESOURCE_EXHAUSTED entries for those too large).
// For Watch, where a block can change thousands of statuses at once.
absl::StatusOr<std::vector<absl::StatusOr<HistoryWithPrefix>>> ReadHistories(
    pqxx::transaction_base& transaction, const std::vector<chain::ScriptHash>& scripthashes,
    size_t max_entries);

// Mempool entries only, in canonical order.
absl::StatusOr<std::vector<HistoryItem>> ReadMempoolHistory(pqxx::transaction_base& transaction,
                                                            const chain::ScriptHash& scripthash);

// Electrum's status of a history (nullopt for an empty one).
std::optional<Sha256Digest> StatusOf(const std::vector<HistoryItem>& history);

struct Balance {
  uint64_t confirmed = 0;
  int64_t unconfirmed = 0;
};
// Balances of script hashes in their order, one statement.
absl::StatusOr<std::vector<Balance>> ReadBalances(
    pqxx::transaction_base& transaction, const std::vector<chain::ScriptHash>& scripthashes);

struct Unspent {
  chain::TxId txid;
  uint32_t vout = 0;
  int32_t height = 0;  // 0 for mempool outputs
  uint64_t value = 0;
};
// Unspent outputs of script hashes in their order, one statement: confirmed
// first in chain order, then mempool outputs; anything a mempool
// transaction spends is left out. Each RESOURCE_EXHAUSTED on its own beyond
// `max_entries`.
absl::StatusOr<std::vector<absl::StatusOr<std::vector<Unspent>>>> ReadUnspents(
    pqxx::transaction_base& transaction, const std::vector<chain::ScriptHash>& scripthashes,
    size_t max_entries);

// Script hashes with history rows from `first_tx_num` on (rows written
// block by block hold one block each): what the blocks from there changed.
std::vector<chain::ScriptHash> ReadScriptHashesIndexedFrom(pqxx::transaction_base& transaction,
                                                           int64_t first_tx_num);

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_ADDRESS_INDEX_ADDRESS_QUERIES_H_
