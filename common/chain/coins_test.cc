// The coin table against the genesis headers in testdata/genesis.json.
#include "common/chain/coins.h"

#include <set>

#include "common/testing/testdata.h"
#include "gtest/gtest.h"

namespace electrum::chain {
namespace {

// genesis.json names Bitcoin's testnet "testnet3"; the table says "testnet".
std::string TableNetwork(const std::string& network) {
  return network == "testnet3" ? "testnet" : network;
}

TEST(CoinsTest, GenesisHeadersHashToTheTableGenesis) {
  const nlohmann::json genesis = testing::ReadTestJson("genesis.json");
  int checked = 0;
  for (const auto& entry : genesis["genesis"]) {
    std::string name = entry["coin"];
    std::string network = TableNetwork(entry["network"]);
    SCOPED_TRACE(name + "/" + network);
    absl::StatusOr<const CoinParams*> coin = FindCoin(name, network);
    ASSERT_TRUE(coin.ok()) << coin.status();
    EXPECT_EQ((*coin)->genesis_hash.ToDisplayHex(), entry["hash"]);

    Bytes raw = testing::HexBytes(entry["header"]);
    absl::StatusOr<BlockHeader> header = ParseHeader(raw);
    ASSERT_TRUE(header.ok()) << header.status();
    EXPECT_EQ(header->merkle_root.ToDisplayHex(), entry["merkle_root"]);
    EXPECT_EQ(header->nonce, entry["nonce"].get<uint32_t>());
    EXPECT_TRUE(header->prev_hash.IsZero());
    if ((*coin)->sha256d_block_hash) {
      EXPECT_EQ(header->Sha256dHash(), (*coin)->genesis_hash);
    }
    ++checked;
  }
  EXPECT_GE(checked, 9);
}

TEST(CoinsTest, TableIsConsistent) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const CoinParams* coin : AllCoins()) {
    EXPECT_TRUE(seen.insert({std::string(coin->name), std::string(coin->network)}).second)
        << coin->name << " listed twice";
    EXPECT_FALSE(coin->genesis_hash.IsZero()) << coin->name;
    EXPECT_EQ(coin->sha256d_block_hash, coin->block_hash_function == "sha256d") << coin->name;
    const bool auxpow = coin->block_format.pow_data != PowDataFormat::kNone;
    const bool auxpow_extensions = coin->extensions == ExtensionSet::kAuxPow ||
                                   coin->extensions == ExtensionSet::kAuxPowNameIndex;
    EXPECT_EQ(auxpow, auxpow_extensions) << coin->name;
  }
  EXPECT_EQ(BitcoinRegtest().addresses.bech32_hrp, "bcrt");
}

TEST(CoinsTest, LookupIsCaseInsensitiveAndErrorsListTheKnownCoins) {
  EXPECT_TRUE(FindCoin("BITCOIN", "Regtest").ok());
  absl::StatusOr<const CoinParams*> missing = FindCoin("Bitcoin", "moonnet");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("Dash/testnet"), std::string::npos);
}

}  // namespace
}  // namespace electrum::chain
