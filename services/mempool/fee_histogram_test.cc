// The compact histogram, worked by hand from the spec's algorithm (§4.7).
#include "services/mempool/fee_histogram.h"

#include "gtest/gtest.h"

namespace electrum::mempool {
namespace {

TEST(CompactFeeHistogramTest, EmptyMempoolIsEmpty) { EXPECT_TRUE(CompactFeeHistogram({}).empty()); }

TEST(CompactFeeHistogramTest, RoundsRatesDownToTenths) {
  // 1000 sat / 300 vB = 3.333 -> 3.3; one tx larger than the bin.
  auto bins = CompactFeeHistogram({{1000, 300}}, 100);
  ASSERT_EQ(bins.size(), 1u);
  EXPECT_DOUBLE_EQ(bins[0].fee_rate, 3.3);
  EXPECT_EQ(bins[0].vsize, 300u);
}

TEST(CompactFeeHistogramTest, GroupsHighestFirstAndGrowsTheBin) {
  // Rates 10, 8, 6, 4, 2 sat/vB with 60 vB each; bin 100, then 110, 121...
  std::vector<FeeAndSize> txs;
  for (uint64_t rate : {2, 4, 6, 8, 10}) txs.push_back({rate * 60, 60});
  auto bins = CompactFeeHistogram(txs, 100);
  // 10 (60) + 8 (120 > 100) -> (8, 120); 6 (60) + 4 (120 > 110) -> (4, 120);
  // 2 (60 <= 121) stays behind.
  ASSERT_EQ(bins.size(), 2u);
  EXPECT_DOUBLE_EQ(bins[0].fee_rate, 8);
  EXPECT_EQ(bins[0].vsize, 120u);
  EXPECT_DOUBLE_EQ(bins[1].fee_rate, 4);
  EXPECT_EQ(bins[1].vsize, 120u);
}

TEST(CompactFeeHistogramTest, ABigLumpClosesThePreviousBin) {
  // 50 vB at 9, then 500 vB at 5 (> 2 x 100): (9, 50) closes first.
  auto bins = CompactFeeHistogram({{450, 50}, {2500, 500}}, 100);
  ASSERT_EQ(bins.size(), 2u);
  EXPECT_DOUBLE_EQ(bins[0].fee_rate, 9);
  EXPECT_EQ(bins[0].vsize, 50u);
  EXPECT_DOUBLE_EQ(bins[1].fee_rate, 5);
  EXPECT_EQ(bins[1].vsize, 500u);
}

TEST(CompactFeeHistogramTest, SameRateTransactionsAccumulate) {
  auto bins = CompactFeeHistogram({{100, 100}, {150, 150}, {1, 1}}, 200);
  ASSERT_EQ(bins.size(), 1u);
  EXPECT_DOUBLE_EQ(bins[0].fee_rate, 1.0);
  EXPECT_EQ(bins[0].vsize, 251u);
}

}  // namespace
}  // namespace electrum::mempool
