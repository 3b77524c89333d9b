#include "storage/chain_index/history_layout.h"

#include <algorithm>
#include <array>
#include <cstring>

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

absl::Status AppendRangeTxNums(std::span<const uint8_t> packed,
                               std::span<const uint8_t, kHistoryKeyBytes> key, int64_t from_tx_num,
                               std::vector<int64_t>& out) {
  if (packed.size() % kRangeEntryBytes != 0) {
    return absl::DataLossError(absl::StrCat("a history_ranges row holds ", packed.size(),
                                            " bytes, not a multiple of ", kRangeEntryBytes));
  }
  const auto key_at = [&](size_t entry) { return packed.data() + entry * kRangeEntryBytes; };
  const auto compare = [&](size_t entry) {
    return std::memcmp(key_at(entry), key.data(), key.size());
  };
  // The first entry whose key is not below `key`.
  size_t low = 0;
  size_t high = packed.size() / kRangeEntryBytes;
  while (low < high) {
    const size_t middle = low + (high - low) / 2;
    if (compare(middle) < 0) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  for (size_t entry = low; entry < packed.size() / kRangeEntryBytes && compare(entry) == 0;
       ++entry) {
    const auto tx_num = static_cast<int64_t>(
        BigEndian(std::span<const uint8_t>(key_at(entry) + kHistoryKeyBytes, kHistoryTxNumBytes)));
    if (tx_num >= from_tx_num) out.push_back(tx_num);
  }
  return absl::OkStatus();
}

void AppendRangeEntry(std::span<const uint8_t, kHistoryKeyBytes> key, int64_t tx_num,
                      std::string& out) {
  out.append(reinterpret_cast<const char*>(key.data()), key.size());
  for (int shift = 8 * (kHistoryTxNumBytes - 1); shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((static_cast<uint64_t>(tx_num) >> shift) & 0xff));
  }
}

}  // namespace electrum::storage
