-- Schema version 7: a bulk load whose unspent outputs outgrow the indexer's
-- memory keeps its pace. The indexer holds only the most recently created
-- unspent outputs (--bulk_max_unspent_outputs); a spend of an older one is
-- staged here by outpoint and resolved when the load finishes, by one join
-- with txs and the staged outputs, instead of ending the bulk load. Empty
-- outside a bulk load.
CREATE TABLE bulk_spilled_spends (
  txid         bytea   NOT NULL,
  vout         integer NOT NULL,
  spent_tx_num bigint  NOT NULL
);
-- A reorg during the load deletes the spends of the removed blocks.
CREATE INDEX bulk_spilled_spends_by_spent_tx_num ON bulk_spilled_spends USING brin (spent_tx_num);
