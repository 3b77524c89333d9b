#include "storage/pg/binary_query.h"

#include <mutex>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "storage/pg/pg_status.h"
#include "storage/pg/raw_connection.h"

namespace electrum::storage {
namespace {

// Statements prepared per server session (connection and backend pid, so a
// reconnect at the same address starts afresh). Checked locally: asking the
// server would cost a round trip, and a failed attempt would abort an open
// transaction.
class PreparedRegistry {
 public:
  bool Contains(PGconn* connection, const char* name) {
    std::lock_guard<std::mutex> lock(mutex_);
    return prepared_.contains(Key(connection, name));
  }
  void Add(PGconn* connection, const char* name) {
    std::lock_guard<std::mutex> lock(mutex_);
    prepared_.insert(Key(connection, name));
  }

 private:
  static std::string Key(PGconn* connection, const char* name) {
    return absl::StrCat(reinterpret_cast<uintptr_t>(connection), "/", PQbackendPID(connection), "/",
                        name);
  }
  std::mutex mutex_;
  absl::flat_hash_set<std::string> prepared_;
};

PreparedRegistry& Registry() {
  static PreparedRegistry* registry = new PreparedRegistry();
  return *registry;
}

uint64_t BigEndian(std::span<const uint8_t> bytes) {
  uint64_t value = 0;
  for (uint8_t byte : bytes) value = value << 8 | byte;
  return value;
}

std::string Trimmed(const char* message) {
  std::string text = message == nullptr ? "" : message;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// libpq's view of the parameters (pointers into `params`).
struct ParamArrays {
  explicit ParamArrays(const std::vector<QueryParam>& params) {
    for (const QueryParam& param : params) {
      values.push_back(param.value.data());
      lengths.push_back(static_cast<int>(param.value.size()));
      formats.push_back(param.binary ? 1 : 0);
    }
  }
  int count() const { return static_cast<int>(values.size()); }
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
};

PGresult* Execute(PGconn* connection, const char* name, const std::vector<QueryParam>& params) {
  const ParamArrays arrays(params);
  return PQexecPrepared(connection, name, arrays.count(), arrays.values.data(),
                        arrays.lengths.data(), arrays.formats.data(), /*resultFormat=*/1);
}

const char* SqlState(const PGresult* result) {
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  return state == nullptr ? "" : state;
}

absl::StatusOr<BinaryRows> RowsOrError(PGconn* raw, const char* what, PGresult* result) {
  if (PQresultStatus(result) == PGRES_TUPLES_OK) return BinaryRows(result);
  const std::string state = SqlState(result);
  const std::string message = Trimmed(PQresultErrorMessage(result));
  PQclear(result);
  if (PQstatus(raw) != CONNECTION_OK) {
    return absl::UnavailableError(absl::StrCat(what, ": PostgreSQL unreachable: ", message));
  }
  return absl::Status(CodeForSqlState(state),
                      absl::StrCat(what, ": PostgreSQL error ", state, ": ", message));
}

absl::Status UnreachableOr(PGconn* raw, const char* what, absl::Status status) {
  if (PQstatus(raw) == CONNECTION_OK) return status;
  return absl::UnavailableError(
      absl::StrCat(what, ": PostgreSQL unreachable: ", Trimmed(PQerrorMessage(raw))));
}

// Prepares `name` on this server session unless it already has.
absl::Status EnsurePrepared(PGconn* raw, const char* name, const char* sql) {
  if (!Registry().Contains(raw, name)) {
    PGresult* prepared = PQprepare(raw, name, sql, 0, nullptr);
    const bool ok = PQresultStatus(prepared) == PGRES_COMMAND_OK;
    const std::string error = ok ? "" : Trimmed(PQresultErrorMessage(prepared));
    PQclear(prepared);
    if (!ok) {
      if (PQstatus(raw) != CONNECTION_OK) {
        return absl::UnavailableError(absl::StrCat(name, ": PostgreSQL unreachable: ", error));
      }
      return absl::InternalError(absl::StrCat("preparing ", name, ": ", error));
    }
    Registry().Add(raw, name);
  }
  return absl::OkStatus();
}

}  // namespace

std::span<const uint8_t> BinaryRows::Bytes(int row, int column) const {
  return std::span<const uint8_t>(
      reinterpret_cast<const uint8_t*>(PQgetvalue(result_, row, column)),
      static_cast<size_t>(PQgetlength(result_, row, column)));
}

int32_t BinaryRows::Int32(int row, int column) const {
  return static_cast<int32_t>(BigEndian(Bytes(row, column).first(4)));
}

int64_t BinaryRows::Int64(int row, int column) const {
  return static_cast<int64_t>(BigEndian(Bytes(row, column).first(8)));
}

absl::StatusOr<BinaryRows> QueryBinary(pqxx::connection_base& connection, const char* name,
                                       const char* sql, const std::vector<QueryParam>& params) {
  PGconn* raw = RawConnectionOf(connection);
  RETURN_IF_ERROR(EnsurePrepared(raw, name, sql));
  return RowsOrError(raw, name, Execute(raw, name, params));
}

absl::Status QueryBinaryRowByRow(pqxx::connection_base& connection, const char* name,
                                 const char* sql, const std::vector<QueryParam>& params,
                                 const std::function<absl::Status(const BinaryRows&)>& on_row) {
  PGconn* raw = RawConnectionOf(connection);
  RETURN_IF_ERROR(EnsurePrepared(raw, name, sql));
  const ParamArrays arrays(params);
  if (PQsendQueryPrepared(raw, name, arrays.count(), arrays.values.data(), arrays.lengths.data(),
                          arrays.formats.data(), /*resultFormat=*/1) == 0 ||
      PQsetSingleRowMode(raw) == 0) {
    // Nothing was sent, or it was and must be read off before anything else.
    while (PGresult* result = PQgetResult(raw)) PQclear(result);
    return UnreachableOr(raw, name,
                         absl::InternalError(absl::StrCat(
                             name, ": could not send the query: ", Trimmed(PQerrorMessage(raw)))));
  }
  // Every result is read to the end (libpq needs that before the next
  // query); the first failure is the answer.
  absl::Status outcome = absl::OkStatus();
  while (PGresult* result = PQgetResult(raw)) {
    const ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_SINGLE_TUPLE) {
      const BinaryRows row(result);
      if (outcome.ok()) outcome = on_row(row);
    } else if (status == PGRES_TUPLES_OK) {
      PQclear(result);  // the end: no rows of its own
    } else {
      absl::StatusOr<BinaryRows> failed = RowsOrError(raw, name, result);
      if (outcome.ok()) outcome = failed.status();
    }
  }
  return outcome;
}

absl::StatusOr<BinaryRows> QueryBinaryUnprepared(pqxx::connection_base& connection,
                                                 const std::string& sql) {
  PGconn* raw = RawConnectionOf(connection);
  return RowsOrError(raw, sql.c_str(),
                     PQexecParams(raw, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr,
                                  /*resultFormat=*/1));
}

}  // namespace electrum::storage
