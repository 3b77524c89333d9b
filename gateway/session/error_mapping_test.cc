#include "gateway/session/error_mapping.h"

#include "gtest/gtest.h"

namespace electrum::gateway {
namespace {

TEST(ErrorMappingTest, ValidationTextsReachTheWalletAsBadRequest) {
  EXPECT_EQ(RpcErrorFromStatus(absl::InvalidArgumentError("height 1,001 out of range")),
            (RpcError{RpcErrorCode::kBadRequest, "height 1,001 out of range"}));
}

TEST(ErrorMappingTest, LongHistoriesGetTheirOwnCode) {
  EXPECT_EQ(RpcErrorFromStatus(
                absl::ResourceExhaustedError("history too large: more than 81817 entries")),
            (RpcError{RpcErrorCode::kHistoryTooLong, "history too large"}));
}

TEST(ErrorMappingTest, UpstreamFailuresAreDaemonErrorsOrTimeouts) {
  EXPECT_EQ(RpcErrorFromStatus(absl::NotFoundError("node: No such mempool transaction")).code,
            RpcErrorCode::kDaemonError);
  EXPECT_EQ(RpcErrorFromStatus(absl::UnavailableError("connection refused")).message,
            "daemon error: connection refused");
  EXPECT_EQ(RpcErrorFromStatus(absl::DeadlineExceededError("")),
            (RpcError{RpcErrorCode::kServerBusy, "server busy - request timed out"}));
}

TEST(ErrorMappingTest, EverythingElseHidesItsDetails) {
  EXPECT_EQ(RpcErrorFromStatus(absl::DataLossError("malformed txid in the index")),
            (RpcError{RpcErrorCode::kInternalError, "internal server error"}));
}

}  // namespace
}  // namespace electrum::gateway
