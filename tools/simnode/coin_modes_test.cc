// simnode's Namecoin (AuxPoW, name operations) and Dash (DIP 4 coinbase)
// modes, checked with the project's own parsers.
#include <filesystem>

#include "common/chain/address.h"
#include "common/chain/block.h"
#include "common/chain/dash_payload.h"
#include "common/chain/name_script.h"
#include "common/crypto/hex.h"
#include "common/crypto/sha256.h"
#include "gtest/gtest.h"
#include "tools/simnode/block_assembler.h"
#include "tools/simnode/node.h"
#include "tools/simnode/rpc_dispatcher.h"
#include "tools/simnode/tx_builder.h"
#include "tools/simnode/workload.h"

namespace electrum::simnode {
namespace {

std::unique_ptr<Node> OpenNode(const char* coin, const std::string& data_dir = "") {
  auto node = Node::Open(
      {.coin = FindSimCoin(coin).value(), .data_dir = data_dir, .mock_time = 1700000000}, nullptr);
  EXPECT_TRUE(node.ok()) << node.status();
  return std::move(*node);
}

TEST(CoinModesTest, NamecoinBlocksCarryAuxPow) {
  auto node = OpenNode("namecoin");
  EXPECT_EQ(node->chain().Tip()->hash, node->coin().params->genesis_hash);
  ASSERT_TRUE(node->Generate(3, P2pkhScript(Bytes(20, 1))).ok());
  for (int height = 1; height <= 3; ++height) {
    const BlockEntry* entry = node->chain().AtHeight(height);
    auto block = chain::ParseBlock(entry->raw, node->coin().params->block_format);
    ASSERT_TRUE(block.ok()) << block.status();
    ASSERT_TRUE(block->auxpow.has_value());
    EXPECT_EQ(block->header.version & 0x100, 0x100);
    EXPECT_EQ(block->header.version >> 16, 1) << "Namecoin's chain id";
    EXPECT_EQ(entry->hash, block->header.Sha256dHash()) << "hash of the 80-byte header only";
    // The parent block commits to this block and carries the work.
    const auto& script = block->auxpow->parent_coinbase.inputs[0].script_sig;
    std::string script_hex = ToHex(script);
    EXPECT_EQ(script_hex.substr(0, 8), "fabe6d6d");
    EXPECT_EQ(script_hex.substr(8, 64), entry->hash.ToDisplayHex());
    EXPECT_LE(block->auxpow->parent_header.Sha256dHash().internal()[31], 0x7f);
    EXPECT_EQ(block->auxpow->parent_header.merkle_root.internal(),
              block->auxpow->parent_coinbase.txid.internal());
  }
}

TEST(CoinModesTest, NamecoinWorkloadWritesNameOperations) {
  auto node = OpenNode("namecoin");
  WorkloadGenerator generator({.seed = 4, .blocks = 4, .transactions_per_block = 300});
  ASSERT_TRUE(generator.Run(*node).ok());
  int first_updates = 0, updates = 0;
  for (int height = 1; height <= node->chain().Height(); ++height) {
    for (const auto& tx : node->chain().AtHeight(height)->block.transactions) {
      for (const auto& output : tx.outputs) {
        auto name = chain::ParseNameScript(output.script_pubkey);
        if (!name) continue;
        EXPECT_EQ(tx.version, kNamecoinTxVersion);
        std::string text(name->name.begin(), name->name.end());
        EXPECT_EQ(text.rfind("d/simnode-", 0), 0u) << text;
        EXPECT_FALSE(name->address_script.empty());
        (name->op == chain::NameOp::kFirstUpdate ? first_updates : updates)++;
      }
    }
  }
  EXPECT_GT(first_updates, 10);
  EXPECT_GT(updates, 0);
}

TEST(CoinModesTest, DashCoinbaseIsACbTx) {
  auto node = OpenNode("dash");
  EXPECT_EQ(node->chain().Tip()->hash.ToDisplayHex(),
            "000008ca1832a4baf228eb1553c03d3a2c8e02399550dd6ea8d65cec3ef23d2e");
  ASSERT_TRUE(node->Generate(2, P2pkhScript(Bytes(20, 1))).ok());
  for (int height = 1; height <= 2; ++height) {
    const auto& coinbase = node->chain().AtHeight(height)->block.transactions[0];
    EXPECT_EQ(coinbase.version, 3);
    EXPECT_EQ(coinbase.dash_type, 5);
    EXPECT_EQ(coinbase.flags, 0) << "no segwit on Dash";
    auto fields = chain::DecodeDashPayload(coinbase.dash_type, coinbase.dash_payload);
    ASSERT_TRUE(fields.ok()) << fields.status();
    bool saw_height = false;
    for (const auto& field : *fields) {
      if (field.name == "height") {
        EXPECT_EQ(std::get<uint64_t>(field.value), static_cast<uint64_t>(height));
        saw_height = true;
      }
    }
    EXPECT_TRUE(saw_height);
  }
  EXPECT_EQ(node->chain().AtHeight(1)->block.header.prev_hash,
            chain::BlockHash::FromDisplayHex(
                "000008ca1832a4baf228eb1553c03d3a2c8e02399550dd6ea8d65cec3ef23d2e")
                .value());
}

TEST(CoinModesTest, DashWorkloadUsesNoSegwit) {
  auto node = OpenNode("dash");
  WorkloadGenerator generator({.seed = 2, .blocks = 2, .transactions_per_block = 200});
  ASSERT_TRUE(generator.Run(*node).ok());
  size_t transactions = 0;
  for (int height = 1; height <= node->chain().Height(); ++height) {
    for (const auto& tx : node->chain().AtHeight(height)->block.transactions) {
      ++transactions;
      EXPECT_EQ(tx.flags, 0);
      for (const auto& output : tx.outputs) {
        const uint8_t first = output.script_pubkey[0];
        EXPECT_TRUE(first == 0x76 || first == 0xa9 || first == 0x6a) << ToHex(output.script_pubkey);
      }
    }
  }
  EXPECT_GT(transactions, 400u);
}

TEST(CoinModesTest, ADataDirKeepsItsCoin) {
  const std::string dir = std::string(std::getenv("TEST_TMPDIR")) + "/coin-dir";
  std::filesystem::remove_all(dir);
  { OpenNode("bitcoin", dir); }
  auto other = Node::Open({.coin = FindSimCoin("dash").value(), .data_dir = dir}, nullptr);
  EXPECT_EQ(other.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(FindSimCoin("litecoin").ok());
}

}  // namespace
}  // namespace electrum::simnode

namespace electrum::simnode {
namespace {

TEST(CoinModesTest, DashMasternodeAndProTxFixtures) {
  auto node = OpenNode("dash");
  ASSERT_TRUE(node->Generate(3, P2pkhScript(Bytes(20, 1))).ok());
  RpcDispatcher dispatcher({.node = node.get()});
  auto call = [&](const std::string& method, nlohmann::json params) {
    return dispatcher.Call(method, params);
  };
  auto status = call("masternodelist", {"status"});
  ASSERT_TRUE(std::holds_alternative<nlohmann::json>(status));
  const auto& statuses = std::get<nlohmann::json>(status);
  EXPECT_EQ(statuses.size(), 3u);
  EXPECT_EQ(statuses["aaaa000000000000000000000000000000000000000000000000000000000001-0"],
            "ENABLED");
  auto full = std::get<nlohmann::json>(call("masternodelist", {"full"}));
  // status protocol payee lastseen activeseconds lastpaidtime lastpaidblock ip
  std::string first = full.begin().value();
  EXPECT_EQ(std::count(first.begin(), first.end(), ' '), 7);
  // The payee is a real Dash regtest address.
  std::string payee = first.substr(first.find(' ', first.find(' ') + 1) + 1);
  payee = payee.substr(0, payee.find(' '));
  EXPECT_TRUE(chain::AddressToScript(node->coin().params->addresses, payee).ok()) << payee;

  auto diff = std::get<nlohmann::json>(call("protx", {"diff", 1, 3}));
  EXPECT_EQ(diff["blockHash"], node->chain().AtHeight(3)->hash.ToDisplayHex());
  EXPECT_EQ(diff["mnList"].size(), 3u);
  auto info = std::get<nlohmann::json>(
      call("protx", {"info", "2222222222222222222222222222222222222222222222222222222222222222"}));
  EXPECT_EQ(info["collateralIndex"], 1);
  EXPECT_TRUE(std::holds_alternative<RpcError>(call("protx", {"info", "00"})));
  EXPECT_TRUE(std::get<nlohmann::json>(call("masternodebroadcast", {"relay", "00ff"})));
  EXPECT_EQ(std::get<RpcError>(call("masternodebroadcast", {"relay", "zz"})).code, -22);

  // Bitcoin mode has no Dash methods.
  auto bitcoin = OpenNode("bitcoin");
  RpcDispatcher plain({.node = bitcoin.get()});
  EXPECT_EQ(std::get<RpcError>(plain.Call("masternodelist", nlohmann::json::array())).code, -32601);
}

}  // namespace
}  // namespace electrum::simnode
