#include "services/mempool/mempool_mirror.h"

#include <algorithm>
#include <set>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/chain/electrum_hashes.h"
#include "common/chain/name_index.h"
#include "common/crypto/hex.h"
#include "common/status/status_macros.h"
#include "pqxx/pqxx"
#include "storage/mempool_index/mempool_tables.h"
#include "storage/pg/pg_status.h"

namespace electrum::mempool {
namespace {

using storage::OutPoint;
using storage::SpentOutput;

struct NewTx {
  chain::TxId txid;
  chain::Bytes raw;
  chain::Transaction tx;
};

// The rows of one database transaction.
struct Batch {
  storage::MempoolAdditions rows;
  size_t added = 0;
};

template <typename Read>
auto ReadMirror(pqxx::connection_base& connection, const char* what, Read read)
    -> absl::StatusOr<decltype(read(std::declval<pqxx::transaction_base&>()))> {
  using Result = decltype(read(std::declval<pqxx::transaction_base&>()));
  return storage::RunGuarded(what, [&]() -> absl::StatusOr<Result> {
    pqxx::read_transaction transaction(connection);
    return read(transaction);
  });
}

// Adds `item` (whose inputs spend `spent`) to `batch`; its outputs become
// spendable by later transactions of the pass.
void AddTransaction(const NewTx& item, const std::vector<SpentOutput>& spent,
                    chain::TxFormat tx_format, Batch& batch,
                    absl::flat_hash_map<OutPoint, SpentOutput>& spendable) {
  int64_t in = 0, out = 0;
  bool unconfirmed_inputs = false;
  for (const SpentOutput& prev : spent) {
    in += prev.value;
    unconfirmed_inputs |= prev.in_mempool;
  }
  for (const chain::TxOutput& output : item.tx.outputs) out += output.value;
  batch.rows.AddTx(item.txid, std::max<int64_t>(0, in - out),
                   static_cast<int32_t>(item.tx.VirtualSize()), unconfirmed_inputs);
  std::set<chain::ScriptHash> touched;
  for (size_t i = 0; i < item.tx.inputs.size(); ++i) {
    const chain::TxInput& input = item.tx.inputs[i];
    batch.rows.AddSpend({input.prev_txid, input.prev_index}, item.txid, spent[i].scripthash,
                        spent[i].value);
    touched.insert(spent[i].scripthash);
  }
  for (uint32_t vout = 0; vout < item.tx.outputs.size(); ++vout) {
    const chain::OutputIndexKeys keys =
        chain::IndexKeysOf(item.tx.outputs[vout].script_pubkey, tx_format);
    if (keys.name) touched.insert(*keys.name);
    batch.rows.AddOutput(item.txid, vout, keys.owner, item.tx.outputs[vout].value);
    spendable[OutPoint{item.txid, vout}] =
        SpentOutput{keys.owner, item.tx.outputs[vout].value, true};
    touched.insert(keys.owner);
  }
  for (const chain::ScriptHash& scripthash : touched) batch.rows.AddHistory(scripthash, item.txid);
  ++batch.added;
}

absl::StatusOr<std::vector<NewTx>> FetchTransactions(node::BitcoindClient& node,
                                                     const std::vector<chain::TxId>& txids,
                                                     chain::TxFormat tx_format) {
  std::vector<NewTx> fresh;
  for (const chain::TxId& txid : txids) {
    absl::StatusOr<nlohmann::json> hex =
        node.Call("getrawtransaction", nlohmann::json::array({txid.ToDisplayHex(), false}));
    if (hex.status().code() == absl::StatusCode::kNotFound) continue;  // left meanwhile
    if (!hex.ok()) return hex.status();
    auto raw = FromHex(hex->is_string() ? hex->get<std::string>() : "");
    if (!raw.ok()) return absl::InternalError("node returned a non-hex transaction");
    NewTx item{txid, std::move(*raw), {}};
    auto parsed = chain::ParseTransaction(item.raw, tx_format);
    if (!parsed.ok()) {
      return absl::DataLossError(absl::StrCat("mempool tx ", txid.ToDisplayHex(),
                                              " does not parse: ", parsed.status().message()));
    }
    item.tx = std::move(*parsed);
    fresh.push_back(std::move(item));
  }
  return fresh;
}

// The outputs the new transactions spend that they do not create
// themselves: from the mirror (unconfirmed) or the confirmed index, less
// those of transactions about to be removed.
absl::StatusOr<absl::flat_hash_map<OutPoint, SpentOutput>> ReadInputsOf(
    pqxx::connection_base& connection, const std::vector<NewTx>& fresh,
    const std::vector<chain::TxId>& removed) {
  absl::flat_hash_set<chain::TxId> fresh_ids;
  for (const NewTx& item : fresh) fresh_ids.insert(item.txid);
  std::vector<OutPoint> wanted;
  for (const NewTx& item : fresh) {
    for (const chain::TxInput& input : item.tx.inputs) {
      if (!fresh_ids.contains(input.prev_txid))
        wanted.push_back({input.prev_txid, input.prev_index});
    }
  }
  if (wanted.empty()) return absl::flat_hash_map<OutPoint, SpentOutput>();
  ASSIGN_OR_RETURN(auto spendable, ReadMirror(connection, "reading spent outputs",
                                              [&](pqxx::transaction_base& session) {
                                                return storage::ReadSpentOutputs(session, wanted);
                                              }));
  const absl::flat_hash_set<chain::TxId> removed_set(removed.begin(), removed.end());
  absl::erase_if(spendable, [&](const auto& entry) {
    return entry.second.in_mempool && removed_set.contains(entry.first.txid);
  });
  return spendable;
}

// Parents before children: passes over the waiting transactions until none
// becomes ready; what is left is `deferred`.
std::vector<Batch> OrderIntoBatches(const std::vector<NewTx>& fresh,
                                    const MempoolMirrorOptions& options,
                                    absl::flat_hash_map<OutPoint, SpentOutput>& spendable,
                                    size_t& deferred) {
  std::vector<const NewTx*> pending;
  for (const NewTx& item : fresh) pending.push_back(&item);
  std::vector<Batch> batches(1);
  bool progress = true;
  while (progress && !pending.empty()) {
    progress = false;
    std::vector<const NewTx*> waiting;
    for (const NewTx* item : pending) {
      std::vector<SpentOutput> spent;
      for (const chain::TxInput& input : item->tx.inputs) {
        auto it = spendable.find(OutPoint{input.prev_txid, input.prev_index});
        if (it == spendable.end()) break;
        spent.push_back(it->second);
      }
      if (spent.size() < item->tx.inputs.size()) {
        waiting.push_back(item);
        continue;
      }
      if (batches.back().added >= options.max_additions_per_batch) batches.emplace_back();
      AddTransaction(*item, spent, options.tx_format, batches.back(), spendable);
      progress = true;
    }
    pending.swap(waiting);
  }
  deferred = pending.size();
  return batches;
}

}  // namespace

absl::StatusOr<MirrorResult> MempoolMirror::SyncOnce() {
  ASSIGN_OR_RETURN(nlohmann::json listed, node_.Call("getrawmempool", nlohmann::json::array()));
  absl::flat_hash_set<chain::TxId> on_node;
  for (const auto& entry : listed) {
    if (!entry.is_string()) continue;
    auto txid = chain::TxId::FromDisplayHex(entry.get<std::string>());
    if (txid.ok()) on_node.insert(*txid);
  }
  ASSIGN_OR_RETURN(
      absl::flat_hash_set<chain::TxId> mirrored,
      ReadMirror(connection_, "reading the mempool mirror", [](pqxx::transaction_base& session) {
        return storage::ReadMempoolTxids(session);
      }));
  std::vector<chain::TxId> removed, added;
  for (const chain::TxId& txid : mirrored) {
    if (!on_node.contains(txid)) removed.push_back(txid);
  }
  for (const chain::TxId& txid : on_node) {
    if (!mirrored.contains(txid)) added.push_back(txid);
  }
  ASSIGN_OR_RETURN(MirrorResult result, Apply(added, removed));
  result.mempool_size = mirrored.size() - removed.size() + result.added;
  return result;
}

absl::StatusOr<MirrorResult> MempoolMirror::ApplyChanges(const std::vector<chain::TxId>& added,
                                                         const std::vector<chain::TxId>& removed) {
  // Only what the mirror does not have yet / still has.
  std::vector<chain::TxId> asked = added;
  asked.insert(asked.end(), removed.begin(), removed.end());
  ASSIGN_OR_RETURN(
      absl::flat_hash_set<chain::TxId> present,
      ReadMirror(connection_, "reading the mempool mirror", [&](pqxx::transaction_base& session) {
        return storage::ReadMempoolTxidsAmong(session, asked);
      }));
  // Each txid once: announcements may repeat.
  std::vector<chain::TxId> to_add, to_remove;
  absl::flat_hash_set<chain::TxId> taken;
  for (const chain::TxId& txid : added) {
    if (!present.contains(txid) && taken.insert(txid).second) to_add.push_back(txid);
  }
  for (const chain::TxId& txid : removed) {
    if (present.contains(txid) && taken.insert(txid).second) to_remove.push_back(txid);
  }
  return Apply(to_add, to_remove);
}

absl::StatusOr<MirrorResult> MempoolMirror::Apply(const std::vector<chain::TxId>& added,
                                                  const std::vector<chain::TxId>& removed) {
  ASSIGN_OR_RETURN(std::vector<NewTx> fresh, FetchTransactions(node_, added, options_.tx_format));
  ASSIGN_OR_RETURN(auto spendable, ReadInputsOf(connection_, fresh, removed));
  MirrorResult result;
  std::vector<Batch> batches = OrderIntoBatches(fresh, options_, spendable, result.deferred);
  const std::vector<chain::TxId> none;
  for (size_t b = 0; b < batches.size(); ++b) {
    // Removals go with the first batch. Nothing changed: no new sequence
    // number, no notification.
    const bool first = b == 0;
    if (batches[b].added == 0 && (!first || removed.empty())) continue;
    ASSIGN_OR_RETURN(result.sequence, storage::WriteMempoolChange(connection_, batches[b].rows,
                                                                  first ? removed : none,
                                                                  options_.keep_change_sequences));
    result.added += batches[b].added;
  }
  result.removed = removed.size();
  return result;
}

}  // namespace electrum::mempool
