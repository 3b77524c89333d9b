-- Schema version 2: staging for the bulk initial sync. While the index is far
-- behind the node, blocks are appended with binary COPY into tables without
-- secondary indexes; spends are resolved by the indexer in memory and
-- recorded here instead of updating outputs row by row. Finishing the bulk
-- load merges the staging tables into outputs and rebuilds the indexes, in
-- one transaction. Both tables are empty outside a bulk load.

-- Outputs created during the bulk load (moved into outputs when it ends).
CREATE TABLE bulk_outputs (
  tx_num     bigint  NOT NULL,
  vout       integer NOT NULL,
  scripthash bytea   NOT NULL,
  value      bigint  NOT NULL
);

-- Outputs (in outputs or bulk_outputs) spent during the bulk load.
CREATE TABLE bulk_spends (
  tx_num       bigint  NOT NULL,
  vout         integer NOT NULL,
  spent_tx_num bigint  NOT NULL
);

-- The constraints and indexes dropped for the bulk load, recreated from
-- these definitions when it ends. A row here means a bulk load is active.
CREATE TABLE bulk_dropped_indexes (
  table_name text NOT NULL,
  name       text NOT NULL,
  -- "ALTER TABLE ... ADD CONSTRAINT ..." or "CREATE INDEX ..."
  definition text NOT NULL,
  -- Constraints (primary keys) are recreated before plain indexes.
  position   integer NOT NULL,
  PRIMARY KEY (table_name, name)
);
