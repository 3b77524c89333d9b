#include "common/status/status_macros.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"

namespace electrum {
namespace {

absl::Status FailWhen(bool fail) {
  if (fail) return absl::InvalidArgumentError("asked to fail");
  return absl::OkStatus();
}

absl::StatusOr<int> HalfOf(int value) {
  if (value % 2 != 0) return absl::InvalidArgumentError("odd value");
  return value / 2;
}

int calls_after_check = 0;

absl::Status CheckThenCount(bool fail) {
  RETURN_IF_ERROR(FailWhen(fail));
  ++calls_after_check;
  return absl::OkStatus();
}

absl::StatusOr<int> QuarterOf(int value) {
  ASSIGN_OR_RETURN(int half, HalfOf(value));
  ASSIGN_OR_RETURN(int quarter, HalfOf(half));
  return quarter;
}

TEST(StatusMacrosTest, ReturnIfErrorStopsOnError) {
  calls_after_check = 0;
  EXPECT_EQ(CheckThenCount(true).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(calls_after_check, 0);
  EXPECT_TRUE(CheckThenCount(false).ok());
  EXPECT_EQ(calls_after_check, 1);
}

TEST(StatusMacrosTest, AssignOrReturnPassesValuesAndErrors) {
  EXPECT_EQ(QuarterOf(12).value(), 3);
  absl::StatusOr<int> odd_half = QuarterOf(6);
  ASSERT_FALSE(odd_half.ok());
  EXPECT_EQ(odd_half.status().message(), "odd value");
}

TEST(StatusMacrosTest, AssignOrReturnMovesOnlyTypes) {
  auto make = []() -> absl::StatusOr<std::unique_ptr<std::string>> {
    return std::make_unique<std::string>("moved");
  };
  auto use = [&]() -> absl::StatusOr<std::string> {
    ASSIGN_OR_RETURN(std::unique_ptr<std::string> text, make());
    return *text;
  };
  EXPECT_EQ(use().value(), "moved");
}

}  // namespace
}  // namespace electrum
