#include "common/config/stack_flags.h"

#include <algorithm>

#include "gtest/gtest.h"

namespace electrum {
namespace {

TEST(StackFlagsTest, SortedAndUniqueSoLookupsWork) {
  const std::vector<absl::string_view>& names = StackFlagNames();
  ASSERT_FALSE(names.empty());
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
  for (absl::string_view name : names) EXPECT_TRUE(IsStackFlag(name)) << name;
}

TEST(StackFlagsTest, OneComponentsFlagIsAStackFlag) {
  EXPECT_TRUE(IsStackFlag("max_sessions"));  // gateway
  EXPECT_TRUE(IsStackFlag("database_url"));  // services
  EXPECT_TRUE(IsStackFlag("rpcport"));       // simnode
  EXPECT_TRUE(IsStackFlag("node_url"));      // services that talk to the node
  EXPECT_FALSE(IsStackFlag("max_session"));
  EXPECT_FALSE(IsStackFlag("data_dir"));
}

TEST(StackFlagsTest, NearestFlagSuggestsTypoFixes) {
  EXPECT_EQ(NearestStackFlag("max_sesion"), "max_sessions");
  EXPECT_EQ(NearestStackFlag("databse_url"), "database_url");
  EXPECT_EQ(NearestStackFlag("max_sessions"), "max_sessions");
  EXPECT_EQ(NearestStackFlag("completely_different"), std::nullopt);
}

}  // namespace
}  // namespace electrum
