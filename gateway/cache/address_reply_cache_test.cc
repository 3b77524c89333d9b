#include "gateway/cache/address_reply_cache.h"

#include <grpcpp/grpcpp.h>

#include "gtest/gtest.h"

namespace electrum::gateway {
namespace {

chain::ScriptHash Hash(uint8_t tag) {
  std::array<uint8_t, 32> bytes{};
  bytes[0] = tag;
  return chain::ScriptHash(bytes);
}

const StatusBytes kStatus(32, 'a');
const StatusBytes kOtherStatus(32, 'b');

class SessionSubscriber : public ScriptHashSubscriber {
 public:
  void OnScriptHashStatus(const chain::ScriptHash&, const StatusBytes&) override {}
};

// The hub is never started: the tests deliver statuses and stream ends to
// the cache themselves, as the hub's stream thread would.
class AddressReplyCacheTest : public testing::Test {
 protected:
  AddressReplyCacheTest()
      : stub_(v1::AddressHistoryService::NewStub(
            grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials()))),
        hub_({}, *stub_) {}

  // Asks twice (admission), then delivers the watch's first status.
  AddressReplyCache::Ticket Admit(AddressReplyCache& cache, const chain::ScriptHash& scripthash) {
    EXPECT_FALSE(cache.Prepare(scripthash).has_value());  // first request: not admitted
    EXPECT_FALSE(cache.Prepare(scripthash).has_value());  // admitted, status not yet known
    EXPECT_TRUE(hub_.Watches(scripthash));
    cache.OnStatus(scripthash, kStatus);
    std::optional<AddressReplyCache::Ticket> ticket = cache.Prepare(scripthash);
    EXPECT_TRUE(ticket.has_value());
    return ticket.value_or(AddressReplyCache::Ticket{scripthash, 0});
  }

