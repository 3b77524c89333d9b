-- Schema 11: chain_tx finds a tx_num's block with one index descent.
--
-- Written as "first_tx_num = (SELECT max(first_tx_num) ...)", the planner
-- evaluated the max() subquery twice per call (once for the index
-- condition, once as a filter). A history resolves every entry through
-- chain_tx, so that was about half of a cold get_history's time in
-- PostgreSQL: 24-31 µs per entry, against 15-18 µs for this form (56,609
-- entries of a 2.75M-transaction chain). Same rows: block_txids'
-- first_tx_num is unique.
CREATE OR REPLACE FUNCTION chain_tx(n bigint) RETURNS TABLE (height integer, txid bytea)
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT b.height, substring(b.txids FROM (n - b.first_tx_num)::integer * 32 + 1 FOR 32)
        FROM (SELECT p.first_tx_num, p.height, p.txids FROM block_txids p
              WHERE p.first_tx_num <= n
              ORDER BY p.first_tx_num DESC LIMIT 1) AS b
        WHERE n - b.first_tx_num < octet_length(b.txids) / 32 $$;
