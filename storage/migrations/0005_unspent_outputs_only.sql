-- Schema version 5: the index keeps unspent outputs only. `outputs` held
-- every output ever created with its spender (about 213 bytes per row with
-- its indexes, several rows per transaction), although balance, listunspent
-- and spend resolution only ever read the unspent ones. Spent outputs are
-- now deleted, and kept as undo rows only while a reorg could still bring
-- them back (--max_reorg_depth blocks). Existing data is converted here.

-- Outputs not spent by any confirmed transaction. An output carries its
-- transaction's txid and height, so spends resolve and listunspent answers
-- without a txs lookup. Key (txid, vout): on Bitcoin's two duplicated
-- coinbase txids (before BIP 30) the later output replaces the earlier one,
-- as in Bitcoin Core.
CREATE TABLE utxos (
  tx_num     bigint  NOT NULL CHECK (tx_num >= 0),
  value      bigint  NOT NULL CHECK (value >= 0),
  height     integer NOT NULL CHECK (height >= 0),
  vout       integer NOT NULL CHECK (vout >= 0),
  txid       bytea   NOT NULL CHECK (octet_length(txid) = 32),
  scripthash bytea   NOT NULL CHECK (octet_length(scripthash) = 32),
  PRIMARY KEY (txid, vout)
);
-- Balance and listunspent.
CREATE INDEX utxos_by_scripthash ON utxos (scripthash);
-- A reorg deletes the outputs created from the fork point on; rows arrive
-- in tx_num order, which BRIN serves at a tiny size.
CREATE INDEX utxos_by_tx_num ON utxos USING brin (tx_num);

-- Outputs spent by the last blocks, restored into utxos when a reorg removes
-- their spender.
CREATE TABLE spent_undo (
  spent_tx_num bigint  NOT NULL,
  tx_num       bigint  NOT NULL,
  value        bigint  NOT NULL,
  height       integer NOT NULL,
  vout         integer NOT NULL,
  txid         bytea   NOT NULL,
  scripthash   bytea   NOT NULL,
  CHECK (spent_tx_num > tx_num)
);
CREATE INDEX spent_undo_by_spent_tx_num ON spent_undo (spent_tx_num);

-- The lowest height whose blocks' spends can still be undone (kept in
-- spent_undo, or in bulk_spends during a bulk load). A reorg to below it
-- needs a reindex.
CREATE TABLE undo_window (
  singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  from_height integer NOT NULL CHECK (from_height >= 0)
);

-- The conversion. The undo window starts 200 blocks below the tip (the
-- default --max_reorg_depth): a deeper reorg right after the upgrade is
-- refused with a reindex message rather than applied wrongly.
INSERT INTO undo_window (from_height)
SELECT greatest(0, coalesce((SELECT height FROM chain_tip), 0) - 199);

INSERT INTO utxos (tx_num, value, height, vout, txid, scripthash)
SELECT o.tx_num, o.value, t.height, o.vout, t.txid, o.scripthash
FROM outputs o JOIN txs t ON t.tx_num = o.tx_num
WHERE o.spent_tx_num IS NULL;

INSERT INTO spent_undo (spent_tx_num, tx_num, value, height, vout, txid, scripthash)
SELECT o.spent_tx_num, o.tx_num, o.value, t.height, o.vout, t.txid, o.scripthash
FROM outputs o JOIN txs t ON t.tx_num = o.tx_num
WHERE o.spent_tx_num >= coalesce((SELECT b.first_tx_num FROM blocks b, undo_window w
                                  WHERE b.height = w.from_height), 0);

-- A bulk load in progress keeps its staging rows (merged into utxos when it
-- finishes); only its record of the outputs table's dropped keys goes.
DELETE FROM bulk_dropped_indexes WHERE table_name = 'outputs';
INSERT INTO bulk_dropped_indexes (table_name, name, definition, position)
SELECT '', 'bulk load marker', '', 2
WHERE NOT EXISTS (SELECT 1 FROM bulk_dropped_indexes)
  AND (EXISTS (SELECT 1 FROM bulk_outputs) OR EXISTS (SELECT 1 FROM bulk_spends));
DROP TABLE outputs;
