// RetryWhileChainChanges: a read is repeated while (and only while) the
// index changed under it, and at most kChainChangeAttempts times.
#include "storage/address_index/range_txids.h"

#include "gtest/gtest.h"

namespace electrum::storage::address_sql {
namespace {

TEST(RangeTxidsTest, ChainChangedIsKnownFromOtherAborts) {
  EXPECT_TRUE(IsChainChanged(ChainChanged()));
  EXPECT_EQ(ChainChanged().code(), absl::StatusCode::kAborted);
  EXPECT_FALSE(IsChainChanged(absl::AbortedError("serialization failure")));
  EXPECT_FALSE(IsChainChanged(absl::OkStatus()));
}

TEST(RangeTxidsTest, ReadsAgainUntilTheChainHoldsStill) {
  int calls = 0;
  absl::StatusOr<int> read = RetryWhileChainChanges([&]() -> absl::StatusOr<int> {
    return ++calls < kChainChangeAttempts ? absl::StatusOr<int>(ChainChanged()) : calls;
  });
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, kChainChangeAttempts);
}

TEST(RangeTxidsTest, GivesUpAfterTheLastAttempt) {
  int calls = 0;
  absl::Status read = RetryWhileChainChanges([&] {
    ++calls;
    return ChainChanged();
  });
  EXPECT_TRUE(IsChainChanged(read));
  EXPECT_EQ(calls, kChainChangeAttempts);
}

TEST(RangeTxidsTest, OtherErrorsAreNotRetried) {
  int calls = 0;
  absl::StatusOr<int> read = RetryWhileChainChanges([&]() -> absl::StatusOr<int> {
    ++calls;
    return absl::UnavailableError("connection lost");
  });
  EXPECT_EQ(read.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace electrum::storage::address_sql
