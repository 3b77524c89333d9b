// Bounds-checked reader for Bitcoin's serialization format.
//
// Errors are sticky: the first failed read records what and where, every
// later read returns zero/empty, and the caller checks status() once at a
// convenient point. No read ever touches bytes outside the input, and counts
// are checked against the bytes left before anything is allocated for them,
// so a forged length cannot cause a huge allocation.
#ifndef ELECTRUM_COMMON_CHAIN_BYTE_READER_H_
#define ELECTRUM_COMMON_CHAIN_BYTE_READER_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "common/chain/bytes.h"

namespace electrum::chain {

// Bitcoin Core's MAX_SIZE: no serialized length or count may exceed it.
inline constexpr uint64_t kMaxCompactSize = 0x02000000;

class ByteReader {
 public:
  explicit ByteReader(ByteSpan data) : data_(data) {}

  uint8_t ReadU8();
  uint16_t ReadU16();
  uint32_t ReadU32();
  uint64_t ReadU64();
  int32_t ReadI32() { return static_cast<int32_t>(ReadU32()); }
  int64_t ReadI64() { return static_cast<int64_t>(ReadU64()); }

  // Canonical (shortest) encoding only, at most kMaxCompactSize.
  uint64_t ReadCompactSize();
  // A count of items each taking at least `min_item_size` bytes: fails when
  // the remaining input could not hold that many.
  uint64_t ReadCount(size_t min_item_size);
  ByteSpan ReadBytes(size_t size);
  // Compact-size length, then that many bytes.
  ByteSpan ReadVarBytes();

  // Records an error found by the caller (e.g. a semantic check), unless an
  // earlier one is already recorded.
  void Fail(const std::string& what);

  bool ok() const { return error_.empty(); }
  // InvalidArgument naming the first failure and its byte offset.
  absl::Status status() const;

  size_t position() const { return position_; }
  size_t remaining() const { return ok() ? data_.size() - position_ : 0; }
  bool AtEnd() const { return position_ == data_.size(); }
  ByteSpan data() const { return data_; }
  // Bytes from `start` to the current position.
  ByteSpan SpanFrom(size_t start) const { return data_.subspan(start, position_ - start); }

 private:
  // True when `size` more bytes are available; records an error otherwise.
  bool Need(size_t size, const char* what);

  ByteSpan data_;
  size_t position_ = 0;
  std::string error_;
};

}  // namespace electrum::chain

#endif  // ELECTRUM_COMMON_CHAIN_BYTE_READER_H_
