// Builds the payload of `COPY ... FROM STDIN (FORMAT binary)`: the PGCOPY
// header, one tuple per row (field count, then each field as a length and
// big-endian bytes), and the trailer. Binary COPY skips the server's text
// parsing and bytea hex decoding, the bulk of the cost of text COPY.
#ifndef ELECTRUM_STORAGE_PG_BINARY_COPY_H_
#define ELECTRUM_STORAGE_PG_BINARY_COPY_H_

#include <cstdint>
#include <span>
#include <string>

namespace electrum::storage {

class BinaryCopyBuffer {
 public:
  BinaryCopyBuffer();

  // Every row must add exactly `fields` values, in the COPY column order.
  void StartRow(int16_t fields);
  void AddInt32(int32_t value);
  void AddInt64(int64_t value);
  void AddBool(bool value);
  void AddBytes(std::span<const uint8_t> bytes);
  void AddNull();

  // The complete payload, trailer included. No rows may be added after.
  const std::string& Finish();

  size_t rows() const { return rows_; }
  size_t size() const { return data_.size(); }

 private:
  void PutBigEndian(uint64_t value, int bytes);

  std::string data_;
  size_t rows_ = 0;
  bool finished_ = false;
};

}  // namespace electrum::storage

#endif  // ELECTRUM_STORAGE_PG_BINARY_COPY_H_
