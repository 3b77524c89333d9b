#include "storage/mempool_index/mempool_tables.h"

#include <string>

#include "common/crypto/hex.h"
#include "common/status/status_macros.h"
#include "pqxx/pqxx"
#include "storage/pg/copy_in.h"
#include "storage/pg/hash_field.h"
#include "storage/pg/pg_status.h"

namespace electrum::storage {
namespace {

// A PostgreSQL text[] literal of hex strings, decoded server-side.
std::string HexArray(const std::vector<chain::TxId>& txids) {
  std::string literal = "{";
  for (const chain::TxId& txid : txids) {
    if (literal.size() > 1) literal += ',';
    literal += ToHex(txid.span());
  }
  return literal + "}";
}

void RemoveTransactions(pqxx::transaction_base& transaction, const std::vector<chain::TxId>& txids,
                        int64_t sequence) {
  const std::string removed = HexArray(txids);
  transaction.exec_params(
      "INSERT INTO mempool_changes (seq, scripthash) "
      "SELECT DISTINCT $1::bigint, h.scripthash FROM mempool_history h "
      "WHERE h.txid IN (SELECT decode(x, 'hex') FROM unnest($2::text[]) AS x) "
      "ON CONFLICT DO NOTHING",
      sequence, removed);
  transaction.exec_params(
      "DELETE FROM mempool_txs WHERE txid IN "
      "(SELECT decode(x, 'hex') FROM unnest($1::text[]) AS x)",
      removed);
}

// Children whose last unconfirmed parent left (mined): -1 becomes 0.
void FlipConfirmedParents(pqxx::transaction_base& transaction, int64_t sequence) {
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
}

}  // namespace

int64_t ReadMempoolSequence(pqxx::transaction_base& session) {
  return session.exec1("SELECT seq FROM mempool_state")[0].as<int64_t>();
}

absl::flat_hash_set<chain::TxId> ReadMempoolTxids(pqxx::transaction_base& session) {
  absl::flat_hash_set<chain::TxId> txids;
  for (const auto& row : session.exec("SELECT txid FROM mempool_txs")) {
    txids.insert(HashFromField<chain::TxId>(row[0]));
  }
  return txids;
}

absl::flat_hash_set<chain::TxId> ReadMempoolTxidsAmong(pqxx::transaction_base& session,
                                                       const std::vector<chain::TxId>& txids) {
  absl::flat_hash_set<chain::TxId> present;
  if (txids.empty()) return present;
  for (const auto& row :
       session.exec_params("SELECT txid FROM mempool_txs WHERE txid IN "
                           "(SELECT decode(x, 'hex') FROM unnest($1::text[]) AS x)",
                           HexArray(txids))) {
    present.insert(HashFromField<chain::TxId>(row[0]));
  }
  return present;
}

absl::flat_hash_map<OutPoint, SpentOutput> ReadSpentOutputs(pqxx::transaction_base& session,
                                                            const std::vector<OutPoint>& wanted) {
  absl::flat_hash_map<OutPoint, SpentOutput> found;
  if (wanted.empty()) return found;
  std::vector<chain::TxId> txids;
  std::string vouts = "{";
  for (const OutPoint& point : wanted) {
    txids.push_back(point.txid);
    if (vouts.size() > 1) vouts += ',';
    vouts += std::to_string(point.vout);
  }
  vouts += "}";
  pqxx::result rows = session.exec_params(
      "WITH q AS (SELECT decode(h, 'hex') AS txid, v FROM unnest($1::text[], $2::int[]) "
      "           AS r(h, v)) "
      "SELECT q.txid, q.v, m.scripthash, m.value, true FROM q "
      "  JOIN mempool_outputs m ON m.txid = q.txid AND m.vout = q.v "
      "UNION ALL "
      "SELECT q.txid, q.v, o.scripthash, o.value, false FROM q "
      "  JOIN utxos o ON o.txid = q.txid AND o.vout = q.v",
      HexArray(txids), vouts);
  for (const auto& row : rows) {
    found.emplace(OutPoint{HashFromField<chain::TxId>(row[0]), row[1].as<uint32_t>()},
                  SpentOutput{HashFromField<chain::ScriptHash>(row[2]), row[3].as<int64_t>(),
                              row[4].as<bool>()});
  }
  return found;
}

std::vector<MempoolFee> ReadMempoolFees(pqxx::transaction_base& session) {
  std::vector<MempoolFee> fees;
  for (const auto& row : session.exec("SELECT fee, vsize FROM mempool_txs")) {
    fees.push_back({row[0].as<uint64_t>(), row[1].as<uint64_t>()});
  }
  return fees;
}

MempoolTotals ReadMempoolTotals(pqxx::transaction_base& session) {
  pqxx::row row = session.exec1(
      "SELECT count(*), coalesce(sum(vsize), 0), (SELECT seq FROM mempool_state) "
      "FROM mempool_txs");
  return {row[0].as<uint64_t>(), row[1].as<uint64_t>(), row[2].as<uint64_t>()};
}

std::vector<chain::ScriptHash> ReadMempoolChangesAfter(pqxx::transaction_base& session,
                                                       int64_t sequence) {
  std::vector<chain::ScriptHash> changed;
  for (const auto& row : session.exec_params(
           "SELECT DISTINCT scripthash FROM mempool_changes WHERE seq > $1", sequence)) {
    changed.push_back(HashFromField<chain::ScriptHash>(row[0]));
  }
  return changed;
}

void MempoolAdditions::AddTx(const chain::TxId& txid, int64_t fee, int32_t vsize,
                             bool unconfirmed_inputs) {
  txs_.push_back({txid, fee, vsize, unconfirmed_inputs});
}

void MempoolAdditions::AddOutput(const chain::TxId& txid, uint32_t vout,
                                 const chain::ScriptHash& scripthash, int64_t value) {
  outputs_.StartRow(4);
  outputs_.AddBytes(txid.span());
  outputs_.AddInt32(static_cast<int32_t>(vout));
  outputs_.AddBytes(scripthash.span());
  outputs_.AddInt64(value);
}

void MempoolAdditions::AddSpend(const OutPoint& spent, const chain::TxId& spender,
                                const chain::ScriptHash& scripthash, int64_t value) {
  spends_.StartRow(5);
  spends_.AddBytes(spent.txid.span());
  spends_.AddInt32(static_cast<int32_t>(spent.vout));
  spends_.AddBytes(spender.span());
  spends_.AddBytes(scripthash.span());
  spends_.AddInt64(value);
}

void MempoolAdditions::AddHistory(const chain::ScriptHash& scripthash, const chain::TxId& txid) {
  history_.StartRow(2);
  history_.AddBytes(scripthash.span());
  history_.AddBytes(txid.span());
  touched_.insert(scripthash);
}

absl::Status MempoolAdditions::CopyChangesInto(pqxx::dbtransaction& transaction,
                                               int64_t sequence) const {
  BinaryCopyBuffer changes;
  for (const chain::ScriptHash& scripthash : touched_) {
    changes.StartRow(2);
    changes.AddInt64(sequence);
    changes.AddBytes(scripthash.span());
  }
  return CopyBinaryInto(transaction, "mempool_changes (seq, scripthash)", changes.Finish());
}

absl::Status MempoolAdditions::CopyRowsInto(pqxx::dbtransaction& transaction, int64_t sequence) {
  BinaryCopyBuffer txs;
  for (const TxRow& row : txs_) {
    txs.StartRow(5);
    txs.AddBytes(row.txid.span());
    txs.AddInt64(row.fee);
    txs.AddInt32(row.vsize);
    txs.AddBool(row.unconfirmed_inputs);
    txs.AddInt64(sequence);
  }
  RETURN_IF_ERROR(CopyBinaryInto(
      transaction, "mempool_txs (txid, fee, vsize, has_unconfirmed_inputs, added_seq)",
      txs.Finish()));
  RETURN_IF_ERROR(CopyBinaryInto(transaction, "mempool_outputs (txid, vout, scripthash, value)",
                                 outputs_.Finish()));
  RETURN_IF_ERROR(CopyBinaryInto(
      transaction, "mempool_spends (prev_txid, prev_vout, spending_txid, scripthash, value)",
      spends_.Finish()));
  return CopyBinaryInto(transaction, "mempool_history (scripthash, txid)", history_.Finish());
}

absl::StatusOr<int64_t> WriteMempoolChange(pqxx::connection_base& connection,
                                           MempoolAdditions& additions,
                                           const std::vector<chain::TxId>& removed,
                                           int64_t keep_sequences) {
  return RunGuarded("updating the mempool mirror", [&]() -> absl::StatusOr<int64_t> {
    pqxx::work transaction(connection);
    const int64_t sequence =
        transaction.exec1("UPDATE mempool_state SET seq = seq + 1 RETURNING seq")[0].as<int64_t>();
    RETURN_IF_ERROR(additions.CopyChangesInto(transaction, sequence));
    if (!removed.empty()) RemoveTransactions(transaction, removed, sequence);
    RETURN_IF_ERROR(additions.CopyRowsInto(transaction, sequence));
    FlipConfirmedParents(transaction, sequence);
    transaction.exec_params("DELETE FROM mempool_changes WHERE seq < $1",
                            sequence - keep_sequences);
    transaction.exec_params("SELECT pg_notify('electrum_mempool', $1)", std::to_string(sequence));
    transaction.commit();
    return sequence;
  });
}

}  // namespace electrum::storage
