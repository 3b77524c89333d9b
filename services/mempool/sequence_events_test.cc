// Parsing Core's `sequence` bodies and turning runs of them into changes or
// a resync.
#include "services/mempool/sequence_events.h"

#include "gtest/gtest.h"

namespace electrum::mempool {
namespace {

chain::Bytes Body(uint8_t tag, char label, std::optional<uint64_t> sequence) {
  chain::Bytes body(32, 0);
  body[0] = tag;  // display order: this is the last internal byte
  body.push_back(static_cast<uint8_t>(label));
  if (sequence) {
    for (int i = 0; i < 8; ++i) body.push_back(static_cast<uint8_t>(*sequence >> (8 * i)));
  }
  return body;
}

chain::TxId Txid(uint8_t tag) {
  std::array<uint8_t, 32> internal{};
  internal[31] = tag;
  return chain::TxId(internal);
}

SequenceEvent Parse(uint8_t tag, char label, std::optional<uint64_t> sequence) {
  auto event = ParseSequenceEvent(Body(tag, label, sequence));
  EXPECT_TRUE(event.ok()) << event.status();
  return *event;
}

TEST(ParseSequenceEventTest, ReadsEveryLabel) {
  SequenceEvent added = Parse(7, 'A', 0x0102030405060708);
  EXPECT_EQ(added.kind, SequenceEvent::Kind::kAdded);
  EXPECT_EQ(chain::TxId(added.hash), Txid(7));
  EXPECT_EQ(added.mempool_sequence, 0x0102030405060708u);
  EXPECT_EQ(Parse(1, 'R', 9).kind, SequenceEvent::Kind::kRemoved);
  EXPECT_EQ(Parse(1, 'C', std::nullopt).kind, SequenceEvent::Kind::kBlockConnected);
  EXPECT_FALSE(Parse(1, 'D', std::nullopt).mempool_sequence.has_value());
}

TEST(ParseSequenceEventTest, RefusesMalformedBodies) {
  EXPECT_FALSE(ParseSequenceEvent(chain::Bytes(10, 0)).ok());
  EXPECT_FALSE(ParseSequenceEvent(Body(1, 'X', 1)).ok());
  EXPECT_FALSE(ParseSequenceEvent(Body(1, 'A', std::nullopt)).ok()) << "A needs a number";
  EXPECT_FALSE(ParseSequenceEvent(Body(1, 'C', 5)).ok()) << "C has none";
}

TEST(SequenceEventsTest, ConsecutiveEventsBecomeChangesLastWordWins) {
  SequenceEvents events;
  EXPECT_TRUE(events.needs_full_resync()) << "nothing mirrored yet";
  events.StartFullResync();
  events.Add(Parse(1, 'A', 10));
  events.Add(Parse(2, 'A', 11));
  events.Add(Parse(1, 'R', 12));
  events.Add(Parse(3, 'R', 13));
  EXPECT_FALSE(events.needs_full_resync());
  SequenceEvents::Changes changes = events.Take();
  EXPECT_EQ(changes.added, std::vector<chain::TxId>({Txid(2)}));
  std::sort(changes.removed.begin(), changes.removed.end());
  EXPECT_EQ(changes.removed, std::vector<chain::TxId>({Txid(1), Txid(3)}));
  EXPECT_TRUE(events.Take().added.empty());
}

TEST(SequenceEventsTest, GapsAndBlocksAskForAFullResync) {
  SequenceEvents gap;
  gap.StartFullResync();
  gap.Add(Parse(1, 'A', 10));
  gap.Add(Parse(2, 'A', 12));  // 11 was lost
  EXPECT_TRUE(gap.needs_full_resync());

  SequenceEvents block;
  block.StartFullResync();
  block.Add(Parse(1, 'A', 10));
  block.Add(Parse(9, 'C', std::nullopt));
  EXPECT_TRUE(block.needs_full_resync());
  block.StartFullResync();
  EXPECT_FALSE(block.needs_full_resync());
  EXPECT_TRUE(block.Take().added.empty()) << "covered by the resync";
}

}  // namespace
}  // namespace electrum::mempool
