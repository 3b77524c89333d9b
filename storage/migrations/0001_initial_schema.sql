-- Schema version 1: the chain index and the mempool mirror, after the data
-- model in ARCHITECTURE.md. Every 32-byte hash is stored in serialization byte
-- order. tx_num is a transaction's global position in the chain (height,
-- then position in block), so "everything from a fork point on" is a range.

-- The chain the index follows.
CREATE TABLE blocks (
  height       integer PRIMARY KEY CHECK (height >= 0),
  hash         bytea   NOT NULL UNIQUE CHECK (octet_length(hash) = 32),
  -- 80 bytes; AuxPoW coins store the base header only.
  header       bytea   NOT NULL CHECK (octet_length(header) = 80),
  tx_count     integer NOT NULL CHECK (tx_count > 0),
  first_tx_num bigint  NOT NULL UNIQUE CHECK (first_tx_num >= 0)
);

-- The block the index has reached. One row; it moves in the same transaction
-- as the rows of the blocks it covers, so a crash never leaves it ahead.
CREATE TABLE chain_tip (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  height    integer NOT NULL CHECK (height >= 0),
  hash      bytea   NOT NULL CHECK (octet_length(hash) = 32)
);

CREATE TABLE txs (
  tx_num bigint  PRIMARY KEY CHECK (tx_num >= 0),
  txid   bytea   NOT NULL CHECK (octet_length(txid) = 32),
  height integer NOT NULL CHECK (height >= 0)
);
-- Not unique: Bitcoin mainnet has two duplicated coinbase txids (blocks
-- 91842 and 91880, before BIP 30).
CREATE INDEX txs_by_txid ON txs (txid);

CREATE TABLE outputs (
  tx_num       bigint  NOT NULL,
  vout         integer NOT NULL CHECK (vout >= 0),
  scripthash   bytea   NOT NULL CHECK (octet_length(scripthash) = 32),
  value        bigint  NOT NULL CHECK (value >= 0),
  -- The confirmed transaction spending this output, if any.
  spent_tx_num bigint  CHECK (spent_tx_num > tx_num),
  PRIMARY KEY (tx_num, vout)
);
-- Balance and listunspent read unspent outputs by script hash.
CREATE INDEX outputs_unspent_by_scripthash ON outputs (scripthash) WHERE spent_tx_num IS NULL;
-- A reorg un-spends outputs spent from the fork point on.
CREATE INDEX outputs_by_spent_tx_num ON outputs (spent_tx_num) WHERE spent_tx_num IS NOT NULL;

-- Every confirmed transaction that funds or spends a script hash. The key
-- leads with scripthash so the table can later be distributed by it.
CREATE TABLE history (
  scripthash bytea  NOT NULL CHECK (octet_length(scripthash) = 32),
  tx_num     bigint NOT NULL,
  PRIMARY KEY (scripthash, tx_num)
);
-- Rows arrive in tx_num order, so a BRIN index serves the reorg's range
-- delete at a tiny fraction of a B-tree's size.
CREATE INDEX history_by_tx_num ON history USING brin (tx_num);

-- The mempool mirror. `seq` numbers every applied change; readers ask for
-- what changed after the sequence number they have seen.
CREATE TABLE mempool_state (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  seq       bigint  NOT NULL CHECK (seq >= 0)
);
INSERT INTO mempool_state (seq) VALUES (0);

CREATE TABLE mempool_txs (
  txid                   bytea   PRIMARY KEY CHECK (octet_length(txid) = 32),
  fee                    bigint  NOT NULL CHECK (fee >= 0),
  vsize                  integer NOT NULL CHECK (vsize > 0),
  -- Electrum reports height -1 for such transactions, 0 otherwise.
  has_unconfirmed_inputs boolean NOT NULL,
  added_seq              bigint  NOT NULL
);

CREATE TABLE mempool_outputs (
  txid       bytea   NOT NULL REFERENCES mempool_txs (txid) ON DELETE CASCADE,
  vout       integer NOT NULL CHECK (vout >= 0),
  scripthash bytea   NOT NULL CHECK (octet_length(scripthash) = 32),
  value      bigint  NOT NULL CHECK (value >= 0),
  PRIMARY KEY (txid, vout)
);
CREATE INDEX mempool_outputs_by_scripthash ON mempool_outputs (scripthash);

-- Outputs (confirmed or in the mempool) spent by mempool transactions.
CREATE TABLE mempool_spends (
  prev_txid     bytea   NOT NULL CHECK (octet_length(prev_txid) = 32),
  prev_vout     integer NOT NULL CHECK (prev_vout >= 0),
  spending_txid bytea   NOT NULL REFERENCES mempool_txs (txid) ON DELETE CASCADE,
  scripthash    bytea   NOT NULL CHECK (octet_length(scripthash) = 32),
  value         bigint  NOT NULL CHECK (value >= 0),
  PRIMARY KEY (prev_txid, prev_vout)
);
CREATE INDEX mempool_spends_by_spending_txid ON mempool_spends (spending_txid);

CREATE TABLE mempool_history (
  scripthash bytea NOT NULL CHECK (octet_length(scripthash) = 32),
  txid       bytea NOT NULL REFERENCES mempool_txs (txid) ON DELETE CASCADE,
  PRIMARY KEY (scripthash, txid)
);
CREATE INDEX mempool_history_by_txid ON mempool_history (txid);

-- Script hashes whose mempool history changed at each sequence number.
CREATE TABLE mempool_changes (
  seq        bigint NOT NULL,
  scripthash bytea  NOT NULL CHECK (octet_length(scripthash) = 32),
  PRIMARY KEY (seq, scripthash)
);
