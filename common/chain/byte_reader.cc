#include "common/chain/byte_reader.h"

#include "absl/strings/str_cat.h"

namespace electrum::chain {

bool ByteReader::Need(size_t size, const char* what) {
  if (!ok()) return false;
  if (data_.size() - position_ < size) {
    Fail(absl::StrCat("truncated: ", what, " needs ", size, " bytes, ", data_.size() - position_,
                      " left"));
    return false;
  }
  return true;
}

void ByteReader::Fail(const std::string& what) {
  if (ok()) error_ = absl::StrCat(what, " (at byte ", position_, ")");
}

absl::Status ByteReader::status() const {
  return ok() ? absl::OkStatus() : absl::InvalidArgumentError(error_);
}

uint8_t ByteReader::ReadU8() {
  if (!Need(1, "uint8")) return 0;
  return data_[position_++];
}

uint16_t ByteReader::ReadU16() {
  if (!Need(2, "uint16")) return 0;
  uint16_t value = static_cast<uint16_t>(data_[position_] | (data_[position_ + 1] << 8));
  position_ += 2;
  return value;
}

uint32_t ByteReader::ReadU32() {
  if (!Need(4, "uint32")) return 0;
  const uint8_t* p = data_.data() + position_;
  uint32_t value = static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
                   (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
  position_ += 4;
  return value;
}

uint64_t ByteReader::ReadU64() {
  uint64_t low = ReadU32();
  uint64_t high = ReadU32();
  return low | (high << 32);
}

uint64_t ByteReader::ReadCompactSize() {
  uint8_t first = ReadU8();
  uint64_t value = first;
  uint64_t minimum = 0;
  if (first == 0xfd) {
    value = ReadU16();
    minimum = 0xfd;
  } else if (first == 0xfe) {
    value = ReadU32();
    minimum = 0x10000;
  } else if (first == 0xff) {
    value = ReadU64();
    minimum = 0x100000000ULL;
  }
  if (!ok()) return 0;
  if (value < minimum) {
    Fail("non-canonical compact size");
    return 0;
  }
  if (value > kMaxCompactSize) {
    Fail(absl::StrCat("compact size ", value, " exceeds ", kMaxCompactSize));
    return 0;
  }
  return value;
}

uint64_t ByteReader::ReadCount(size_t min_item_size) {
  uint64_t count = ReadCompactSize();
  if (!ok()) return 0;
  if (min_item_size > 0 && count > remaining() / min_item_size) {
    Fail(absl::StrCat("count ", count, " cannot fit in the ", remaining(), " bytes left"));
    return 0;
  }
  return count;
}

ByteSpan ByteReader::ReadBytes(size_t size) {
  if (!Need(size, "byte string")) return {};
  ByteSpan out = data_.subspan(position_, size);
  position_ += size;
  return out;
}

ByteSpan ByteReader::ReadVarBytes() {
  uint64_t size = ReadCompactSize();
  if (!ok()) return {};
  return ReadBytes(size);
}

}  // namespace electrum::chain
