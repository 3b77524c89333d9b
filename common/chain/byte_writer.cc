#include "common/chain/byte_writer.h"

namespace electrum::chain {

void ByteWriter::WriteU16(uint16_t value) {
  out_.push_back(static_cast<uint8_t>(value));
  out_.push_back(static_cast<uint8_t>(value >> 8));
}

void ByteWriter::WriteU32(uint32_t value) {
  for (int shift = 0; shift < 32; shift += 8) out_.push_back(static_cast<uint8_t>(value >> shift));
}

void ByteWriter::WriteU64(uint64_t value) {
  for (int shift = 0; shift < 64; shift += 8) out_.push_back(static_cast<uint8_t>(value >> shift));
}

void ByteWriter::WriteCompactSize(uint64_t value) {
  if (value < 0xfd) {
    WriteU8(static_cast<uint8_t>(value));
  } else if (value <= 0xffff) {
    WriteU8(0xfd);
    WriteU16(static_cast<uint16_t>(value));
  } else if (value <= 0xffffffffULL) {
    WriteU8(0xfe);
    WriteU32(static_cast<uint32_t>(value));
  } else {
    WriteU8(0xff);
    WriteU64(value);
  }
}

void ByteWriter::WriteVarBytes(ByteSpan bytes) {
  WriteCompactSize(bytes.size());
  WriteBytes(bytes);
}

}  // namespace electrum::chain
