#include "common/chain/electrum_hashes.h"

#include <string>

#include "absl/strings/numbers.h"

namespace electrum::chain {

ScriptHash ScriptHashOf(ByteSpan script_pubkey) { return ScriptHash(Sha256(script_pubkey)); }

std::optional<Sha256Digest> AddressStatus(const std::vector<StatusHistoryEntry>& history) {
  if (history.empty()) return std::nullopt;
  static constexpr char kDigits[] = "0123456789abcdef";
  // 64 hex digits, two colons and up to 11 characters of height each,
  // written in place: histories run to hundreds of thousands of entries.
  std::string preimage(history.size() * 77, '\0');
  char* out = preimage.data();
  for (const StatusHistoryEntry& entry : history) {
    const auto& bytes = entry.txid.internal();
    for (auto it = bytes.rbegin(); it != bytes.rend(); ++it) {
      *out++ = kDigits[*it >> 4];
      *out++ = kDigits[*it & 0x0f];
    }
    *out++ = ':';
    out = absl::numbers_internal::FastIntToBuffer(entry.height, out);
    *out++ = ':';
  }
  preimage.resize(out - preimage.data());
  return Sha256(preimage);
}

}  // namespace electrum::chain
