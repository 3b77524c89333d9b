// Appends Bitcoin-serialized values to a byte vector.
#ifndef ELECTRUM_COMMON_CHAIN_BYTE_WRITER_H_
#define ELECTRUM_COMMON_CHAIN_BYTE_WRITER_H_

#include <cstdint>

#include "common/chain/bytes.h"

namespace electrum::chain {

class ByteWriter {
 public:
  explicit ByteWriter(Bytes* out) : out_(*out) {}

  void WriteU8(uint8_t value) { out_.push_back(value); }
  void WriteU16(uint16_t value);
  void WriteU32(uint32_t value);
  void WriteU64(uint64_t value);
  void WriteI32(int32_t value) { WriteU32(static_cast<uint32_t>(value)); }
  void WriteI64(int64_t value) { WriteU64(static_cast<uint64_t>(value)); }
  // Shortest encoding, as Bitcoin Core writes it.
  void WriteCompactSize(uint64_t value);
  void WriteBytes(ByteSpan bytes) { out_.insert(out_.end(), bytes.begin(), bytes.end()); }
  void WriteVarBytes(ByteSpan bytes);

 private:
  Bytes& out_;
};

}  // namespace electrum::chain

#endif  // ELECTRUM_COMMON_CHAIN_BYTE_WRITER_H_
