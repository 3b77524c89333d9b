-- Schema 12: history_ranges rows are read whole and decoded by the reader.
--
-- Picking a script hash's entries out of its range rows in SQL (every entry
-- of up to two 142-entry rows compared and decoded) cost 65-90 µs per
-- script hash, most of a cold get_history's time in PostgreSQL on a
-- mainnet-shaped chain where a script has about two entries. The history
-- service now fetches the rows (about 10 µs) and finds the entries itself,
-- then resolves their txids with a second statement.
--
-- chain_tip.changes counts the transactions that changed the confirmed
-- index (every one moves the tip row, even when the tip stays: a bulk
-- load's finish packs history below it). A reader combining two statements
-- compares it across them: equal means both saw the same confirmed index.

ALTER TABLE chain_tip ADD COLUMN changes bigint NOT NULL DEFAULT 0;

-- The history_ranges rows that can hold a key's entries: those starting
-- with it and those starting with the key before (whose last row may run
-- into it). Entries are 14 bytes: the key's 9, then the tx_num in 5
-- big-endian bytes, sorted.
CREATE FUNCTION history_range_rows(wanted_key bytea) RETURNS SETOF bytea
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT r.entries FROM history_ranges r WHERE r.first_key = wanted_key
        UNION ALL
        SELECT r.entries FROM history_ranges r
        WHERE r.first_key = (SELECT p.first_key FROM history_ranges p
                             WHERE p.first_key < wanted_key
                             ORDER BY p.first_key DESC LIMIT 1) $$;

CREATE OR REPLACE FUNCTION history_range_tx_nums(wanted_key bytea) RETURNS SETOF bigint
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT e.tx_num
        FROM (SELECT r.entries || ''::bytea AS entries
              FROM history_range_rows(wanted_key) AS r(entries)
              OFFSET 0) AS c,
             history_range_entries(c.entries) AS e
        WHERE e.key = wanted_key $$;
