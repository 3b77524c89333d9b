// Streams a prepared binary COPY payload into a table inside an open pqxx
// transaction. libpqxx 6 only offers text COPY, so this drives libpq's COPY
// protocol on the transaction's own connection.
#ifndef ELECTRUM_STORAGE_PG_COPY_IN_H_
#define ELECTRUM_STORAGE_PG_COPY_IN_H_

#include <string>

#include "absl/status/status.h"

namespace pqxx {
class dbtransaction;
}  // namespace pqxx

namespace electrum::storage {

// Runs `COPY <target> FROM STDIN (FORMAT binary)` with `payload` (from
// BinaryCopyBuffer::Finish). `target` is "table (column, ...)". On error the
// transaction is aborted by the server; the caller must not commit it.
absl::Status CopyBinaryInto(pqxx::dbtransaction& transaction, const std::string& target,
                            const std::string& payload);

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_PG_COPY_IN_H_
