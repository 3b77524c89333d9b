#include "services/mempool/mempool_mirror.h"

#include <algorithm>
#include <map>
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
#include "storage/chain_index/unspent_outputs.h"
#include "storage/pg/binary_copy.h"
#include "storage/pg/copy_in.h"
#include "storage/pg/hash_field.h"
#include "storage/pg/pg_status.h"

namespace electrum::mempool {
namespace {

using storage::OutPoint;

struct PrevOut {
  chain::ScriptHash scripthash;
  int64_t value = 0;
  bool in_mempool = false;
};

struct NewTx {
  chain::TxId txid;
  chain::Bytes raw;
  chain::Transaction tx;
};

// A PostgreSQL text[] literal of hex strings, decoded server-side.
std::string HexArray(const std::vector<chain::TxId>& txids) {
  std::string literal = "{";
  for (const chain::TxId& txid : txids) {
    if (literal.size() > 1) literal += ',';
    literal += ToHex(txid.span());
  }
  return literal + "}";
}

absl::StatusOr<absl::flat_hash_set<chain::TxId>> ReadMirrorTxids(
    pqxx::connection_base& connection) {
  return storage::RunGuarded(
      "reading the mempool mirror", [&]() -> absl::StatusOr<absl::flat_hash_set<chain::TxId>> {
        pqxx::read_transaction transaction(connection);
        absl::flat_hash_set<chain::TxId> txids;
        for (const auto& row : transaction.exec("SELECT txid FROM mempool_txs")) {
          txids.insert(storage::HashFromField<chain::TxId>(row[0]));
        }
        return txids;
      });
}

// Which of `txids` the mirror holds.
absl::StatusOr<absl::flat_hash_set<chain::TxId>> ReadMirroredAmong(
    pqxx::connection_base& connection, const std::vector<chain::TxId>& txids) {
  return storage::RunGuarded(
      "reading the mempool mirror", [&]() -> absl::StatusOr<absl::flat_hash_set<chain::TxId>> {
        absl::flat_hash_set<chain::TxId> present;
        if (txids.empty()) return present;
        pqxx::read_transaction transaction(connection);
        for (const auto& row :
             transaction.exec_params("SELECT txid FROM mempool_txs WHERE txid IN "
                                     "(SELECT decode(x, 'hex') FROM unnest($1::text[]) AS x)",
                                     HexArray(txids))) {
          present.insert(storage::HashFromField<chain::TxId>(row[0]));
        }
        return present;
      });
}

// Outputs spent by the new transactions that are not created by them: from
// the mirror (unconfirmed) or the confirmed index.
absl::StatusOr<absl::flat_hash_map<OutPoint, PrevOut>> ReadPrevOuts(
    pqxx::connection_base& connection, const std::vector<OutPoint>& wanted) {
  return storage::RunGuarded(
      "reading spent outputs", [&]() -> absl::StatusOr<absl::flat_hash_map<OutPoint, PrevOut>> {
        absl::flat_hash_map<OutPoint, PrevOut> found;
        if (wanted.empty()) return found;
        std::vector<chain::TxId> txids;
        std::string vouts = "{";
        for (const OutPoint& point : wanted) {
          txids.push_back(point.txid);
          if (vouts.size() > 1) vouts += ',';
          vouts += std::to_string(point.vout);
        }
        vouts += "}";
        pqxx::read_transaction transaction(connection);
        pqxx::result rows = transaction.exec_params(
            "WITH q AS (SELECT decode(h, 'hex') AS txid, v FROM unnest($1::text[], $2::int[]) "
            "           AS r(h, v)) "
            "SELECT q.txid, q.v, m.scripthash, m.value, true FROM q "
            "  JOIN mempool_outputs m ON m.txid = q.txid AND m.vout = q.v "
            "UNION ALL "
            "SELECT q.txid, q.v, o.scripthash, o.value, false FROM q "
            "  JOIN utxos o ON o.txid = q.txid AND o.vout = q.v",
            HexArray(txids), vouts);
        for (const auto& row : rows) {
          found.emplace(
              OutPoint{storage::HashFromField<chain::TxId>(row[0]), row[1].as<uint32_t>()},
              PrevOut{storage::HashFromField<chain::ScriptHash>(row[2]), row[3].as<int64_t>(),
                      row[4].as<bool>()});
        }
        return found;
      });
}

// The rows of one database transaction.
struct TxRow {
  chain::TxId txid;
  int64_t fee = 0;
  int32_t vsize = 0;
  bool unconfirmed_inputs = false;
};

struct Batch {
  std::vector<TxRow> txs;
  storage::BinaryCopyBuffer outputs, spends, history;
  absl::flat_hash_set<chain::ScriptHash> touched;
  size_t added = 0;
};

}  // namespace

absl::StatusOr<MirrorResult> MempoolMirror::SyncOnce() {
  ASSIGN_OR_RETURN(nlohmann::json listed, node_.Call("getrawmempool", nlohmann::json::array()));
  absl::flat_hash_set<chain::TxId> on_node;
  for (const auto& entry : listed) {
    if (!entry.is_string()) continue;
    auto txid = chain::TxId::FromDisplayHex(entry.get<std::string>());
    if (txid.ok()) on_node.insert(*txid);
  }
  ASSIGN_OR_RETURN(absl::flat_hash_set<chain::TxId> mirrored, ReadMirrorTxids(connection_));
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
  ASSIGN_OR_RETURN(absl::flat_hash_set<chain::TxId> present, ReadMirroredAmong(connection_, asked));
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
  MirrorResult result;
  const absl::flat_hash_set<chain::TxId> removed_set(removed.begin(), removed.end());

  // Fetch and parse what is new.
  std::vector<NewTx> fresh;
  for (const chain::TxId& txid : added) {
    absl::StatusOr<nlohmann::json> hex =
        node_.Call("getrawtransaction", nlohmann::json::array({txid.ToDisplayHex(), false}));
    if (hex.status().code() == absl::StatusCode::kNotFound) continue;  // left meanwhile
    if (!hex.ok()) return hex.status();
    auto raw = FromHex(hex->is_string() ? hex->get<std::string>() : "");
    if (!raw.ok()) return absl::InternalError("node returned a non-hex transaction");
    NewTx item{txid, std::move(*raw), {}};
    auto parsed = chain::ParseTransaction(item.raw, options_.tx_format);
    if (!parsed.ok()) {
      return absl::DataLossError(absl::StrCat("mempool tx ", txid.ToDisplayHex(),
                                              " does not parse: ", parsed.status().message()));
    }
    item.tx = std::move(*parsed);
    fresh.push_back(std::move(item));
  }
  // Inputs not created by other new transactions come from the database.
  absl::flat_hash_set<chain::TxId> fresh_ids;
  for (const NewTx& item : fresh) fresh_ids.insert(item.txid);
  std::vector<OutPoint> wanted;
  for (const NewTx& item : fresh) {
    for (const chain::TxInput& input : item.tx.inputs) {
      if (!fresh_ids.contains(input.prev_txid))
        wanted.push_back({input.prev_txid, input.prev_index});
    }
  }
  ASSIGN_OR_RETURN(auto prevouts, ReadPrevOuts(connection_, wanted));
  for (auto it = prevouts.begin(); it != prevouts.end();) {
    // Outputs of transactions about to be removed cannot be spent.
    if (it->second.in_mempool && removed_set.contains(it->first.txid)) {
      prevouts.erase(it++);
    } else {
      ++it;
    }
  }

  // Parents before children: repeat until no transaction becomes ready.
  std::vector<const NewTx*> pending;
  for (const NewTx& item : fresh) pending.push_back(&item);
  std::vector<Batch> batches(1);
  bool progress = true;
  while (progress && !pending.empty()) {
    progress = false;
    std::vector<const NewTx*> waiting;
    for (const NewTx* item : pending) {
      std::vector<PrevOut> spent;
      bool ready = true;
      for (const chain::TxInput& input : item->tx.inputs) {
        auto it = prevouts.find(OutPoint{input.prev_txid, input.prev_index});
        if (it == prevouts.end()) {
          ready = false;
          break;
        }
        spent.push_back(it->second);
      }
      if (!ready) {
        waiting.push_back(item);
        continue;
      }
      int64_t in = 0, out = 0;
      bool unconfirmed_inputs = false;
      for (const PrevOut& prev : spent) {
        in += prev.value;
        unconfirmed_inputs |= prev.in_mempool;
      }
      for (const chain::TxOutput& output : item->tx.outputs) out += output.value;
      if (batches.back().added >= options_.max_additions_per_batch) batches.emplace_back();
      Batch& batch = batches.back();
      batch.txs.push_back({item->txid, std::max<int64_t>(0, in - out),
                           static_cast<int32_t>(item->tx.VirtualSize()), unconfirmed_inputs});
      std::set<chain::ScriptHash> touched;
      for (size_t i = 0; i < item->tx.inputs.size(); ++i) {
        const chain::TxInput& input = item->tx.inputs[i];
        batch.spends.StartRow(5);
        batch.spends.AddBytes(input.prev_txid.span());
        batch.spends.AddInt32(static_cast<int32_t>(input.prev_index));
        batch.spends.AddBytes(item->txid.span());
        batch.spends.AddBytes(spent[i].scripthash.span());
        batch.spends.AddInt64(spent[i].value);
        touched.insert(spent[i].scripthash);
      }
      for (uint32_t vout = 0; vout < item->tx.outputs.size(); ++vout) {
        const chain::OutputIndexKeys keys =
            chain::IndexKeysOf(item->tx.outputs[vout].script_pubkey, options_.tx_format);
        const chain::ScriptHash& scripthash = keys.owner;
        if (keys.name) touched.insert(*keys.name);
        batch.outputs.StartRow(4);
        batch.outputs.AddBytes(item->txid.span());
        batch.outputs.AddInt32(static_cast<int32_t>(vout));
        batch.outputs.AddBytes(scripthash.span());
        batch.outputs.AddInt64(item->tx.outputs[vout].value);
        prevouts[OutPoint{item->txid, vout}] =
            PrevOut{scripthash, item->tx.outputs[vout].value, true};
        touched.insert(scripthash);
      }
      for (const chain::ScriptHash& scripthash : touched) {
        batch.history.StartRow(2);
        batch.history.AddBytes(scripthash.span());
        batch.history.AddBytes(item->txid.span());
        batch.touched.insert(scripthash);
      }
      ++batch.added;
      progress = true;
    }
    pending.swap(waiting);
  }
  result.deferred = pending.size();

  for (size_t b = 0; b < batches.size(); ++b) {
    Batch& batch = batches[b];
    const bool first = b == 0;
    // Nothing changed: no new sequence number, no notification.
    if (batch.added == 0 && (!first || removed.empty())) continue;
    absl::Status written =
        storage::RunGuarded("updating the mempool mirror", [&]() -> absl::Status {
          pqxx::work transaction(connection_);
          const int64_t sequence =
              transaction.exec1("UPDATE mempool_state SET seq = seq + 1 RETURNING seq")[0]
                  .as<int64_t>();
          result.sequence = sequence;
          storage::BinaryCopyBuffer changes;
          for (const chain::ScriptHash& scripthash : batch.touched) {
            changes.StartRow(2);
            changes.AddInt64(sequence);
            changes.AddBytes(scripthash.span());
          }
          RETURN_IF_ERROR(storage::CopyBinaryInto(transaction, "mempool_changes (seq, scripthash)",
                                                  changes.Finish()));
          if (first && !removed.empty()) {
            const std::string removed_array = HexArray(removed);
            transaction.exec_params(
                "INSERT INTO mempool_changes (seq, scripthash) "
                "SELECT DISTINCT $1::bigint, h.scripthash FROM mempool_history h "
                "WHERE h.txid IN (SELECT decode(x, 'hex') FROM unnest($2::text[]) AS x) "
                "ON CONFLICT DO NOTHING",
                sequence, removed_array);
            transaction.exec_params(
                "DELETE FROM mempool_txs WHERE txid IN "
                "(SELECT decode(x, 'hex') FROM unnest($1::text[]) AS x)",
                removed_array);
          }
          storage::BinaryCopyBuffer txs;
          for (const TxRow& row : batch.txs) {
            txs.StartRow(5);
            txs.AddBytes(row.txid.span());
            txs.AddInt64(row.fee);
            txs.AddInt32(row.vsize);
            txs.AddBool(row.unconfirmed_inputs);
            txs.AddInt64(sequence);
          }
          RETURN_IF_ERROR(storage::CopyBinaryInto(
              transaction, "mempool_txs (txid, fee, vsize, has_unconfirmed_inputs, added_seq)",
              txs.Finish()));
          RETURN_IF_ERROR(storage::CopyBinaryInto(transaction,
                                                  "mempool_outputs (txid, vout, scripthash, value)",
                                                  batch.outputs.Finish()));
          RETURN_IF_ERROR(storage::CopyBinaryInto(
              transaction,
              "mempool_spends (prev_txid, prev_vout, spending_txid, scripthash, value)",
              batch.spends.Finish()));
          RETURN_IF_ERROR(storage::CopyBinaryInto(transaction, "mempool_history (scripthash, txid)",
                                                  batch.history.Finish()));
          // Children whose last unconfirmed parent left (mined): -1 becomes 0.
          transaction.exec_params(
              "WITH flipped AS ("
              "  UPDATE mempool_txs t SET has_unconfirmed_inputs = false "
              "  WHERE t.has_unconfirmed_inputs AND NOT EXISTS ("
              "    SELECT 1 FROM mempool_spends s JOIN mempool_txs p ON p.txid = s.prev_txid "
              "    WHERE s.spending_txid = t.txid) "
              "  RETURNING t.txid) "
              "INSERT INTO mempool_changes (seq, scripthash) "
              "SELECT DISTINCT $1::bigint, h.scripthash FROM mempool_history h "
              "JOIN flipped f ON f.txid = h.txid ON CONFLICT DO NOTHING",
              sequence);
          transaction.exec_params("DELETE FROM mempool_changes WHERE seq < $1",
                                  sequence - options_.keep_change_sequences);
          transaction.exec_params("SELECT pg_notify('electrum_mempool', $1)",
                                  std::to_string(sequence));
          transaction.commit();
          return absl::OkStatus();
        });
    RETURN_IF_ERROR(written);
    result.added += batch.added;
  }
  result.removed = removed.size();
  return result;
}

}  // namespace electrum::mempool
