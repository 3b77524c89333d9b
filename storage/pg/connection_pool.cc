#include "storage/pg/connection_pool.h"

#include "absl/strings/str_cat.h"
#include "pqxx/pqxx"
#include "storage/pg/pg_status.h"

namespace electrum::storage {

PooledConnection::PooledConnection(PooledConnection&& other) noexcept
    : pool_(other.pool_), connection_(std::move(other.connection_)), broken_(other.broken_) {
  other.pool_ = nullptr;
}

PooledConnection::~PooledConnection() {
  if (pool_ != nullptr && connection_ != nullptr) {
    pool_->Release(std::move(connection_), broken_);
  }
}

pqxx::connection_base& PooledConnection::operator*() const { return *connection_; }

ConnectionPool::ConnectionPool(ConnectionPoolOptions options) : options_(std::move(options)) {}

ConnectionPool::~ConnectionPool() = default;

size_t ConnectionPool::open_connections() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return open_;
}

absl::StatusOr<PooledConnection> ConnectionPool::Acquire() {
  std::unique_lock<std::mutex> lock(mutex_);
  const bool got_slot = available_.wait_for(lock, options_.acquire_timeout, [&] {
    return !idle_.empty() || open_ < options_.max_connections;
  });
  if (!got_slot) {
    return absl::DeadlineExceededError(absl::StrCat("all ", options_.max_connections,
                                                    " PostgreSQL connections busy for ",
                                                    options_.acquire_timeout.count(), " ms"));
  }
  if (!idle_.empty()) {
    std::unique_ptr<pqxx::connection_base> connection = std::move(idle_.back());
    idle_.pop_back();
    return PooledConnection(this, std::move(connection));
  }
  // Open outside the lock: connecting takes a round trip or a timeout.
  ++open_;
  lock.unlock();
  absl::StatusOr<std::unique_ptr<pqxx::connection_base>> opened = RunGuarded(
      "connecting to PostgreSQL", [&]() -> absl::StatusOr<std::unique_ptr<pqxx::connection_base>> {
        auto connection = std::make_unique<pqxx::connection>(options_.dsn);
        for (const std::string& statement : options_.on_connect) {
          pqxx::nontransaction(*connection).exec(statement);
        }
        return std::unique_ptr<pqxx::connection_base>(std::move(connection));
      });
  if (!opened.ok()) {
    lock.lock();
    --open_;
    available_.notify_one();
    return opened.status();
  }
  return PooledConnection(this, std::move(*opened));
}

void ConnectionPool::Release(std::unique_ptr<pqxx::connection_base> connection, bool broken) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (broken || !connection->is_open()) {
    // Dropped; the next Acquire opens a fresh one.
    --open_;
  } else {
    idle_.push_back(std::move(connection));
  }
  available_.notify_one();
}

}  // namespace electrum::storage
