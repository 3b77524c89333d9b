#include "common/grpc/status_conversion.h"

#include "grpcpp/support/status.h"
#include "gtest/gtest.h"

namespace electrum {
namespace {

TEST(StatusConversionTest, EveryCanonicalCodeRoundTrips) {
  for (int raw = 1; raw <= 16; ++raw) {
    absl::Status original(static_cast<absl::StatusCode>(raw), "message " + std::to_string(raw));
    grpc::Status wire = ToGrpcStatus(original);
    EXPECT_EQ(static_cast<int>(wire.error_code()), raw);
    EXPECT_EQ(wire.error_message(), original.message());
    EXPECT_EQ(FromGrpcStatus(wire), original);
  }
}

TEST(StatusConversionTest, OkStaysOk) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok());
}

TEST(StatusConversionTest, OutOfRangeCodesBecomeUnknown) {
  absl::Status odd(static_cast<absl::StatusCode>(99), "from the future");
  EXPECT_EQ(ToGrpcStatus(odd).error_code(), grpc::StatusCode::UNKNOWN);
  grpc::Status odd_wire(static_cast<grpc::StatusCode>(99), "from the future");
  EXPECT_EQ(FromGrpcStatus(odd_wire).code(), absl::StatusCode::kUnknown);
  EXPECT_EQ(FromGrpcStatus(odd_wire).message(), "from the future");
}

}  // namespace
}  // namespace electrum
