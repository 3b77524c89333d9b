// AppendRangeTxNums against rows cut by the real HistoryPacker: every
// script's entries found again, from any tx_num, and nothing for absent keys.
#include "storage/chain_index/history_layout.h"

#include <map>
#include <span>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "storage/chain_index/history_packer.h"

namespace electrum::storage {
namespace {

chain::ScriptHash Script(uint8_t first, uint8_t second = 0) {
  std::array<uint8_t, 32> bytes{};
  bytes[0] = first;
  bytes[1] = second;
  return chain::ScriptHash(bytes);
}

std::span<const uint8_t, kHistoryKeyBytes> KeyOf(const chain::ScriptHash& scripthash) {
  return std::span<const uint8_t>(scripthash.internal()).first<kHistoryKeyBytes>();
}

std::span<const uint8_t> BytesOf(const std::string& row) {
  return {reinterpret_cast<const uint8_t*>(row.data()), row.size()};
}

struct RowSink : HistoryPackSink {
  absl::Status RangeRow(std::span<const uint8_t, kHistoryKeyBytes>, const std::string& entries,
                        int64_t) override {
    rows.push_back(entries);
    return absl::OkStatus();
  }
  absl::Status KeyedEntry(const chain::ScriptHash&, int64_t) override {
    return absl::InternalError("no script here is heavy");
  }
  std::vector<std::string> rows;
};

// Scripts 1..120 with 1..300 entries each (script s has s * 7 % 300 + 1),
// so some share a row and some run over several.
class PackedRowsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HistoryPacker packer(/*keyed_from_entries=*/1000, sink_);
    int64_t tx_num = 0;
    for (int script = 1; script <= 120; ++script) {
      const int entries = script * 7 % 300 + 1;
      for (int i = 0; i < entries; ++i) {
        tx_num += 1 + (script + i) % 3;
        expected_[script].push_back(tx_num);
        ASSERT_TRUE(packer.Add(Script(static_cast<uint8_t>(script)), tx_num).ok());
      }
    }
    ASSERT_TRUE(packer.Finish().ok());
    ASSERT_GT(sink_.rows.size(), 100u);
  }

  std::vector<int64_t> Found(const chain::ScriptHash& scripthash, int64_t from_tx_num) {
    std::vector<int64_t> found;
    for (const std::string& row : sink_.rows) {
      EXPECT_TRUE(AppendRangeTxNums(BytesOf(row), KeyOf(scripthash), from_tx_num, found).ok());
    }
    return found;
  }

  RowSink sink_;
  std::map<int, std::vector<int64_t>> expected_;
};

TEST_F(PackedRowsTest, EveryScriptsEntriesAreFoundInOrder) {
  for (const auto& [script, tx_nums] : expected_) {
    EXPECT_EQ(Found(Script(static_cast<uint8_t>(script)), 0), tx_nums) << "script " << script;
  }
}

TEST_F(PackedRowsTest, EntriesBeforeFromTxNumAreLeftOut) {
  const std::vector<int64_t>& all = expected_.at(77);
  ASSERT_GT(all.size(), 10u);
  const std::vector<int64_t> tail(all.begin() + 5, all.end());
  EXPECT_EQ(Found(Script(77), all[5]), tail);
  EXPECT_TRUE(Found(Script(77), all.back() + 1).empty());
}

TEST_F(PackedRowsTest, KeysWithoutEntriesFindNothing) {
  EXPECT_TRUE(Found(Script(0), 0).empty());     // before every key
  EXPECT_TRUE(Found(Script(200), 0).empty());   // after every key
  EXPECT_TRUE(Found(Script(5, 1), 0).empty());  // same first byte, another key
}

TEST(HistoryLayoutTest, ARowOfPartialEntriesIsDataLoss) {
  std::vector<int64_t> found;
  const std::string row(kRangeEntryBytes * 2 + 3, '\0');
  EXPECT_EQ(AppendRangeTxNums(BytesOf(row), KeyOf(Script(1)), 0, found).code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace electrum::storage
