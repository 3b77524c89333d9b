// HistoryPacker: light scripts into 14-byte range entries cut at 142 per
// row, heavy scripts handed on whole, order enforced, repeats dropped.
#include "storage/chain_index/history_packer.h"

#include <utility>

#include "gtest/gtest.h"

namespace electrum::storage {
namespace {

chain::ScriptHash Script(uint8_t first, uint8_t last = 0) {
  std::array<uint8_t, 32> bytes{};
  bytes[0] = first;
  bytes[31] = last;
  return chain::ScriptHash(bytes);
}

struct RecordingSink : HistoryPackSink {
  absl::Status RangeRow(std::span<const uint8_t, kHistoryKeyBytes> first_key,
                        const std::string& entries, int64_t last_tx_num) override {
    rows.emplace_back(std::string(first_key.begin(), first_key.end()), entries);
    last_tx_nums.push_back(last_tx_num);
    return absl::OkStatus();
  }
  absl::Status KeyedEntry(const chain::ScriptHash& scripthash, int64_t tx_num) override {
    keyed.emplace_back(scripthash, tx_num);
    return absl::OkStatus();
  }
  std::vector<std::pair<std::string, std::string>> rows;
  std::vector<int64_t> last_tx_nums;
  std::vector<std::pair<chain::ScriptHash, int64_t>> keyed;
};

std::string RangeEntry(const chain::ScriptHash& scripthash, int64_t tx_num) {
  std::string out;
  AppendRangeEntry(std::span<const uint8_t>(scripthash.internal()).first<kHistoryKeyBytes>(),
                   tx_num, out);
  return out;
}

TEST(HistoryPackerTest, EntryIsKeyPrefixThenBigEndianTxNum) {
  const std::string entry = RangeEntry(Script(0xab), 0x0102030405);
  ASSERT_EQ(entry.size(), kRangeEntryBytes);
  EXPECT_EQ(static_cast<uint8_t>(entry[0]), 0xab);
  EXPECT_EQ(entry.substr(9), std::string("\x01\x02\x03\x04\x05", 5));
}

TEST(HistoryPackerTest, LightScriptsFillRowsInOrder) {
  RecordingSink sink;
  HistoryPacker packer(/*keyed_from_entries=*/500, sink);
  std::string expected;
  for (int script = 1; script <= 100; ++script) {
    for (int64_t tx = 0; tx < 3; ++tx) {
      ASSERT_TRUE(packer.Add(Script(static_cast<uint8_t>(script)), script * 10 + tx).ok());
      expected += RangeEntry(Script(static_cast<uint8_t>(script)), script * 10 + tx);
    }
  }
  ASSERT_TRUE(packer.Finish().ok());
  ASSERT_EQ(sink.rows.size(), 3u);  // 300 entries: 142 + 142 + 16
  EXPECT_EQ(sink.rows[0].second.size(), kRangeRowEntries * kRangeEntryBytes);
  EXPECT_EQ(sink.rows[2].second.size(), 16 * kRangeEntryBytes);
  std::string joined;
  for (const auto& [first_key, entries] : sink.rows) {
    EXPECT_EQ(first_key, entries.substr(0, kHistoryKeyBytes));
    joined += entries;
  }
  EXPECT_EQ(joined, expected);
  // Rows of 142 end inside scripts 48 (its first entry, tx_num 480) and 95
  // (its second, 951); a script's entries may span two rows.
  EXPECT_EQ(sink.last_tx_nums, std::vector<int64_t>({480, 951, 1002}));
  EXPECT_TRUE(sink.keyed.empty());
}

TEST(HistoryPackerTest, HeavyScriptIsKeyedWholeAndLightNeighboursStayInRanges) {
  RecordingSink sink;
  HistoryPacker packer(/*keyed_from_entries=*/4, sink);
  ASSERT_TRUE(packer.Add(Script(1), 5).ok());
  for (int64_t tx = 0; tx < 6; ++tx) ASSERT_TRUE(packer.Add(Script(2), tx).ok());
  ASSERT_TRUE(packer.Add(Script(3), 7).ok());
  ASSERT_TRUE(packer.Finish().ok());
  ASSERT_EQ(sink.keyed.size(), 6u);
  for (int64_t tx = 0; tx < 6; ++tx) {
    EXPECT_EQ(sink.keyed[tx], std::make_pair(Script(2), tx));
  }
  ASSERT_EQ(sink.rows.size(), 1u);
  EXPECT_EQ(sink.rows[0].second, RangeEntry(Script(1), 5) + RangeEntry(Script(3), 7));
  EXPECT_EQ(sink.last_tx_nums[0], 7);
  EXPECT_EQ(packer.keyed_scripts(), 1u);
}

TEST(HistoryPackerTest, KeyedFromOneKeysEverything) {
  RecordingSink sink;
  HistoryPacker packer(/*keyed_from_entries=*/1, sink);
  ASSERT_TRUE(packer.Add(Script(1), 5).ok());
  ASSERT_TRUE(packer.Add(Script(2), 1).ok());
  ASSERT_TRUE(packer.Finish().ok());
  EXPECT_TRUE(sink.rows.empty());
  EXPECT_EQ(sink.keyed.size(), 2u);
}

TEST(HistoryPackerTest, RepeatsAreDroppedAndDisorderRefused) {
  RecordingSink sink;
  HistoryPacker packer(/*keyed_from_entries=*/500, sink);
  ASSERT_TRUE(packer.Add(Script(1, 1), 5).ok());
  ASSERT_TRUE(packer.Add(Script(1, 1), 5).ok());
  ASSERT_TRUE(packer.Add(Script(1, 2), 3).ok());  // same key, later script hash
  EXPECT_EQ(packer.Add(Script(1, 2), 2).code(), absl::StatusCode::kInternal);
  EXPECT_EQ(packer.Add(Script(1, 1), 9).code(), absl::StatusCode::kInternal);
  ASSERT_TRUE(packer.Finish().ok());
  ASSERT_EQ(sink.rows.size(), 1u);
  EXPECT_EQ(sink.rows[0].second, RangeEntry(Script(1, 1), 5) + RangeEntry(Script(1, 2), 3));
}

}  // namespace
}  // namespace electrum::storage
