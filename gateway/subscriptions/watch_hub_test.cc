#include "gateway/subscriptions/watch_hub.h"

#include <grpcpp/grpcpp.h>

#include "gtest/gtest.h"

namespace electrum::gateway {
namespace {

class RecordingSubscriber : public ScriptHashSubscriber {
 public:
  void OnScriptHashStatus(const chain::ScriptHash&, const StatusBytes&) override {}
};

chain::ScriptHash Hash(uint8_t tag) {
  std::array<uint8_t, 32> bytes{};
  bytes[0] = tag;
  return chain::ScriptHash(bytes);
}

TEST(WatchHubTest, DistinctScriptHashesAreCappedAcrossSubscribers) {
  // Never called: the hub is not started.
  auto stub = v1::AddressHistoryService::NewStub(
      grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials()));
  WatchHub hub({.max_watched = 2}, *stub);
  auto first = std::make_shared<RecordingSubscriber>();
  auto second = std::make_shared<RecordingSubscriber>();
  EXPECT_TRUE(hub.Subscribe(Hash(1), first).ok());
  EXPECT_TRUE(hub.Subscribe(Hash(2), first).ok());
  // Another subscriber of a watched script hash is no new watch.
  EXPECT_TRUE(hub.Subscribe(Hash(2), second).ok());
  auto refused = hub.Subscribe(Hash(3), second);
  EXPECT_EQ(refused.status(), absl::ResourceExhaustedError("Subscription limit reached"));
  EXPECT_EQ(hub.watched(), 2u);
  // Unwatching makes room.
  hub.Unsubscribe(Hash(1), first.get());
  EXPECT_TRUE(hub.Subscribe(Hash(3), second).ok());
}

}  // namespace
}  // namespace electrum::gateway
