#include "common/chain/electrum_hashes.h"

#include <array>
#include <cstring>

#include "absl/strings/numbers.h"

namespace electrum::chain {

ScriptHash ScriptHashOf(ByteSpan script_pubkey) { return ScriptHash(Sha256(script_pubkey)); }

namespace {

// Two hex digits per byte value: one 2-byte copy per byte instead of two
// lookups and two stores (hex was the largest cost of a long status).
constexpr std::array<std::array<char, 2>, 256> kHexPairs = [] {
  constexpr char kDigits[] = "0123456789abcdef";
  std::array<std::array<char, 2>, 256> pairs{};
  for (int value = 0; value < 256; ++value)
    pairs[value] = {kDigits[value >> 4], kDigits[value & 15]};
  return pairs;
}();

}  // namespace

void AddressStatusHasher::Add(const TxId& txid, int32_t height) {
  if (used_ + kEntryBytes > buffer_.size()) {
    hasher_.Add(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(buffer_.data()), used_));
    used_ = 0;
  }
  char* out = buffer_.data() + used_;
  // Display order: the last byte first.
  const auto& bytes = txid.internal();
  for (size_t i = 0; i < 32; ++i) std::memcpy(out + 2 * i, kHexPairs[bytes[31 - i]].data(), 2);
  out += 64;
  *out++ = ':';
  // Long histories have runs of entries in one block: their height's
  // digits are written once.
  if (height_digits_ == 0 || height != height_) {
    height_ = height;
    height_digits_ =
        absl::numbers_internal::FastIntToBuffer(height, height_text_.data()) - height_text_.data();
  }
  std::memcpy(out, height_text_.data(), height_digits_);
  out += height_digits_;
  *out++ = ':';
  used_ = out - buffer_.data();
  empty_ = false;
}

std::optional<Sha256Digest> AddressStatusHasher::Finish() {
  if (empty_) return std::nullopt;
  hasher_.Add(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(buffer_.data()), used_));
  used_ = 0;
  return hasher_.Finish();
}

std::optional<Sha256Digest> AddressStatus(const std::vector<StatusHistoryEntry>& history) {
  AddressStatusHasher hasher;
  for (const StatusHistoryEntry& entry : history) hasher.Add(entry.txid, entry.height);
  return hasher.Finish();
}

}  // namespace electrum::chain
