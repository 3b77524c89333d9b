#include "storage/chain_index/history_layout.h"

#include <algorithm>
#include <array>

#include "absl/strings/str_cat.h"

namespace electrum::storage {
namespace {

uint64_t BigEndian(std::span<const uint8_t> bytes) {
  uint64_t value = 0;
  for (uint8_t byte : bytes) value = value << 8 | byte;
  return value;
}

}  // namespace

KeyedEntry DecodeKeyedEntry(std::span<const uint8_t, kKeyedEntryBytes> entry) {
  std::array<uint8_t, 32> txid{};
  std::copy(entry.begin() + kKeyedTxidOffset, entry.end(), txid.begin());
  return {static_cast<int64_t>(BigEndian(entry.first<kHistoryTxNumBytes>())),
          static_cast<int32_t>(BigEndian(entry.subspan<kHistoryTxNumBytes, 4>())),
          chain::TxId(txid)};
}

absl::Status CheckKeyedEntries(std::span<const uint8_t> packed) {
  if (packed.size() % kKeyedEntryBytes == 0) return absl::OkStatus();
  return absl::DataLossError(absl::StrCat("a history_keys row holds ", packed.size(),
                                          " bytes, not a multiple of ", kKeyedEntryBytes));
}

void AppendRangeEntry(std::span<const uint8_t, kHistoryKeyBytes> key, int64_t tx_num,
                      std::string& out) {
  out.append(reinterpret_cast<const char*>(key.data()), key.size());
  for (int shift = 8 * (kHistoryTxNumBytes - 1); shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((static_cast<uint64_t>(tx_num) >> shift) & 0xff));
  }
}

}  // namespace electrum::storage
