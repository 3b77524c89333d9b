-- Schema version 8: txids packed. `txs` kept a row per transaction (tx_num,
-- txid, height) with a primary key and a hash index on txid: about 126
-- bytes per transaction, half of the whole index. Its two uses are now
-- served separately:
--
--   block_txids   tx_num -> txid and height: a row per block with the
--                 block's txids concatenated in block order (32 bytes per
--                 transaction, kept out of line and uncompressed so one
--                 txid is read without the rest).
--   txid_ranges   txid -> tx_num, for what a bulk load indexed: every
--                 transaction as 11 bytes (the txid's first 6 bytes, then
--                 the tx_num in 5 big-endian bytes), sorted and cut into
--                 rows of at most 128 entries that partition the key space,
--                 as history_ranges does. A 6-byte prefix can match other
--                 transactions: every candidate is checked against
--                 block_txids, so a false match costs a lookup, never a
--                 wrong answer, and entries a reorg made stale are ignored.
--   recent_txids  txid -> tx_num for what was indexed block by block since
--                 (a row each); the next bulk load packs them into ranges.
--
-- During a bulk load its transactions are staged in bulk_txids (tx_num,
-- height, txid, no index), which the finish joins to resolve outputs and
-- spilled spends and then packs into txid_ranges.

CREATE TABLE block_txids (
  first_tx_num bigint  PRIMARY KEY CHECK (first_tx_num >= 0),
  height       integer NOT NULL CHECK (height >= 0),
  txids        bytea   NOT NULL CHECK (octet_length(txids) > 0 AND octet_length(txids) % 32 = 0)
);
ALTER TABLE block_txids ALTER COLUMN txids SET STORAGE EXTERNAL;

CREATE TABLE txid_ranges (
  first_key bytea NOT NULL CHECK (octet_length(first_key) = 6),
  entries   bytea NOT NULL CHECK (octet_length(entries) > 0 AND octet_length(entries) % 11 = 0)
);
-- Not unique: a key shared by more than one row's entries starts several.
CREATE INDEX txid_ranges_by_first_key ON txid_ranges (first_key);

CREATE TABLE recent_txids (
  tx_num bigint NOT NULL CHECK (tx_num >= 0),
  txid   bytea  NOT NULL CHECK (octet_length(txid) = 32)
);
CREATE INDEX recent_txids_by_txid ON recent_txids USING hash (txid);
CREATE INDEX recent_txids_by_tx_num ON recent_txids USING brin (tx_num);

CREATE TABLE bulk_txids (
  tx_num bigint  NOT NULL,
  height integer NOT NULL,
  txid   bytea   NOT NULL
);

-- The transaction at a tx_num (no row past the chain).
CREATE FUNCTION chain_tx(n bigint) RETURNS TABLE (height integer, txid bytea)
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT b.height, substring(b.txids FROM (n - b.first_tx_num)::integer * 32 + 1 FOR 32)
        FROM block_txids b
        WHERE b.first_tx_num = (SELECT max(p.first_tx_num) FROM block_txids p
                                WHERE p.first_tx_num <= n)
          AND n - b.first_tx_num < octet_length(b.txids) / 32 $$;

-- Every confirmed transaction, in chain order, for other tools.
CREATE VIEW chain_transactions AS
  SELECT b.first_tx_num + i AS tx_num, b.height, substring(b.txids FROM i * 32 + 1 FOR 32) AS txid
  FROM block_txids b, generate_series(0, octet_length(b.txids) / 32 - 1) AS i;

CREATE FUNCTION txid_key(txid bytea) RETURNS bytea
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT substring(txid FROM 1 FOR 6) $$;

CREATE FUNCTION txid_range_entries(packed bytea) RETURNS TABLE (key bytea, tx_num bigint)
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT substring(packed FROM i * 11 + 1 FOR 6), history_uint(packed, i * 11 + 6, 5)
        FROM generate_series(0, octet_length(packed) / 11 - 1) AS i $$;

