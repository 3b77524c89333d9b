// Namecoin name scripts from real mainnet transactions (bitcoind's nameOp
// decoding and the owner address recorded beside them).
#include "common/chain/name_script.h"

#include <string>

#include "common/chain/address.h"
#include "common/chain/transaction.h"
#include "common/crypto/hex.h"
#include "common/testing/testdata.h"
#include "gtest/gtest.h"

namespace electrum::chain {
namespace {

std::string Text(ByteSpan bytes) { return std::string(bytes.begin(), bytes.end()); }

TEST(NameScriptTest, RealNamecoinOutputs) {
  const AddressPrefixes& namecoin = (*FindCoin("Namecoin", "mainnet"))->addresses;
  int name_outputs = 0;
  for (const std::string& file : testing::ListTestData("transactions")) {
    if (!file.starts_with("namecoin")) continue;
    const nlohmann::json expected = testing::ReadTestJson("transactions/" + file);
    Bytes raw = testing::HexBytes(expected["hex"]);
    absl::StatusOr<Transaction> tx = ParseTransaction(raw);
    ASSERT_TRUE(tx.ok()) << file << ": " << tx.status();
    for (size_t i = 0; i < tx->outputs.size(); ++i) {
      SCOPED_TRACE(file + " output " + std::to_string(i));
      const auto& script_json = expected["vout"][i]["scriptPubKey"];
      std::optional<NameScript> name = ParseNameScript(tx->outputs[i].script_pubkey);
      ASSERT_EQ(name.has_value(), script_json.contains("nameOp"));
      ByteSpan owner = name ? name->address_script : tx->outputs[i].script_pubkey;
      EXPECT_EQ(ScriptToAddress(namecoin, owner).value(), script_json["address"]);
      if (!name) continue;
      ++name_outputs;
      const auto& op = script_json["nameOp"];
      const std::string op_name = op["op"];
      if (op_name == "name_new") {
        EXPECT_EQ(name->op, NameOp::kNew);
        EXPECT_EQ(ToHex(name->commitment), op["hash"]);
      } else {
        EXPECT_EQ(name->op, op_name == "name_update" ? NameOp::kUpdate : NameOp::kFirstUpdate);
        EXPECT_EQ(Text(name->name), op["name"]);
        EXPECT_EQ(Text(name->value), op["value"]);
      }
    }
  }
  EXPECT_EQ(name_outputs, 5);
}

TEST(NameScriptTest, OrdinaryAndMalformedScriptsAreNotNames) {
  Bytes p2pkh = testing::HexBytes("76a9143b9cde2101e9da0fbf47d98ed859b0ad8fa886b588ac");
  EXPECT_FALSE(ParseNameScript(p2pkh).has_value());
  EXPECT_FALSE(ParseNameScript({}).has_value());
  // NAME_UPDATE whose push runs past the end.
  Bytes truncated = {0x53, 0x10, 0x61};
  EXPECT_FALSE(ParseNameScript(truncated).has_value());
  // NAME_UPDATE with the wrong drop sequence.
  Bytes wrong_drops = {0x53, 0x01, 0x61, 0x01, 0x62, 0x75, 0x6d};
  EXPECT_FALSE(ParseNameScript(wrong_drops).has_value());
}

}  // namespace
}  // namespace electrum::chain
