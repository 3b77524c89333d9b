#include "gateway/session/ban_list.h"

#include "gtest/gtest.h"

namespace electrum::gateway {
namespace {

namespace ip = boost::asio::ip;

TEST(BanListTest, SubnetsAndSingleAddresses) {
  BanList bans;
  EXPECT_EQ(*bans.Ban("203.0.113.77/24"), "203.0.113.0/24");
  EXPECT_EQ(*bans.Ban("198.51.100.7"), "198.51.100.7/32");
  EXPECT_EQ(*bans.Ban("2001:db8:1:2::9/48"), "2001:db8:1::/48");
  EXPECT_TRUE(bans.IsBanned(ip::make_address("203.0.113.1")));
  EXPECT_TRUE(bans.IsBanned(ip::make_address("::ffff:203.0.113.200")));
  EXPECT_FALSE(bans.IsBanned(ip::make_address("203.0.114.1")));
  EXPECT_TRUE(bans.IsBanned(ip::make_address("198.51.100.7")));
  EXPECT_FALSE(bans.IsBanned(ip::make_address("198.51.100.8")));
  EXPECT_TRUE(bans.IsBanned(ip::make_address("2001:db8:1:ffff::1")));
  EXPECT_FALSE(bans.IsBanned(ip::make_address("2001:db8:2::1")));
  EXPECT_EQ(bans.List().size(), 3u);
}

TEST(BanListTest, UnbanAndBadInput) {
  BanList bans;
  ASSERT_TRUE(bans.Ban("127.0.0.1").ok());
  EXPECT_TRUE(*bans.Unban("127.0.0.1/32"));
  EXPECT_FALSE(*bans.Unban("127.0.0.1"));
  EXPECT_FALSE(bans.IsBanned(ip::make_address("127.0.0.1")));
  EXPECT_EQ(bans.Ban("not an address").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bans.Ban("10.0.0.0/33").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace electrum::gateway
