#include "services/testing/database_restart.h"

#include "gtest/gtest.h"
#include "pqxx/pqxx"

namespace electrum::services {

void TerminateDatabaseSessions(const std::string& dsn, int keep) {
  pqxx::connection admin(dsn);
  pqxx::nontransaction transaction(admin);
  transaction.exec_params(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
      "WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid <> $1",
      keep);
}

void ExpectRecoversWithin(int attempts, const std::function<grpc::Status()>& call) {
  bool recovered = false;
  for (int attempt = 0; attempt < attempts && !recovered; ++attempt) {
    grpc::Status status = call();
    recovered = status.ok();
    if (!recovered) {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
      EXPECT_NE(status.error_message().find("PostgreSQL"), std::string::npos);
    }
  }
  EXPECT_TRUE(recovered) << "the pool replaces broken connections without a restart";
}

}  // namespace electrum::services
