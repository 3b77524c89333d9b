#include "storage/pg/binary_copy.h"

#include <cassert>

namespace electrum::storage {
namespace {

// Signature, flags (no OIDs), header extension length.
constexpr char kHeader[] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";
constexpr size_t kHeaderSize = 11 + 4 + 4;

}  // namespace

BinaryCopyBuffer::BinaryCopyBuffer() { data_.append(kHeader, kHeaderSize); }

void BinaryCopyBuffer::PutBigEndian(uint64_t value, int bytes) {
  for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
    data_.push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

void BinaryCopyBuffer::StartRow(int16_t fields) {
  assert(!finished_);
  PutBigEndian(static_cast<uint16_t>(fields), 2);
  ++rows_;
}

void BinaryCopyBuffer::AddInt32(int32_t value) {
  PutBigEndian(4, 4);
  PutBigEndian(static_cast<uint32_t>(value), 4);
}

void BinaryCopyBuffer::AddInt64(int64_t value) {
  PutBigEndian(8, 4);
  PutBigEndian(static_cast<uint64_t>(value), 8);
}

void BinaryCopyBuffer::AddBool(bool value) {
  PutBigEndian(1, 4);
  data_.push_back(value ? 1 : 0);
}

void BinaryCopyBuffer::AddBytes(std::span<const uint8_t> bytes) {
  PutBigEndian(bytes.size(), 4);
  data_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

void BinaryCopyBuffer::AddNull() { PutBigEndian(0xffffffffu, 4); }

const std::string& BinaryCopyBuffer::Finish() {
  if (!finished_) {
    PutBigEndian(0xffff, 2);  // field count -1 ends the data
    finished_ = true;
  }
  return data_;
}

}  // namespace electrum::storage
