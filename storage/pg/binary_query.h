// Read queries whose rows arrive in PostgreSQL's binary format: bytea as raw
// bytes and integers as big-endian words, with none of the text encoding
// and decoding that libpqxx 6 (text results only) costs on large answers.
// Statements are prepared once per connection, on first use.
#ifndef ELECTRUM_STORAGE_PG_BINARY_QUERY_H_
#define ELECTRUM_STORAGE_PG_BINARY_QUERY_H_

#include <postgresql/libpq-fe.h>

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace pqxx {
class connection_base;
}  // namespace pqxx

namespace electrum::storage {

class BinaryRows {
 public:
  explicit BinaryRows(PGresult* result) : result_(result) {}
  BinaryRows(BinaryRows&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  BinaryRows& operator=(BinaryRows&&) = delete;
  ~BinaryRows() { PQclear(result_); }

  int size() const { return PQntuples(result_); }
  bool IsNull(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }
  std::span<const uint8_t> Bytes(int row, int column) const;
  // Columns of type int4, int8 and bool respectively.
  int32_t Int32(int row, int column) const;
  int64_t Int64(int row, int column) const;
  bool Bool(int row, int column) const { return Bytes(row, column)[0] != 0; }

 private:
  PGresult* result_;
};

// A parameter sent in binary (bytea) or as text (anything else).
struct QueryParam {
  std::string value;
  bool binary = false;

  static QueryParam Text(std::string text) { return {std::move(text), false}; }
  static QueryParam Binary(std::span<const uint8_t> bytes) {
    return {std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()), true};
  }
};

// Runs the statement `name` (prepared from `sql` when this connection does
// not know it yet) with binary results. Errors map like pg_status.h; a lost
// connection is UNAVAILABLE.
absl::StatusOr<BinaryRows> QueryBinary(pqxx::connection_base& connection, const char* name,
                                       const char* sql, const std::vector<QueryParam>& params);

// QueryBinary in libpq's single-row mode: `on_row` sees each row as it
// arrives (a BinaryRows of one row), so a long answer is neither held whole
// nor waited for before the first row is used. When `on_row` fails, the
// remaining rows are read and dropped and its error is returned.
absl::Status QueryBinaryRowByRow(pqxx::connection_base& connection, const char* name,
                                 const char* sql, const std::vector<QueryParam>& params,
                                 const std::function<absl::Status(const BinaryRows&)>& on_row);

// Runs `sql` once, unprepared (for statements that cannot be prepared, such
// as FETCH from a cursor), with binary results and the same error mapping.
absl::StatusOr<BinaryRows> QueryBinaryUnprepared(pqxx::connection_base& connection,
                                                 const std::string& sql);

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_PG_BINARY_QUERY_H_
