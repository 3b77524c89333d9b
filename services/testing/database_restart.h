// What a PostgreSQL restart looks like to a service, without restarting the
// server other tests share: every session of the test database is
// terminated. Then a call is retried a few times; each failure must be
// UNAVAILABLE naming PostgreSQL, and one attempt must succeed.
#ifndef ELECTRUM_SERVICES_TESTING_DATABASE_RESTART_H_
#define ELECTRUM_SERVICES_TESTING_DATABASE_RESTART_H_

#include <functional>
#include <string>

#include "grpcpp/grpcpp.h"

namespace electrum::services {

// Terminates every session on the database of `dsn` except the one with
// backend pid `keep` (0: none kept).
void TerminateDatabaseSessions(const std::string& dsn, int keep = 0);

// Runs `call` up to `attempts` times until it succeeds; records a gtest
// failure for any error other than UNAVAILABLE-from-PostgreSQL and when no
// attempt succeeds.
void ExpectRecoversWithin(int attempts, const std::function<grpc::Status()>& call);

}  // namespace electrum::services

#endif  // ELECTRUM_SERVICES_TESTING_DATABASE_RESTART_H_
