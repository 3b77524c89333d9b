// Name index keys (spec §6.3) on the spec's example and real Namecoin
// mainnet name transactions.
#include "common/chain/name_index.h"

#include <string>

#include "common/chain/address.h"
#include "common/chain/coins.h"
#include "common/chain/electrum_hashes.h"
#include "common/crypto/hex.h"
#include "common/testing/testdata.h"
#include "gtest/gtest.h"

namespace electrum::chain {
namespace {

ByteSpan Span(const std::string& text) {
  return ByteSpan(reinterpret_cast<const uint8_t*>(text.data()), text.size());
}

TEST(NameIndexTest, SpecExampleScript) {
  EXPECT_EQ(ToHex(NameIndexScript(Span("d/bitcoin"))), "5309642f626974636f696e006d756a");
}

TEST(NameIndexTest, LongNamesUsePushData) {
  const std::string name(100, 'x');
  const Bytes script = NameIndexScript(Span(name));
  ASSERT_EQ(script.size(), 1 + 2 + 100 + 1 + 3u);
  EXPECT_EQ(script[1], 0x4c);
  EXPECT_EQ(script[2], 100);
}

TEST(NameIndexTest, RealNamecoinOutputsAreKeyedByOwnerAndName) {
  const CoinParams& namecoin = **FindCoin("Namecoin", "mainnet");
  const TxFormat& format = namecoin.block_format.tx;
  ASSERT_TRUE(format.name_operations);
  int named = 0;
  for (const std::string& file : testing::ListTestData("transactions")) {
    if (!file.starts_with("namecoin")) continue;
    const nlohmann::json expected = testing::ReadTestJson("transactions/" + file);
    Bytes raw = testing::HexBytes(expected["hex"]);
    absl::StatusOr<Transaction> tx = ParseTransaction(raw, format);
    ASSERT_TRUE(tx.ok()) << file << ": " << tx.status();
    for (size_t i = 0; i < tx->outputs.size(); ++i) {
      SCOPED_TRACE(file + " output " + std::to_string(i));
      const nlohmann::json& script = expected["vout"][i]["scriptPubKey"];
      const OutputIndexKeys keys = IndexKeysOf(tx->outputs[i].script_pubkey, format);
      // The owner key is the hash of the recorded owner address's script.
      Bytes owner_script =
          AddressToScript(namecoin.addresses, script["address"].get<std::string>()).value();
      EXPECT_EQ(keys.owner, ScriptHashOf(owner_script));
      const bool has_name = script.contains("nameOp") && script["nameOp"].contains("name");
      ASSERT_EQ(keys.name.has_value(), has_name);
      if (!has_name) continue;
      ++named;
      const std::string name = script["nameOp"]["name"];
      EXPECT_EQ(*keys.name, ScriptHashOf(NameIndexScript(Span(name))));
    }
  }
  EXPECT_GE(named, 1);
}

TEST(NameIndexTest, CoinsWithoutNamesHashTheWholeScript) {
  // A NAME_UPDATE-shaped script on Bitcoin is just a script.
  Bytes script = {0x53, 0x01, 0x61, 0x01, 0x62, 0x6d, 0x75, 0x76, 0xa9};
  const OutputIndexKeys keys = IndexKeysOf(script, TxFormat{});
  EXPECT_EQ(keys.owner, ScriptHashOf(script));
  EXPECT_FALSE(keys.name.has_value());
}

}  // namespace
}  // namespace electrum::chain
