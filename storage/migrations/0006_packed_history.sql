-- Schema version 6: packed history. A row per (script hash, transaction)
-- cost about 200 bytes (two 32-byte hashes, a covering key, row headers),
-- 70% of the index. History is now kept in two packed forms:
--
--   history_ranges  what a bulk load indexed for scripts with few entries:
--                   every such entry as 14 bytes (the script hash's first
--                   9 bytes, then the tx_num in 5 big-endian bytes), sorted
--                   by script hash and cut into rows of at most 142
--                   entries. The rows partition the key space, so a key's
--                   entries are in the rows starting with it plus the row
--                   just before. Txid and height come from txs.
--   history_keys    everything else, under the full script hash: scripts
--                   with many entries in a bulk load (in large rows), and
--                   whatever was indexed block by block (a row per script
--                   and block). Entries are 41 bytes: tx_num (5 bytes),
--                   height (4), txid (32), in tx_num order, so the longest
--                   histories read without a lookup per entry.
--
-- Each row knows its highest tx_num, so a reorg trims the few rows holding
-- entries of the blocks it removes.
--
-- A 9-byte key collides for two scripts with probability about n^2 / 2^73
-- over n scripts (5e-4 for two billion); a collision would show one script
-- the other's light entries, as ElectrumX's 11-byte keys accept too.
--
-- Other tools read history, balance and unspent outputs through the
-- electrum_* functions at the end instead of decoding rows.

CREATE TABLE history_ranges (
  last_tx_num bigint NOT NULL,
  first_key   bytea  NOT NULL CHECK (octet_length(first_key) = 9),
  entries     bytea  NOT NULL CHECK (octet_length(entries) > 0 AND octet_length(entries) % 14 = 0)
);
-- Not unique: a key with more than one row's entries starts several rows.
CREATE INDEX history_ranges_by_first_key ON history_ranges (first_key);
-- Reorgs: the rows holding entries of the removed blocks.
CREATE INDEX history_ranges_by_last_tx_num ON history_ranges (last_tx_num);

CREATE TABLE history_keys (
  first_tx_num bigint NOT NULL CHECK (first_tx_num >= 0),
  last_tx_num  bigint NOT NULL CHECK (last_tx_num >= first_tx_num),
  scripthash   bytea  NOT NULL CHECK (octet_length(scripthash) = 32),
  entries      bytea  NOT NULL CHECK (octet_length(entries) > 0 AND octet_length(entries) % 41 = 0),
  PRIMARY KEY (scripthash, first_tx_num)
);
-- Txids do not compress: skip the attempt, and let large rows be read in
-- slices.
ALTER TABLE history_keys ALTER COLUMN entries SET STORAGE EXTERNAL;
-- Reorgs and change detection read the rows reaching a tx_num; block-by-
-- block rows arrive in that order.
CREATE INDEX history_keys_by_last_tx_num ON history_keys USING brin (last_tx_num);

-- A bulk load's history entries, packed into the tables above when it
-- finishes. Empty outside a bulk load.
CREATE TABLE bulk_history (
  tx_num     bigint NOT NULL,
  scripthash bytea  NOT NULL
);
CREATE INDEX bulk_history_by_tx_num ON bulk_history USING brin (tx_num);

-- The entry formats, in one place for every writer and reader in SQL.
CREATE FUNCTION history_key(script_hash bytea) RETURNS bytea
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT substring(script_hash FROM 1 FOR 9) $$;

CREATE FUNCTION history_keyed_entry(tx bigint, block_height integer, tx_hash bytea)
  RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT substring(int8send(tx) FROM 4 FOR 5) || int4send(block_height) || tx_hash $$;

-- The big-endian unsigned integer of `width` bytes at byte offset `at`.
CREATE FUNCTION history_uint(packed bytea, at integer, width integer) RETURNS bigint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT ('x' || encode(substring(packed FROM at + 1 FOR width), 'hex'))::bit(40)::bigint
               >> (8 * (5 - width)) $$;

CREATE FUNCTION history_keyed_entries(packed bytea)
  RETURNS TABLE (tx_num bigint, height integer, txid bytea)
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT history_uint(packed, i * 41, 5), history_uint(packed, i * 41 + 5, 4)::integer,
               substring(packed FROM i * 41 + 10 FOR 32)
        FROM generate_series(0, octet_length(packed) / 41 - 1) AS i $$;

