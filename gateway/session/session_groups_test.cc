#include "gateway/session/session_groups.h"

#include "gtest/gtest.h"

namespace electrum::gateway {
namespace {

namespace ip = boost::asio::ip;

TEST(SessionGroupsTest, KeysAreSubnets) {
  SessionGroups groups({});
  EXPECT_EQ(*groups.KeyFor(ip::make_address("203.0.113.77")), "203.0.113.0/24");
  EXPECT_EQ(*groups.KeyFor(ip::make_address("2001:db8:abcd:12::1")), "2001:db8:abcd::/48");
  EXPECT_EQ(*groups.KeyFor(ip::make_address("::ffff:203.0.113.9")), "203.0.113.0/24");
}

TEST(SessionGroupsTest, PrivateAddressesAreExemptUnlessConfigured) {
  SessionGroups groups({});
  for (const char* address :
       {"127.0.0.1", "10.1.2.3", "192.168.0.4", "172.20.0.1", "::1", "fd00::1", "fe80::1"}) {
    EXPECT_FALSE(groups.KeyFor(ip::make_address(address))) << address;
    EXPECT_EQ(groups.Join(ip::make_address(address), 1), nullptr) << address;
  }
  SessionGroups including({.group_private_addresses = true});
  EXPECT_EQ(*including.KeyFor(ip::make_address("127.0.0.1")), "127.0.0.0/24");
}

TEST(SessionGroupsTest, MembersSeeEachOthersCost) {
  SessionGroups groups({});
  auto first = groups.Join(ip::make_address("203.0.113.1"), 1);
  auto second = groups.Join(ip::make_address("203.0.113.2"), 2);
  auto elsewhere = groups.Join(ip::make_address("198.51.100.2"), 3);
  EXPECT_DOUBLE_EQ(first->Update(400), 0);
  EXPECT_DOUBLE_EQ(second->Update(100), 400);
  EXPECT_DOUBLE_EQ(elsewhere->Update(50), 0);
  EXPECT_DOUBLE_EQ(groups.GroupCost("203.0.113.0/24"), 500);
}

TEST(SessionGroupsTest, CostStaysWithTheGroupAfterLeaving) {
  SessionGroups groups({.retained_decay_per_second = 0});
  auto first = groups.Join(ip::make_address("203.0.113.1"), 1);
  first->Update(900);
  first.reset();
  auto again = groups.Join(ip::make_address("203.0.113.1"), 2);
  EXPECT_DOUBLE_EQ(again->Update(5), 900);
}

}  // namespace
}  // namespace electrum::gateway
