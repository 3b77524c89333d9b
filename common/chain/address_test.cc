// Base58, Bech32 and address <-> script conversion against shared vectors.
#include "common/chain/address.h"

#include "common/chain/base58.h"
#include "common/chain/bech32.h"
#include "common/chain/electrum_hashes.h"
#include "common/crypto/hex.h"
#include "common/testing/testdata.h"
#include "gtest/gtest.h"

namespace electrum::chain {
namespace {

using testing::HexBytes;
using testing::ReadTestJson;

TEST(Base58Test, ElectrumxVectors) {
  nlohmann::json vectors = ReadTestJson("electrumx/hash_base58.json");
  for (const auto& vector : vectors["base58_decode"]) {
    absl::StatusOr<Bytes> decoded = Base58Decode(vector["input"].get<std::string>());
    ASSERT_TRUE(decoded.ok()) << vector["input"];
    EXPECT_EQ(ToHex(*decoded), vector["expected_hex"]);
  }
  for (const auto& bad : vectors["base58_decode_errors"]) {
    EXPECT_FALSE(Base58Decode(bad.get<std::string>()).ok()) << bad;
  }
  for (const auto& vector : vectors["base58_encode"]) {
    EXPECT_EQ(Base58Encode(HexBytes(vector["input_hex"])), vector["expected"]);
  }
  const auto& check = vectors["base58check_double_sha256"];
  EXPECT_EQ(Base58CheckEncode(HexBytes(check[0]["input_hex"])), check[0]["encoded"]);
  EXPECT_EQ(ToHex(Base58CheckDecode(check[0]["encoded"].get<std::string>()).value()),
            check[0]["input_hex"]);
  EXPECT_FALSE(Base58CheckDecode(check[1]["bad_checksum"].get<std::string>()).ok());
}

TEST(Base58Test, OverlongInputIsRejected) {
  EXPECT_FALSE(Base58Decode(std::string(kMaxBase58Length + 1, '2')).ok());
}

TEST(AddressTest, ElectrumMainnetAddressesGiveTheirScriptHashes) {
  const AddressPrefixes& prefixes = BitcoinMainnet().addresses;
  const nlohmann::json data = ReadTestJson("electrum/address_to_scripthash.json");
  for (const auto& vector : data["vectors"]) {
    std::string address = vector["address"];
    absl::StatusOr<Bytes> script = AddressToScript(prefixes, address);
    ASSERT_TRUE(script.ok()) << address << ": " << script.status();
    EXPECT_EQ(ScriptHashOf(*script).ToDisplayHex(), vector["scripthash"]) << address;
    EXPECT_EQ(ScriptToAddress(prefixes, *script).value(), address);
  }
}

TEST(AddressTest, LitecoinBase58AddressesCarryTheirHash160) {
  const AddressPrefixes& prefixes = (*FindCoin("Litecoin", "mainnet"))->addresses;
  int checked = 0;
  const nlohmann::json data = ReadTestJson("electrumx/address_to_hashx.json");
  for (const auto& vector : data["vectors"]) {
    if (vector["coin"].get<std::string>() != "Litecoin") continue;
    std::string address = vector["address"];
    absl::StatusOr<Bytes> script = AddressToScript(prefixes, address);
    ASSERT_TRUE(script.ok()) << address << ": " << script.status();
    EXPECT_NE(ToHex(*script).find(vector["hash160"].get<std::string>()), std::string::npos);
    EXPECT_EQ(ScriptToAddress(prefixes, *script).value(), address);
    ++checked;
  }
  EXPECT_EQ(checked, 2);
}

TEST(AddressTest, RegtestBech32FromTheSpecExample) {
  nlohmann::json example = ReadTestJson("protocol/status_example_regtest.json");
  absl::StatusOr<Bytes> script =
      AddressToScript(BitcoinRegtest().addresses, example["address"].get<std::string>());
  ASSERT_TRUE(script.ok()) << script.status();
  EXPECT_EQ(ToHex(*script), example["scriptPubKey"]);
  EXPECT_EQ(ScriptToAddress(BitcoinRegtest().addresses, *script).value(), example["address"]);
}

TEST(Bech32Test, Bip350Vectors) {
  // BIP 350 test vectors (mainnet v1 taproot and v16).
  struct Vector {
    const char* address;
    const char* script;
  };
  for (const Vector& vector :
       {Vector{"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
               "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433"
               "bd6"},
        Vector{"BC1SW50QGDZ25J", "6002751e"},
        Vector{"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
               "0014751e76e8199196d454941c45d1b3a323f1433bd6"}}) {
    absl::StatusOr<Bytes> script = AddressToScript(BitcoinMainnet().addresses, vector.address);
    ASSERT_TRUE(script.ok()) << vector.address << ": " << script.status();
    EXPECT_EQ(ToHex(*script), vector.script);
  }
}

TEST(Bech32Test, InvalidAddressesAreRejected) {
  for (const char* bad : {
           // v0 with the Bech32m checksum, v1 with the Bech32 checksum (BIP 350).
           "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
           "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
           // Mixed case, wrong prefix, bad character, zero padding violation.
           "bc1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
           "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx",
           "bc1qw508d6qejxtdg4y5r3zarvaryb0c5xw7kv8f3t4",
           "bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du",
       }) {
    EXPECT_FALSE(AddressToScript(BitcoinMainnet().addresses, bad).ok()) << bad;
  }
}

TEST(AddressTest, ScriptsWithoutAddressForm) {
  Bytes op_return = {0x6a, 0x01, 0x00};
  EXPECT_EQ(ScriptToAddress(BitcoinMainnet().addresses, op_return).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace electrum::chain
