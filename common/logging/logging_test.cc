#include "common/logging/logging.h"

#include "gtest/gtest.h"
#include "spdlog/spdlog.h"

namespace electrum {
namespace {

TEST(LoggingTest, KnownLevelIsApplied) {
  ASSERT_TRUE(InitLogging({.level = "debug", .component = "test"}).ok());
  EXPECT_EQ(spdlog::get_level(), spdlog::level::debug);
  ASSERT_TRUE(InitLogging({.level = "off"}).ok());
  EXPECT_EQ(spdlog::get_level(), spdlog::level::off);
}

TEST(LoggingTest, UnknownLevelIsAnError) {
  absl::Status status = InitLogging({.level = "verbose"});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("verbose"), std::string_view::npos);
}

}  // namespace
}  // namespace electrum