CREATE FUNCTION history_range_entries(packed bytea)
  RETURNS TABLE (key bytea, tx_num bigint)
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT substring(packed FROM i * 14 + 1 FOR 9), history_uint(packed, i * 14 + 9, 5)
        FROM generate_series(0, octet_length(packed) / 14 - 1) AS i $$;

-- Rows cut back to their entries before tx_num `bound` (NULL if none), for
-- reorgs.
CREATE FUNCTION history_keyed_before(packed bytea, bound bigint) RETURNS bytea
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT NULLIF(substring(packed FROM 1 FOR 41 * (
                 SELECT count(*)::integer FROM history_keyed_entries(packed) e
                 WHERE e.tx_num < bound)), ''::bytea) $$;

CREATE FUNCTION history_range_before(packed bytea, bound bigint) RETURNS bytea
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT string_agg(substring(packed FROM i * 14 + 1 FOR 14), ''::bytea ORDER BY i)
        FROM generate_series(0, octet_length(packed) / 14 - 1) AS i
        WHERE history_uint(packed, i * 14 + 9, 5) < bound $$;

-- The tx_nums filed in history_ranges under a key.
CREATE FUNCTION history_range_tx_nums(wanted_key bytea) RETURNS SETOF bigint
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT e.tx_num
        FROM (SELECT r.entries FROM history_ranges r WHERE r.first_key = wanted_key
              UNION ALL
              SELECT r.entries FROM history_ranges r
              WHERE r.first_key = (SELECT p.first_key FROM history_ranges p
                                   WHERE p.first_key < wanted_key
                                   ORDER BY p.first_key DESC LIMIT 1)) AS c,
             history_range_entries(c.entries) AS e
        WHERE e.key = wanted_key $$;

-- For other tools: a script hash's confirmed history in chain order, its
-- confirmed balance, and its unspent outputs. Script hashes are the 32
-- bytes of sha256(scriptPubKey) in stored order, the reverse of Electrum's
-- hex; the mempool is in the mempool_* tables.
CREATE FUNCTION electrum_history(script_hash bytea)
  RETURNS TABLE (tx_num bigint, height integer, txid bytea)
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT t.tx_num, t.height, t.txid
        FROM history_range_tx_nums(history_key(script_hash)) AS n JOIN txs t ON t.tx_num = n
        UNION
        SELECT e.tx_num, e.height, e.txid
        FROM history_keys k, history_keyed_entries(k.entries) AS e
        WHERE k.scripthash = script_hash
        ORDER BY 1 $$;

CREATE FUNCTION electrum_balance(script_hash bytea) RETURNS bigint
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT coalesce(sum(u.value), 0)::bigint FROM utxos u WHERE u.scripthash = script_hash $$;

CREATE FUNCTION electrum_unspent(script_hash bytea)
  RETURNS TABLE (txid bytea, vout integer, height integer, value bigint)
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT u.txid, u.vout, u.height, u.value FROM utxos u WHERE u.scripthash = script_hash
        ORDER BY u.tx_num, u.vout $$;

-- The conversion: schema-5 rows become history_keys rows, one per script
-- and block, the form block-by-block indexing writes (a reindex packs them
-- into history_ranges).
INSERT INTO history_keys (first_tx_num, last_tx_num, scripthash, entries)
SELECT min(tx_num), max(tx_num), scripthash,
       string_agg(history_keyed_entry(tx_num, height, txid), ''::bytea ORDER BY tx_num)
FROM history GROUP BY scripthash, height;

-- A bulk load in progress: its history so far is converted above; only its
-- record of the history table's dropped keys goes.
DELETE FROM bulk_dropped_indexes WHERE table_name = 'history';
INSERT INTO bulk_dropped_indexes (table_name, name, definition, position)
SELECT '', 'bulk load marker', '', 2
WHERE NOT EXISTS (SELECT 1 FROM bulk_dropped_indexes)
  AND (EXISTS (SELECT 1 FROM bulk_outputs) OR EXISTS (SELECT 1 FROM bulk_spends));
DROP TABLE history;

-- Txid lookups are equality only: a hash index keeps 4-byte hash codes
-- instead of every 32-byte txid a second time. During a bulk load the index
-- is dropped; the load rebuilds it from the new definition.
DROP INDEX IF EXISTS txs_by_txid;
UPDATE bulk_dropped_indexes SET definition = 'CREATE INDEX txs_by_txid ON txs USING hash (txid)'
WHERE name = 'txs_by_txid';
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM bulk_dropped_indexes WHERE name = 'txs_by_txid') THEN
    CREATE INDEX txs_by_txid ON txs USING hash (txid);
  END IF;
END $$;
