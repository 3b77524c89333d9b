#include "common/text/thousands.h"

#include "gtest/gtest.h"

namespace electrum {
namespace {

TEST(WithThousandsTest, GroupsLikePythonsCommaFormat) {
  EXPECT_EQ(WithThousands(0), "0");
  EXPECT_EQ(WithThousands(999), "999");
  EXPECT_EQ(WithThousands(1000), "1,000");
  EXPECT_EQ(WithThousands(123456789), "123,456,789");
  EXPECT_EQ(WithThousands(-1234), "-1,234");
  EXPECT_EQ(WithThousands(INT64_MIN), "-9,223,372,036,854,775,808");
}

}  // namespace
}  // namespace electrum