  std::unique_ptr<v1::AddressHistoryService::StubInterface> stub_;
  WatchHub hub_;
};

TEST_F(AddressReplyCacheTest, KeepsRepliesReadAfterTheStatusWasKnown) {
  AddressReplyCache cache({}, hub_);
  const chain::ScriptHash scripthash = Hash(1);
  EXPECT_FALSE(cache.Find(scripthash, AddressQuery::kBalance).has_value());
  const AddressReplyCache::Ticket ticket = Admit(cache, scripthash);
  cache.Store(ticket, AddressQuery::kBalance, {R"({"confirmed":5,"unconfirmed":0})", 0});
  cache.Store(ticket, AddressQuery::kHistory, {"[]", 0.1});
  std::optional<CachedReply> balance = cache.Find(scripthash, AddressQuery::kBalance);
  ASSERT_TRUE(balance.has_value());
  EXPECT_EQ(balance->json, R"({"confirmed":5,"unconfirmed":0})");
  ASSERT_TRUE(cache.Find(scripthash, AddressQuery::kHistory).has_value());
  EXPECT_EQ(cache.Find(scripthash, AddressQuery::kHistory)->extra_cost, 0.1);
  EXPECT_FALSE(cache.Find(scripthash, AddressQuery::kUnspent).has_value());
  EXPECT_FALSE(cache.Find(Hash(2), AddressQuery::kBalance).has_value());
}

TEST_F(AddressReplyCacheTest, AStatusDropsRepliesAndRefusesReadsInFlight) {
  AddressReplyCache cache({}, hub_);
  const chain::ScriptHash scripthash = Hash(1);
  const AddressReplyCache::Ticket before = Admit(cache, scripthash);
  cache.Store(before, AddressQuery::kBalance, {"1", 0});
  // A read starts, the script hash changes, the read's (old) reply lands.
  const std::optional<AddressReplyCache::Ticket> in_flight = cache.Prepare(scripthash);
  ASSERT_TRUE(in_flight.has_value());
  cache.OnStatus(scripthash, kOtherStatus);
  EXPECT_FALSE(cache.Find(scripthash, AddressQuery::kBalance).has_value());
  cache.Store(*in_flight, AddressQuery::kBalance, {"stale", 0});
  EXPECT_FALSE(cache.Find(scripthash, AddressQuery::kBalance).has_value());
  // A read after the change is kept.
  const std::optional<AddressReplyCache::Ticket> after = cache.Prepare(scripthash);
  ASSERT_TRUE(after.has_value());
  cache.Store(*after, AddressQuery::kBalance, {"2", 0});
  EXPECT_EQ(cache.Find(scripthash, AddressQuery::kBalance)->json, "2");
}

TEST_F(AddressReplyCacheTest, AStreamEndDropsEverythingUntilStatusesReturn) {
  AddressReplyCache cache({}, hub_);
  const chain::ScriptHash scripthash = Hash(1);
  const AddressReplyCache::Ticket ticket = Admit(cache, scripthash);
  cache.Store(ticket, AddressQuery::kUnspent, {"[]", 0});
  cache.OnStreamEnded();
  EXPECT_FALSE(cache.Find(scripthash, AddressQuery::kUnspent).has_value());
  cache.Store(ticket, AddressQuery::kUnspent, {"stale", 0});
  EXPECT_FALSE(cache.Find(scripthash, AddressQuery::kUnspent).has_value());
  // Changes may have been missed: nothing is kept until the next stream
  // delivers the status again.
  EXPECT_FALSE(cache.Prepare(scripthash).has_value());
  cache.OnStatus(scripthash, kStatus);
  EXPECT_TRUE(cache.Prepare(scripthash).has_value());
}

TEST_F(AddressReplyCacheTest, AnEmptyStatusStopsCachingTheScriptHash) {
  AddressReplyCache cache({}, hub_);
  const chain::ScriptHash scripthash = Hash(1);
  const AddressReplyCache::Ticket ticket = Admit(cache, scripthash);
  cache.Store(ticket, AddressQuery::kBalance, {"1", 0});
  // No history, or a history the service stopped watching (too large).
  cache.OnStatus(scripthash, "");
  EXPECT_FALSE(cache.Find(scripthash, AddressQuery::kBalance).has_value());
  EXPECT_FALSE(hub_.Watches(scripthash));
  EXPECT_EQ(cache.scripthashes(), 0u);
  EXPECT_EQ(cache.bytes(), 0u);
}

TEST_F(AddressReplyCacheTest, EvictsLeastRecentlyUsedAndStopsWatchingThem) {
  AddressReplyCache cache({.max_bytes = 1000}, hub_);
  const AddressReplyCache::Ticket first = Admit(cache, Hash(1));
  cache.Store(first, AddressQuery::kHistory, {std::string(300, 'x'), 0});
  const AddressReplyCache::Ticket second = Admit(cache, Hash(2));
  cache.Store(second, AddressQuery::kHistory, {std::string(300, 'y'), 0});
  ASSERT_TRUE(cache.Find(Hash(1), AddressQuery::kHistory).has_value());  // 1 is now recent
  const AddressReplyCache::Ticket third = Admit(cache, Hash(3));
  cache.Store(third, AddressQuery::kHistory, {std::string(300, 'z'), 0});
  EXPECT_LE(cache.bytes(), 1000u);
  EXPECT_TRUE(cache.Find(Hash(1), AddressQuery::kHistory).has_value());
  EXPECT_FALSE(cache.Find(Hash(2), AddressQuery::kHistory).has_value());
  EXPECT_FALSE(hub_.Watches(Hash(2)));
  EXPECT_TRUE(cache.Find(Hash(3), AddressQuery::kHistory).has_value());
  // A reply larger than the whole budget is not kept.
  const std::optional<AddressReplyCache::Ticket> big = cache.Prepare(Hash(1));
  ASSERT_TRUE(big.has_value());
  cache.Store(*big, AddressQuery::kBalance, {std::string(2000, 'w'), 0});
  EXPECT_LE(cache.bytes(), 1000u);
}

TEST_F(AddressReplyCacheTest, AScriptHashASessionWatchesIsAdmittedAtOnce) {
  AddressReplyCache cache({}, hub_);
  auto session = std::make_shared<SessionSubscriber>();
  ASSERT_TRUE(hub_.Subscribe(Hash(1), session).ok());
  EXPECT_FALSE(cache.Prepare(Hash(1)).has_value());  // admitted; status not delivered yet
  EXPECT_EQ(cache.scripthashes(), 1u);
  cache.OnStatus(Hash(1), kStatus);
  EXPECT_TRUE(cache.Prepare(Hash(1)).has_value());
  // The session's watch outlives the cache's.
  cache.OnStatus(Hash(1), "");
  EXPECT_TRUE(hub_.Watches(Hash(1)));
}

TEST_F(AddressReplyCacheTest, ZeroBytesTurnsTheCacheOff) {
  AddressReplyCache cache({.max_bytes = 0}, hub_);
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(cache.Prepare(Hash(1)).has_value());
  EXPECT_FALSE(hub_.Watches(Hash(1)));
}

}  // namespace
}  // namespace electrum::gateway