-- The tx_nums filed in txid_ranges under a key: in the rows starting with
-- it and the row just before.
CREATE FUNCTION txid_range_tx_nums(wanted_key bytea) RETURNS SETOF bigint
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT e.tx_num
        FROM (SELECT r.entries FROM txid_ranges r WHERE r.first_key = wanted_key
              UNION ALL
              SELECT r.entries FROM txid_ranges r
              WHERE r.first_key = (SELECT p.first_key FROM txid_ranges p
                                   WHERE p.first_key < wanted_key
                                   ORDER BY p.first_key DESC LIMIT 1)) AS c,
             txid_range_entries(c.entries) AS e
        WHERE e.key = wanted_key $$;

-- For other tools and the services: where a confirmed txid is, latest
-- first (Bitcoin's two duplicated coinbase txids have two places).
CREATE FUNCTION electrum_transaction(wanted bytea) RETURNS TABLE (tx_num bigint, height integer)
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT DISTINCT c.n, t.height
        FROM (SELECT r.tx_num AS n FROM recent_txids r WHERE r.txid = wanted
              UNION ALL
              SELECT n FROM txid_range_tx_nums(txid_key(wanted)) AS n) AS c,
             chain_tx(c.n) AS t
        WHERE t.txid = wanted
        ORDER BY c.n DESC $$;

-- Rebuilds txid_ranges from its own entries, recent_txids and bulk_txids,
-- which it empties. A bulk load's finish and this migration call it.
CREATE FUNCTION pack_txid_ranges(row_entries integer) RETURNS bigint
  LANGUAGE plpgsql
  AS $$
DECLARE
  entry_count bigint;
BEGIN
  CREATE TEMP TABLE txid_entries ON COMMIT DROP AS
    SELECT txid_key(txid) AS key, tx_num FROM bulk_txids
    UNION ALL SELECT txid_key(txid), tx_num FROM recent_txids
    UNION ALL SELECT e.key, e.tx_num FROM txid_ranges r, txid_range_entries(r.entries) AS e;
  TRUNCATE txid_ranges;
  INSERT INTO txid_ranges (first_key, entries)
  SELECT substring(packed FROM 1 FOR 6), packed
  FROM (SELECT string_agg(key || substring(int8send(tx_num) FROM 4 FOR 5), ''::bytea
                          ORDER BY key, tx_num) AS packed
        FROM (SELECT key, tx_num,
                     (row_number() OVER (ORDER BY key, tx_num) - 1) / row_entries AS part
              FROM txid_entries) AS numbered
        GROUP BY part) AS rows;
  SELECT count(*) INTO entry_count FROM txid_entries;
  DROP TABLE txid_entries;
  TRUNCATE recent_txids, bulk_txids;
  RETURN entry_count;
END $$;

-- History now takes txids and heights from block_txids.
CREATE OR REPLACE FUNCTION electrum_history(script_hash bytea)
  RETURNS TABLE (tx_num bigint, height integer, txid bytea)
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT n, t.height, t.txid
        FROM history_range_tx_nums(history_key(script_hash)) AS n, chain_tx(n) AS t
        UNION
        SELECT e.tx_num, e.height, e.txid
        FROM history_keys k, history_keyed_entries(k.entries) AS e
        WHERE k.scripthash = script_hash
        ORDER BY 1 $$;

-- The conversion.
INSERT INTO block_txids (first_tx_num, height, txids)
SELECT min(tx_num), height, string_agg(txid, ''::bytea ORDER BY tx_num) FROM txs GROUP BY height;

-- A bulk load in progress keeps its transactions staged for its finish,
-- which packs them; otherwise they are packed now. Either way the record of
-- txs' dropped keys goes.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM bulk_dropped_indexes) THEN
    INSERT INTO bulk_txids (tx_num, height, txid) SELECT tx_num, height, txid FROM txs;
    DELETE FROM bulk_dropped_indexes WHERE table_name = 'txs';
    INSERT INTO bulk_dropped_indexes (table_name, name, definition, position)
    SELECT '', 'bulk load marker', '', 2 WHERE NOT EXISTS (SELECT 1 FROM bulk_dropped_indexes);
  ELSE
    INSERT INTO recent_txids (tx_num, txid) SELECT tx_num, txid FROM txs;
    PERFORM pack_txid_ranges(128);
  END IF;
END $$;
DROP TABLE txs;
