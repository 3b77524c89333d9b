// simnode with bounded memory (--resident_blocks): blocks deep below the tip
// drop their contents and are read back from the chain log, also after a
// restart, and reorgs that would need their undo data are refused.
#include <filesystem>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tools/simnode/node.h"
#include "tools/simnode/tx_builder.h"

namespace electrum::simnode {
namespace {

constexpr int kResident = 3;
const Bytes kMinerScript = P2wpkhScript(Bytes(20, 0x33));

NodeOptions Options(const std::string& dir) {
  return {.data_dir = dir, .mock_time = 1700000000, .resident_blocks = kResident};
}

void ExpectContentsRead(const Node& node, const std::vector<Bytes>& mined) {
  for (int height = 1; height <= node.chain().Height(); ++height) {
    const BlockEntry& entry = *node.chain().AtHeight(height);
    EXPECT_EQ(entry.paged_out, height <= node.chain().Height() - kResident) << height;
    EXPECT_EQ(entry.tx_count, 1u);
    absl::StatusOr<BlockContents> contents = node.chain().Contents(entry);
    ASSERT_TRUE(contents.ok()) << contents.status();
    EXPECT_EQ(Bytes(contents->raw.begin(), contents->raw.end()), mined[height]) << height;
    const TxId& coinbase = contents->block->transactions[0].txid;
    auto location = node.chain().FindTransaction(coinbase);
    ASSERT_TRUE(location.has_value());
    EXPECT_EQ(location->block, &entry);
    absl::StatusOr<BlockContents> bytes = node.chain().Contents(entry, /*parsed=*/false);
    ASSERT_TRUE(bytes.ok()) << bytes.status();
    EXPECT_EQ(Bytes(bytes->raw.begin(), bytes->raw.end()), mined[height]);
    // The header stays usable.
    EXPECT_EQ(entry.block.header.Sha256dHash(), entry.hash);
  }
}

TEST(ResidentBlocksTest, OldBlocksAreReadBackFromTheChainLog) {
  const std::string dir = std::string(std::getenv("TEST_TMPDIR")) + "/simnode-resident";
  std::filesystem::remove_all(dir);
  std::vector<Bytes> mined(1);
  {
    auto node = Node::Open(Options(dir), nullptr);
    ASSERT_TRUE(node.ok()) << node.status();
    for (int i = 0; i < 10; ++i) {
      ASSERT_TRUE((*node)->Generate(1, kMinerScript).ok());
      mined.push_back((*node)->chain().Tip()->raw);
    }
    ExpectContentsRead(**node, mined);
    // Reaching below the window would need undo data that is gone.
    const BlockHash deep = (*node)->chain().AtHeight(5)->hash;
    EXPECT_EQ((*node)->InvalidateBlock(deep).code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ((*node)->chain().Height(), 10);
    // Within it, reorgs work as before.
    ASSERT_TRUE((*node)->InvalidateBlock((*node)->chain().AtHeight(9)->hash).ok());
    EXPECT_EQ((*node)->chain().Height(), 8);
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE((*node)->Generate(1, kMinerScript).ok());
      mined.resize((*node)->chain().Height());
      mined.push_back((*node)->chain().Tip()->raw);
    }
    ExpectContentsRead(**node, mined);
  }
  auto reopened = Node::Open(Options(dir), nullptr);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ((*reopened)->chain().Height(), 11);
  ExpectContentsRead(**reopened, mined);
}

}  // namespace
}  // namespace electrum::simnode
