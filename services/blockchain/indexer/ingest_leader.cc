#include "services/blockchain/indexer/ingest_leader.h"

#include "pqxx/pqxx"
#include "storage/pg/pg_status.h"

namespace electrum::blockchain {

absl::StatusOr<bool> TryBecomeIngestLeader(pqxx::connection_base& connection) {
  return storage::RunGuarded("taking the ingest lock", [&]() -> absl::StatusOr<bool> {
    pqxx::nontransaction transaction(connection);
    return transaction.exec_params1("SELECT pg_try_advisory_lock($1)", kIngestLockKey)[0]
        .as<bool>();
  });
}

}  // namespace electrum::blockchain
