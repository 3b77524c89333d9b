#include "storage/pg/copy_in.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "pqxx/pqxx"
#include "storage/pg/raw_connection.h"

namespace electrum::storage {
namespace {

// Large writes are sent in pieces so libpq never buffers the whole payload
// twice.
constexpr size_t kChunkBytes = 1 << 20;

std::string ErrorOf(PGconn* connection) {
  std::string message = PQerrorMessage(connection);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  return message;
}

}  // namespace

absl::Status CopyBinaryInto(pqxx::dbtransaction& transaction, const std::string& target,
                            const std::string& payload) {
  PGconn* connection = RawConnectionOf(transaction.conn());
  const std::string statement = absl::StrCat("COPY ", target, " FROM STDIN (FORMAT binary)");
  PGresult* started = PQexec(connection, statement.c_str());
  const bool copying = PQresultStatus(started) == PGRES_COPY_IN;
  PQclear(started);
  if (!copying) {
    return absl::InternalError(
        absl::StrCat("starting COPY into ", target, ": ", ErrorOf(connection)));
  }
  bool sent = true;
  for (size_t offset = 0; sent && offset < payload.size(); offset += kChunkBytes) {
    const size_t length = std::min(kChunkBytes, payload.size() - offset);
    sent = PQputCopyData(connection, payload.data() + offset, static_cast<int>(length)) == 1;
  }
  const bool ended = PQputCopyEnd(connection, sent ? nullptr : "client failed to send") == 1;
  absl::Status status;
  while (PGresult* result = PQgetResult(connection)) {
    if (PQresultStatus(result) != PGRES_COMMAND_OK && status.ok()) {
      status = absl::InternalError(
          absl::StrCat("COPY into ", target, ": ", PQresultErrorMessage(result)));
    }
    PQclear(result);
  }
  if (status.ok() && (!sent || !ended)) {
    status = absl::UnavailableError(
        absl::StrCat("COPY into ", target, ": connection lost: ", ErrorOf(connection)));
  }
  return status;
}

}  // namespace electrum::storage
