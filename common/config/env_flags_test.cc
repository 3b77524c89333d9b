#include "common/config/env_flags.h"

#include <cstdint>

#include "absl/flags/flag.h"
#include "gtest/gtest.h"

ABSL_FLAG(int32_t, env_flags_test_port, 50001, "a test flag");
ABSL_FLAG(std::string, env_flags_test_name, "default", "a test flag");

namespace electrum {
namespace {

TEST(EnvFlagsTest, VariableNameIsPrefixedUpperCase) {
  EXPECT_EQ(EnvironmentVariableFor("db_url"), "ELECTRUM_DB_URL");
}

TEST(EnvFlagsTest, EnvironmentSetsFlags) {
  std::vector<std::string> unknown;
  ASSERT_TRUE(ApplyEnvironmentToFlags({{"ELECTRUM_ENV_FLAGS_TEST_PORT", "60001"},
                                       {"ELECTRUM_ENV_FLAGS_TEST_NAME", "from-env"},
                                       {"PATH", "/usr/bin"}},
                                      &unknown)
                  .ok());
  EXPECT_EQ(absl::GetFlag(FLAGS_env_flags_test_port), 60001);
  EXPECT_EQ(absl::GetFlag(FLAGS_env_flags_test_name), "from-env");
  EXPECT_TRUE(unknown.empty());
}

TEST(EnvFlagsTest, BadValueNamesTheVariable) {
  absl::SetFlag(&FLAGS_env_flags_test_port, 1);
  absl::Status status =
      ApplyEnvironmentToFlags({{"ELECTRUM_ENV_FLAGS_TEST_PORT", "not-a-number"}}, nullptr);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("ELECTRUM_ENV_FLAGS_TEST_PORT"), std::string_view::npos);
  EXPECT_EQ(absl::GetFlag(FLAGS_env_flags_test_port), 1);
}

TEST(EnvFlagsTest, UnknownPrefixedVariablesAreReported) {
  std::vector<std::string> unknown;
  ASSERT_TRUE(ApplyEnvironmentToFlags({{"ELECTRUM_NO_SUCH_FLAG", "x"}}, &unknown).ok());
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0], "ELECTRUM_NO_SUCH_FLAG");
}

TEST(EnvFlagsTest, CommandLineWinsOverEnvironment) {
  setenv("ELECTRUM_ENV_FLAGS_TEST_NAME", "from-env", 1);
  char program[] = "program";
  char flag[] = "--env_flags_test_name=from-command-line";
  char* argv[] = {program, flag, nullptr};
  ParseFlagsAndEnvironment(2, argv);
  EXPECT_EQ(absl::GetFlag(FLAGS_env_flags_test_name), "from-command-line");
  unsetenv("ELECTRUM_ENV_FLAGS_TEST_NAME");
}

}  // namespace
}  // namespace electrum
