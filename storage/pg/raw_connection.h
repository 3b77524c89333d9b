// The libpq connection under a libpqxx connection, for the protocol
// features libpqxx 6 does not offer (binary COPY, binary result rows).
// Statements sent this way run inside whatever transaction is open.
#ifndef ELECTRUM_STORAGE_PG_RAW_CONNECTION_H_
#define ELECTRUM_STORAGE_PG_RAW_CONNECTION_H_

#include <postgresql/libpq-fe.h>

namespace pqxx {
class connection_base;
}  // namespace pqxx

namespace electrum::storage {

PGconn* RawConnectionOf(pqxx::connection_base& connection);

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_PG_RAW_CONNECTION_H_
