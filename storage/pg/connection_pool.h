// A fixed-size pool of PostgreSQL connections shared by worker threads.
// Connections are opened lazily, health-checked when handed out after an
// error, and replaced when broken; callers wait (up to a deadline) when all
// are in use rather than opening more than the database allows.
#ifndef ELECTRUM_STORAGE_PG_CONNECTION_POOL_H_
#define ELECTRUM_STORAGE_PG_CONNECTION_POOL_H_

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace pqxx {
class connection_base;
}  // namespace pqxx

namespace electrum::storage {

struct ConnectionPoolOptions {
  std::string dsn;
  // Most connections open at once.
  size_t max_connections = 8;
  // How long Acquire waits for a free connection before giving up.
  std::chrono::milliseconds acquire_timeout{5000};
  // Statements run once on every new connection (e.g. session settings).
  std::vector<std::string> on_connect;
};

class ConnectionPool;

// A connection on loan; returned to the pool when destroyed. Call
// MarkBroken() after an error that may have left the connection unusable.
class PooledConnection {
 public:
  PooledConnection(PooledConnection&& other) noexcept;
  PooledConnection& operator=(PooledConnection&&) = delete;
  ~PooledConnection();

  pqxx::connection_base& operator*() const;
  pqxx::connection_base* operator->() const { return &**this; }
  void MarkBroken() { broken_ = true; }

 private:
  friend class ConnectionPool;
  PooledConnection(ConnectionPool* pool, std::unique_ptr<pqxx::connection_base> connection)
      : pool_(pool), connection_(std::move(connection)) {}

  ConnectionPool* pool_;
  std::unique_ptr<pqxx::connection_base> connection_;
  bool broken_ = false;
};

class ConnectionPool {
 public:
  explicit ConnectionPool(ConnectionPoolOptions options);
  ~ConnectionPool();

  // A connection, or UNAVAILABLE when the database cannot be reached or
  // DEADLINE_EXCEEDED when every connection stayed busy past the timeout.
  absl::StatusOr<PooledConnection> Acquire();

  size_t open_connections() const;

 private:
  friend class PooledConnection;
  void Release(std::unique_ptr<pqxx::connection_base> connection, bool broken);

  const ConnectionPoolOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<pqxx::connection_base>> idle_;
  // Connections open, idle or on loan.
  size_t open_ = 0;
};

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_PG_CONNECTION_POOL_H_
