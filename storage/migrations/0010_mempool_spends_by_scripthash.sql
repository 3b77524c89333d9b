-- Schema 10: mempool spends found by the script hash they spend from.
--
-- A balance subtracts the confirmed outputs the mempool spends, by script
-- hash; without this index every balance read scanned all of
-- mempool_spends (one row per mempool input: hundreds of thousands on a
-- busy mainnet mempool).
CREATE INDEX mempool_spends_by_scripthash ON mempool_spends (scripthash);
