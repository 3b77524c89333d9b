#include "common/chain/electrum_hashes.h"

#include "absl/strings/numbers.h"

namespace electrum::chain {

ScriptHash ScriptHashOf(ByteSpan script_pubkey) { return ScriptHash(Sha256(script_pubkey)); }

void AddressStatusHasher::Add(const TxId& txid, int32_t height) {
  static constexpr char kDigits[] = "0123456789abcdef";
  if (used_ + kEntryBytes > buffer_.size()) {
    hasher_.Add(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(buffer_.data()), used_));
    used_ = 0;
  }
  char* out = buffer_.data() + used_;
  const auto& bytes = txid.internal();
  for (auto it = bytes.rbegin(); it != bytes.rend(); ++it) {
    *out++ = kDigits[*it >> 4];
    *out++ = kDigits[*it & 0x0f];
  }
  *out++ = ':';
  out = absl::numbers_internal::FastIntToBuffer(height, out);
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
