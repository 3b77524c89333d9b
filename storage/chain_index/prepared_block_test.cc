// Real blocks of the coins with extensions (testdata/blocks) made
// ready for the index: the node's hash passes through, AuxPoW blocks keep
// their proof as PoW data, and every output gets its owner's script hash
// (name prefix stripped on Namecoin) plus a name key where it names one.
#include "storage/chain_index/prepared_block.h"

#include <string>

#include "common/chain/coins.h"
#include "common/chain/electrum_hashes.h"
#include "common/chain/name_script.h"
#include "common/testing/testdata.h"
#include "gtest/gtest.h"

namespace electrum::storage {
namespace {

struct CoinBlock {
  const char* file;
  const char* coin;
  bool auxpow;
};

constexpr CoinBlock kBlocks[] = {
    {"namecoin_mainnet_19200.json", "Namecoin", true},
    // Not merge-mined (version bit 8 clear): no PoW data on an AuxPoW chain.
    {"namecoin_mainnet_19204.json", "Namecoin", false},
    {"dogecoin_mainnet_371337.json", "Dogecoin", true},
    {"dash_mainnet_844898.json", "Dash", false},
    {"bitcoin_mainnet_951658.json", "Bitcoin", false},
};

TEST(PreparedBlockTest, RealBlocksOfEachCoin) {
  for (const CoinBlock& coin_block : kBlocks) {
    SCOPED_TRACE(coin_block.file);
    const chain::CoinParams& coin = **chain::FindCoin(coin_block.coin, "mainnet");
    const nlohmann::json expected = testing::ReadTestJson(std::string("blocks/") + coin_block.file);
    const chain::BlockHash hash =
        *chain::BlockHash::FromDisplayHex(expected["hash"].get<std::string>());
    absl::StatusOr<PreparedBlock> prepared =
        PrepareBlock(expected["height"].get<int32_t>(), hash,
                     testing::HexBytes(expected["block"].get<std::string>()), coin.block_format);
    ASSERT_TRUE(prepared.ok()) << prepared.status();
    EXPECT_EQ(prepared->hash, hash);
    const chain::Block& block = prepared->block;
    EXPECT_EQ(block.transactions.size(), expected["tx"].size());
    const chain::ByteSpan pow_data = chain::PowData(block);
    EXPECT_EQ(!pow_data.empty(), coin_block.auxpow);
    EXPECT_EQ(chain::kHeaderSize + pow_data.size(), block.full_header.size());
    if (coin_block.auxpow) {
      EXPECT_EQ(block.header.Sha256dHash(), hash) << "AuxPoW: hash of the 80-byte header only";
    }
    size_t index = 0, names = 0;
    for (const chain::Transaction& tx : block.transactions) {
      for (const chain::TxOutput& output : tx.outputs) {
        std::optional<chain::NameScript> name = coin.block_format.tx.name_operations
                                                    ? chain::ParseNameScript(output.script_pubkey)
                                                    : std::nullopt;
        const chain::ScriptHash owner =
            chain::ScriptHashOf(name ? name->address_script : output.script_pubkey);
        EXPECT_EQ(prepared->output_scripthashes.at(index++), owner);
        if (name && name->op != chain::NameOp::kNew) ++names;
      }
    }
    EXPECT_EQ(index, prepared->output_scripthashes.size());
    EXPECT_EQ(names, prepared->name_scripthashes.size());
  }
}

}  // namespace
}  // namespace electrum::storage
