#include "storage/chain_index/block_writer.h"

#include "absl/strings/str_cat.h"
#include "common/chain/name_index.h"
#include "common/crypto/hex.h"
#include "common/status/status_macros.h"
#include "pqxx/pqxx"
#include "storage/chain_index/packed_txids.h"
#include "storage/chain_index/tip_row.h"
#include "storage/chain_index/undo_window.h"
#include "storage/pg/pg_status.h"

namespace electrum::storage {
namespace {

pqxx::binarystring Binary(chain::ByteSpan bytes) {
  return pqxx::binarystring(bytes.data(), bytes.size());
}

struct AbortIndexing {
  absl::Status status;
};

// Columns of one block's rows, sent as PostgreSQL array literals so a block
// costs a handful of statements however many transactions it has. Hashes go
// as hex text and are decoded by the server.
class ArrayColumn {
 public:
  void Add(int64_t value) { Append(std::to_string(value)); }
  void AddHex(chain::ByteSpan bytes) { Append(ToHex(bytes)); }
  std::string Literal() const { return "{" + text_ + "}"; }
  bool empty() const { return text_.empty(); }

 private:
  void Append(const std::string& element) {
    if (!text_.empty()) text_ += ',';
    text_ += element;
  }
  std::string text_;
};

struct BlockRows {
  ArrayColumn tx_num, txid, tx_height;
  ArrayColumn out_tx_num, out_vout, out_scripthash, out_value, out_txid, out_height;
  ArrayColumn spend_txid, spend_vout, spend_tx_num;
  size_t spend_count = 0;
  // Name-index coins: history entries under a name's script hash.
  ArrayColumn name_scripthash, name_tx_num;
};

// Appends one block's rows.
void CollectRows(const chain::Block& block, int64_t first_tx_num, int32_t height,
                 const chain::TxFormat& format, BlockRows& rows) {
  for (size_t t = 0; t < block.transactions.size(); ++t) {
    const chain::Transaction& tx = block.transactions[t];
    const int64_t tx_num = first_tx_num + static_cast<int64_t>(t);
    rows.tx_num.Add(tx_num);
    rows.txid.AddHex(tx.txid.span());
    rows.tx_height.Add(height);
    // The genesis coinbase can never be spent; Electrum servers leave its
    // output out of every history.
    if (height == 0) continue;
    if (!tx.IsCoinbase()) {
      for (const chain::TxInput& input : tx.inputs) {
        rows.spend_txid.AddHex(input.prev_txid.span());
        rows.spend_vout.Add(input.prev_index);
        rows.spend_tx_num.Add(tx_num);
        ++rows.spend_count;
      }
    }
    for (uint32_t vout = 0; vout < tx.outputs.size(); ++vout) {
      rows.out_tx_num.Add(tx_num);
      rows.out_vout.Add(vout);
      const chain::OutputIndexKeys keys =
          chain::IndexKeysOf(tx.outputs[vout].script_pubkey, format);
      rows.out_scripthash.AddHex(keys.owner.span());
      rows.out_value.Add(tx.outputs[vout].value);
      rows.out_txid.AddHex(tx.txid.span());
      rows.out_height.Add(height);
      if (keys.name) {
        rows.name_scripthash.AddHex(keys.name->span());
        rows.name_tx_num.Add(tx_num);
      }
    }
  }
}

void WriteRows(pqxx::work& transaction, const BlockRows& rows, const std::string& what) {
  transaction.exec_params(
      "INSERT INTO recent_txids (tx_num, txid) "
      "SELECT n, decode(h, 'hex') FROM unnest($1::bigint[], $2::text[]) AS r(n, h)",
      rows.tx_num.Literal(), rows.txid.Literal());
  if (!rows.out_tx_num.empty()) {
    // A duplicated txid (before BIP 30) replaces the earlier output.
    transaction.exec_params(
        "INSERT INTO utxos (tx_num, value, height, vout, txid, scripthash) "
        "SELECT n, a, b, v, decode(t, 'hex'), decode(s, 'hex') "
        "FROM unnest($1::bigint[], $2::bigint[], $3::int[], $4::int[], $5::text[], $6::text[]) "
        "  AS r(n, a, b, v, t, s) "
        "ON CONFLICT (txid, vout) DO UPDATE SET tx_num = EXCLUDED.tx_num, value = EXCLUDED.value, "
        "  height = EXCLUDED.height, scripthash = EXCLUDED.scripthash",
        rows.out_tx_num.Literal(), rows.out_value.Literal(), rows.out_height.Literal(),
        rows.out_vout.Literal(), rows.out_txid.Literal(), rows.out_scripthash.Literal());
  }
  // Outputs created earlier in the same batch are already inserted, so
  // in-batch spends resolve too. A spent output leaves utxos for spent_undo,
  // where a reorg finds it again. History gets a row per script and block:
  // the spent outputs' owners, the outputs' owners and, on name-index coins,
  // the names they carry; txids and heights come from the batch's own.
  pqxx::result spent = transaction.exec_params(
      "WITH t AS (SELECT n AS tx_num, decode(h, 'hex') AS txid, b AS height "
      "           FROM unnest($8::bigint[], $9::text[], $10::int[]) AS r(n, h, b)), "
      "s AS (SELECT decode(h, 'hex') AS txid, v, n "
      "           FROM unnest($1::text[], $2::int[], $3::bigint[]) AS r(h, v, n)), "
      "spent AS (DELETE FROM utxos o USING s "
      "          WHERE o.txid = s.txid AND o.vout = s.v AND o.tx_num < s.n "
      "          RETURNING o.*, s.n AS spent_tx_num), "
      "undo AS (INSERT INTO spent_undo (spent_tx_num, tx_num, value, height, vout, txid, "
      "                                 scripthash) "
      "         SELECT spent_tx_num, tx_num, value, height, vout, txid, scripthash FROM spent), "
      "touched AS (SELECT scripthash, spent_tx_num AS n FROM spent "
      "            UNION SELECT decode(s, 'hex'), n FROM unnest($4::text[], $5::bigint[]) o(s, n) "
      "            UNION SELECT decode(s, 'hex'), n FROM unnest($6::text[], $7::bigint[]) m(s, n) "
      "), "
      "added AS (INSERT INTO history_keys (first_tx_num, last_tx_num, scripthash, entries) "
      "          SELECT min(e.n), max(e.n), e.scripthash, "
      "                 string_agg(history_keyed_entry(e.n, t.height, t.txid), ''::bytea "
      "                            ORDER BY e.n) "
      "          FROM touched e JOIN t ON t.tx_num = e.n GROUP BY e.scripthash, t.height) "
      "SELECT count(*) FROM spent",
      rows.spend_txid.Literal(), rows.spend_vout.Literal(), rows.spend_tx_num.Literal(),
      rows.out_scripthash.Literal(), rows.out_tx_num.Literal(), rows.name_scripthash.Literal(),
      rows.name_tx_num.Literal(), rows.tx_num.Literal(), rows.txid.Literal(),
      rows.tx_height.Literal());
  const size_t resolved = spent[0][0].as<size_t>();
  if (resolved != rows.spend_count) {
    throw AbortIndexing{
        absl::DataLossError(absl::StrCat(what, " spends ", rows.spend_count, " outputs but only ",
                                         resolved, " are in the index unspent"))};
  }
}

// Removes the history entries from `first_removed` on: whole rows of the
// removed blocks, and the tails of the packed rows reaching into them.
void RollBackHistory(pqxx::work& transaction, int64_t first_removed) {
  transaction.exec_params("DELETE FROM history_keys WHERE first_tx_num >= $1", first_removed);
  // What is left of a row reaching into them is never empty: its first
  // entry comes before them. Its last tx_num is its last entry's.
  transaction.exec_params(
      "WITH cut AS (SELECT ctid, history_keyed_before(entries, $1) AS kept FROM history_keys "
      "             WHERE last_tx_num >= $1) "
      "UPDATE history_keys k SET entries = cut.kept, "
      "  last_tx_num = history_uint(cut.kept, octet_length(cut.kept) - 41, 5) "
      "FROM cut WHERE k.ctid = cut.ctid",
      first_removed);
  // Range rows hold entries in key order: some may hold nothing earlier.
  transaction.exec_params(
      "WITH cut AS (SELECT ctid, history_range_before(entries, $1) AS kept FROM history_ranges "
      "             WHERE last_tx_num >= $1), "
      "gone AS (DELETE FROM history_ranges r USING cut "
      "         WHERE r.ctid = cut.ctid AND cut.kept IS NULL) "
      "UPDATE history_ranges r SET entries = cut.kept, "
      "  last_tx_num = (SELECT max(e.tx_num) FROM history_range_entries(cut.kept) e) "
      "FROM cut WHERE r.ctid = cut.ctid AND cut.kept IS NOT NULL",
      first_removed);
}

}  // namespace

absl::StatusOr<std::optional<IndexTip>> ReadIndexTip(pqxx::connection_base& connection) {
  return RunGuarded("reading the index tip", [&]() -> absl::StatusOr<std::optional<IndexTip>> {
    pqxx::work transaction(connection);
    return ReadTip(transaction);
  });
}

absl::StatusOr<std::optional<chain::BlockHash>> ReadIndexedBlockHash(
    pqxx::connection_base& connection, int32_t height) {
  return RunGuarded(
      "reading an indexed block hash", [&]() -> absl::StatusOr<std::optional<chain::BlockHash>> {
        pqxx::work transaction(connection);
        const std::vector<StoredBlockHash> block = ReadBlockHashes(transaction, height, height);
        if (block.empty()) return std::optional<chain::BlockHash>();
        return std::optional<chain::BlockHash>(block[0].hash);
      });
}

absl::Status IndexBlock(pqxx::connection_base& connection, const BlockToIndex& block) {
  return IndexBlocks(connection, std::span<const BlockToIndex>(&block, 1), {});
}

absl::Status IndexBlocks(pqxx::connection_base& connection, std::span<const BlockToIndex> blocks,
                         const IndexOptions& options) {
  if (blocks.empty()) return absl::OkStatus();
  for (size_t i = 1; i < blocks.size(); ++i) {
    if (blocks[i].height != blocks[i - 1].height + 1 ||
        blocks[i].block->header.prev_hash != blocks[i - 1].hash) {
      return absl::InvalidArgumentError(absl::StrCat("block ", blocks[i].height,
                                                     " does not follow block ",
                                                     blocks[i - 1].height, " in the batch"));
    }
  }
  const BlockToIndex& first = blocks.front();
  const BlockToIndex& last = blocks.back();
  const std::string what = blocks.size() == 1
                               ? absl::StrCat("block ", first.height)
                               : absl::StrCat("blocks ", first.height, "-", last.height);
  return RunGuarded("indexing " + what, [&]() -> absl::Status {
    pqxx::work transaction(connection);
    if (options.relaxed_commit) {
      // Far behind the tip a crash may lose the last commits, never
      // consistency: the tip row moves with its rows, and ingest resumes.
      transaction.exec("SET LOCAL synchronous_commit = off");
    }
    RETURN_IF_ERROR(
        LockTipForExtension(transaction, first.height, first.block->header.prev_hash, first.hash));
    int64_t next_tx_num = NextTxNum(transaction);
    BlockRows rows;
    for (const BlockToIndex& block : blocks) {
      const auto& transactions = block.block->transactions;
      transaction.exec_params(
          "INSERT INTO blocks (height, hash, header, tx_count, first_tx_num, pow_data) "
          "VALUES ($1, $2, $3, $4, $5, NULLIF($6, ''::bytea))",
          block.height, Binary(block.hash.span()), Binary(block.block->header.raw),
          static_cast<int64_t>(transactions.size()), next_tx_num,
          Binary(chain::PowData(*block.block)));
      const std::vector<uint8_t> txids = PackedTxids(*block.block);
      transaction.exec_params(
          "INSERT INTO block_txids (first_tx_num, height, txids) VALUES ($1, $2, $3)", next_tx_num,
          block.height, pqxx::binarystring(txids.data(), txids.size()));
      CollectRows(*block.block, next_tx_num, block.height, options.tx_format, rows);
      next_tx_num += static_cast<int64_t>(transactions.size());
    }
    try {
      WriteRows(transaction, rows, what);
    } catch (const AbortIndexing& abort) {
      return abort.status;  // the transaction rolls back unwritten
    }
    MoveTip(transaction, last.height, last.hash);
    ShrinkUndoWindow(transaction, last.height, options.undo_depth);
    transaction.commit();
    return absl::OkStatus();
  });
}

absl::Status RollbackTo(pqxx::connection_base& connection, int32_t fork_height) {
  return RunGuarded(absl::StrCat("rolling back to height ", fork_height), [&]() -> absl::Status {
    pqxx::work transaction(connection);
    pqxx::result fork = transaction.exec_params(
        "SELECT hash, first_tx_num + tx_count FROM blocks WHERE height = $1", fork_height);
    if (fork.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot roll back to height ", fork_height, ": not in the index"));
    }
    const int32_t undo_from = ReadUndoFromHeight(transaction);
    if (fork_height + 1 < undo_from) {
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot roll back to height ", fork_height, ": the spends of blocks below ", undo_from,
          " are no longer kept (--max_reorg_depth); reindex into an empty database"));
    }
    const int64_t first_removed = fork[0][1].as<int64_t>();
    RollBackHistory(transaction, first_removed);
    transaction.exec_params("DELETE FROM utxos WHERE tx_num >= $1", first_removed);
    transaction.exec_params(
        "WITH back AS (DELETE FROM spent_undo WHERE spent_tx_num >= $1 RETURNING *) "
        "INSERT INTO utxos (tx_num, value, height, vout, txid, scripthash) "
        "SELECT tx_num, value, height, vout, txid, scripthash FROM back WHERE tx_num < $1",
        first_removed);
    transaction.exec_params("DELETE FROM recent_txids WHERE tx_num >= $1", first_removed);
    transaction.exec_params("DELETE FROM block_txids WHERE first_tx_num >= $1", first_removed);
    // A bulk load in progress keeps some rows in staging tables.
    transaction.exec_params("DELETE FROM bulk_txids WHERE tx_num >= $1", first_removed);
    transaction.exec_params("DELETE FROM bulk_spends WHERE spent_tx_num >= $1", first_removed);
    transaction.exec_params("DELETE FROM bulk_outputs WHERE tx_num >= $1", first_removed);
    transaction.exec_params("DELETE FROM bulk_history WHERE tx_num >= $1", first_removed);
    transaction.exec_params("DELETE FROM bulk_spilled_spends WHERE spent_tx_num >= $1",
                            first_removed);
    transaction.exec_params("DELETE FROM blocks WHERE height > $1", fork_height);
    MoveTip(transaction, fork_height, HashFromField<chain::BlockHash>(fork[0][0]));
    transaction.commit();
    return absl::OkStatus();
  });
}

}  // namespace electrum::storage
