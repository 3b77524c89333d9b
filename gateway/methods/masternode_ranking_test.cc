#include "gateway/methods/masternode_ranking.h"

#include "gtest/gtest.h"

namespace electrum::gateway {
namespace {

constexpr int64_t kNow = 1'700'000'000;

TEST(MasternodeRankingTest, LongestWaitFirstAndOnlyEnabledRanked) {
  const std::vector<MasternodeQueueInput> masternodes = {
      {"a", "ENABLED", 86'400, kNow - 3'600},  // waited an hour
      {"b", "POSE_BANNED", 86'400, 0},         // not in the queue
      {"c", "ENABLED", 86'400, kNow - 7'200},  // waited two hours
      {"d", "ENABLED", 5'000, 0},              // never paid: its active seconds (5,000)
      {"e", "ENABLED", 1'000, kNow - 50'000},  // wait capped at active seconds
  };
  EXPECT_EQ(PaymentPositions(masternodes, kNow), (std::vector<int64_t>{3, -1, 1, 2, 4}));
}

TEST(MasternodeRankingTest, TiesKeepTheNodesOrder) {
  const std::vector<MasternodeQueueInput> masternodes = {
      {"a", "ENABLED", 100, 0}, {"b", "ENABLED", 100, 0}, {"c", "ENABLED", 100, 0}};
  EXPECT_EQ(PaymentPositions(masternodes, kNow), (std::vector<int64_t>{1, 2, 3}));
}

TEST(MasternodeRankingTest, InSelectionIsBelowATenthOfTheList) {
  EXPECT_TRUE(InSelection(1, 20));
  EXPECT_FALSE(InSelection(2, 20));
  EXPECT_FALSE(InSelection(1, 9));
  // ElectrumX counts an absent masternode (-1) as in selection.
  EXPECT_TRUE(InSelection(-1, 9));
}

}  // namespace
}  // namespace electrum::gateway
