#include "tools/simnode/script_json.h"

#include "common/crypto/hex.h"
#include "gtest/gtest.h"

namespace electrum::simnode {
namespace {

chain::Bytes Hex(const char* hex) { return FromHex(hex).value(); }

const chain::AddressPrefixes& kRegtest = chain::BitcoinRegtest().addresses;

TEST(ScriptJsonTest, DescriptorChecksumMatchesCoreDocumentation) {
  // Examples from Bitcoin Core's doc/descriptors.md.
  EXPECT_EQ(WithDescriptorChecksum("raw(deadbeef)"), "raw(deadbeef)#89f8spxm");
  EXPECT_EQ(WithDescriptorChecksum(
                "pkh(02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5)"),
            "pkh(02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5)#8fhd9pwu");
}

TEST(ScriptJsonTest, AsmLikeCore) {
  EXPECT_EQ(ScriptAsm(Hex("76a91462e907b15cbf27d5425399ebf6f0fb50ebb88f1888ac")),
            "OP_DUP OP_HASH160 62e907b15cbf27d5425399ebf6f0fb50ebb88f18 OP_EQUALVERIFY "
            "OP_CHECKSIG");
  // Small pushes print as numbers, OP_n as digits.
  EXPECT_EQ(ScriptAsm(Hex("5200")), "2 0");
  EXPECT_EQ(ScriptAsm(Hex("03c40704")), "264132");
  EXPECT_EQ(ScriptAsm(Hex("4c")), "[error]");
  EXPECT_EQ(ScriptAsm(Hex("6a0401020304")), "OP_RETURN 67305985");
}

TEST(ScriptJsonTest, TypesAndAddresses) {
  nlohmann::json p2wpkh =
      ScriptPubKeyJson(Hex("00149f9aa3795e57c535d2f7b160ff023804c60fca6e"), kRegtest);
  EXPECT_EQ(p2wpkh["type"], "witness_v0_keyhash");
  EXPECT_EQ(p2wpkh["address"], "bcrt1qn7d2x7272lznt5hhk9s07q3cqnrqljnwladrd3");
  EXPECT_EQ(p2wpkh["desc"].get<std::string>().substr(0, 5), "addr(");
  EXPECT_EQ(ScriptType(Hex("a914a773db925b09add367dcc253c1f9bbc1d11ec6fd87")), "scripthash");
  EXPECT_EQ(ScriptType(Hex("51201111111111111111111111111111111111111111111111111111111111111111")),
            "witness_v1_taproot");
  EXPECT_EQ(ScriptType(Hex("6a")), "nulldata");
  nlohmann::json op_return = ScriptPubKeyJson(Hex("6a"), kRegtest);
  EXPECT_FALSE(op_return.contains("address"));
  EXPECT_EQ(op_return["desc"], WithDescriptorChecksum("raw(6a)"));
}

}  // namespace
}  // namespace electrum::simnode
