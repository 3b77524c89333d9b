#include "storage/chain_index/block_writer.h"

#include "absl/strings/str_cat.h"
#include "common/chain/electrum_hashes.h"
#include "pqxx/pqxx"
#include "storage/pg/pg_status.h"

namespace electrum::storage {
namespace {

pqxx::binarystring Binary(chain::ByteSpan bytes) {
  return pqxx::binarystring(bytes.data(), bytes.size());
}

chain::BlockHash HashFrom(const pqxx::field& field) {
  pqxx::binarystring bytes(field);
  std::array<uint8_t, 32> internal{};
  if (bytes.size() == 32) std::copy(bytes.begin(), bytes.end(), internal.begin());
  return chain::BlockHash(internal);
}

struct AbortIndexing {
  absl::Status status;
};

// Next global tx number: right after the tip block's transactions.
int64_t NextTxNum(pqxx::work& transaction) {
  pqxx::result row =
      transaction.exec("SELECT first_tx_num + tx_count FROM blocks ORDER BY height DESC LIMIT 1");
  return row.empty() ? 0 : row[0][0].as<int64_t>();
}

void IndexTransaction(pqxx::work& transaction, const chain::Transaction& tx, int64_t tx_num,
                      int32_t height) {
  transaction.exec_params("INSERT INTO txs (tx_num, txid, height) VALUES ($1, $2, $3)", tx_num,
                          Binary(tx.txid.span()), height);
  // The genesis coinbase can never be spent; Electrum servers leave its
  // output out of every history.
  if (height == 0) return;
  if (!tx.IsCoinbase()) {
    for (const chain::TxInput& input : tx.inputs) {
      // Duplicate txids (BIP 30) can exist: spend the one still unspent.
      pqxx::result spent = transaction.exec_params(
          "UPDATE outputs o SET spent_tx_num = $3 FROM txs t "
          "WHERE t.txid = $1 AND o.tx_num = t.tx_num AND o.vout = $2 "
          "AND o.spent_tx_num IS NULL AND o.tx_num < $3 "
          "RETURNING o.scripthash",
          Binary(input.prev_txid.span()), static_cast<int64_t>(input.prev_index), tx_num);
      if (spent.empty()) {
        throw AbortIndexing{absl::DataLossError(
            absl::StrCat("tx ", tx.txid.ToDisplayHex(), " spends ", input.prev_txid.ToDisplayHex(),
                         ":", input.prev_index, ", which the index does not hold unspent"))};
      }
      transaction.exec_params(
          "INSERT INTO history (scripthash, tx_num) VALUES ($1, $2) ON CONFLICT DO NOTHING",
          pqxx::binarystring(spent[0][0]), tx_num);
    }
  }
  for (uint32_t vout = 0; vout < tx.outputs.size(); ++vout) {
    const chain::TxOutput& output = tx.outputs[vout];
    chain::ScriptHash scripthash = chain::ScriptHashOf(output.script_pubkey);
    transaction.exec_params(
        "INSERT INTO outputs (tx_num, vout, scripthash, value) VALUES ($1, $2, $3, $4)", tx_num,
        static_cast<int64_t>(vout), Binary(scripthash.span()), output.value);
    transaction.exec_params(
        "INSERT INTO history (scripthash, tx_num) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        Binary(scripthash.span()), tx_num);
  }
}

}  // namespace

absl::StatusOr<std::optional<IndexTip>> ReadIndexTip(pqxx::connection_base& connection) {
  return RunGuarded("reading the index tip", [&]() -> absl::StatusOr<std::optional<IndexTip>> {
    pqxx::work transaction(connection);
    pqxx::result row = transaction.exec("SELECT height, hash FROM chain_tip");
    if (row.empty()) return std::optional<IndexTip>();
    return std::optional<IndexTip>(IndexTip{row[0][0].as<int32_t>(), HashFrom(row[0][1])});
  });
}

absl::StatusOr<std::optional<chain::BlockHash>> ReadIndexedBlockHash(
    pqxx::connection_base& connection, int32_t height) {
  return RunGuarded(
      "reading an indexed block hash", [&]() -> absl::StatusOr<std::optional<chain::BlockHash>> {
        pqxx::work transaction(connection);
        pqxx::result row =
            transaction.exec_params("SELECT hash FROM blocks WHERE height = $1", height);
        if (row.empty()) return std::optional<chain::BlockHash>();
        return std::optional<chain::BlockHash>(HashFrom(row[0][0]));
      });
}

absl::Status IndexBlock(pqxx::connection_base& connection, const BlockToIndex& block) {
  const std::string what = absl::StrCat("indexing block ", block.height);
  return RunGuarded(what, [&]() -> absl::Status {
    pqxx::work transaction(connection);
    pqxx::result tip = transaction.exec("SELECT height, hash FROM chain_tip FOR UPDATE");
    const bool extends = tip.empty() ? block.height == 0
                                     : tip[0][0].as<int32_t>() + 1 == block.height &&
                                           HashFrom(tip[0][1]) == block.block->header.prev_hash;
    if (!extends) {
      return absl::FailedPreconditionError(absl::StrCat(
          "block ", block.height, " (", block.hash.ToDisplayHex(), ") does not extend the tip ",
          tip.empty()
              ? std::string("(empty index)")
              : absl::StrCat(tip[0][0].as<int32_t>(), " ", HashFrom(tip[0][1]).ToDisplayHex())));
    }
    const int64_t first_tx_num = NextTxNum(transaction);
    const auto& transactions = block.block->transactions;
    transaction.exec_params(
        "INSERT INTO blocks (height, hash, header, tx_count, first_tx_num) "
        "VALUES ($1, $2, $3, $4, $5)",
        block.height, Binary(block.hash.span()), Binary(block.block->header.raw),
        static_cast<int64_t>(transactions.size()), first_tx_num);
    try {
      for (size_t t = 0; t < transactions.size(); ++t) {
        IndexTransaction(transaction, transactions[t], first_tx_num + static_cast<int64_t>(t),
                         block.height);
      }
    } catch (const AbortIndexing& abort) {
      return abort.status;  // the transaction rolls back unwritten
    }
    transaction.exec_params(
        "INSERT INTO chain_tip (singleton, height, hash) VALUES (true, $1, $2) "
        "ON CONFLICT (singleton) DO UPDATE SET height = EXCLUDED.height, hash = EXCLUDED.hash",
        block.height, Binary(block.hash.span()));
    transaction.exec_params("SELECT pg_notify('electrum_block', $1)",
                            absl::StrCat(block.height, ":", block.hash.ToDisplayHex()));
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
    const int64_t first_removed = fork[0][1].as<int64_t>();
    transaction.exec_params("DELETE FROM history WHERE tx_num >= $1", first_removed);
    transaction.exec_params("UPDATE outputs SET spent_tx_num = NULL WHERE spent_tx_num >= $1",
                            first_removed);
    transaction.exec_params("DELETE FROM outputs WHERE tx_num >= $1", first_removed);
    transaction.exec_params("DELETE FROM txs WHERE tx_num >= $1", first_removed);
    transaction.exec_params("DELETE FROM blocks WHERE height > $1", fork_height);
    transaction.exec_params("UPDATE chain_tip SET height = $1, hash = $2", fork_height,
                            pqxx::binarystring(fork[0][0]));
    transaction.exec_params("SELECT pg_notify('electrum_block', $1)",
                            absl::StrCat(fork_height, ":", HashFrom(fork[0][0]).ToDisplayHex()));
    transaction.commit();
    return absl::OkStatus();
  });
}

}  // namespace electrum::storage
