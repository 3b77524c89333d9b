// Electrum protocol hashes against the spec's worked examples and real data.
#include "common/chain/electrum_hashes.h"

#include <string>

#include "common/crypto/hex.h"
#include "common/testing/testdata.h"
#include "gtest/gtest.h"

namespace electrum::chain {
namespace {

using testing::HexBytes;
using testing::ReadTestJson;

std::vector<MerkleHash> DisplayHashes(const nlohmann::json& values) {
  std::vector<MerkleHash> out;
  for (const auto& value : values)
    out.push_back(MerkleHash::FromDisplayHex(value.get<std::string>()).value());
  return out;
}

TEST(ScriptHashTest, SpecVectors) {
  const nlohmann::json data = ReadTestJson("protocol/scripthash_examples.json");
  for (const auto& vector : data["vectors"]) {
    ScriptHash hash = ScriptHashOf(HexBytes(vector["script"]));
    EXPECT_EQ(hash.ToInternalHex(), vector["sha256"]);
    EXPECT_EQ(hash.ToDisplayHex(), vector["scripthash"]);
  }
}

TEST(AddressStatusTest, SpecWorkedExample) {
  nlohmann::json example = ReadTestJson("protocol/status_example_regtest.json");
  EXPECT_EQ(ScriptHashOf(HexBytes(example["scriptPubKey"])).ToDisplayHex(), example["scripthash"]);
  std::vector<StatusHistoryEntry> history;
  for (const auto& entry : example["get_history"]) {
    history.push_back({TxId::FromDisplayHex(entry["tx_hash"].get<std::string>()).value(),
                       entry["height"].get<int32_t>()});
  }
  std::optional<Sha256Digest> status = AddressStatus(history);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(ToHex(*status), example["status"]);
}

// Heights of every width (and -1), repeated and not, over enough entries to refill the
// hasher's buffer many times: the streamed hash equals the hash of the
// preimage written out whole.
TEST(AddressStatusTest, StreamedStatusEqualsHashOfWholePreimage) {
  std::vector<StatusHistoryEntry> history;
  std::string preimage;
  const int32_t heights[] = {0, -1, 7, 123456, 2147483647, -2147483647 - 1};
  for (int i = 0; i < 5000; ++i) {
    std::array<uint8_t, 32> bytes{};
    for (size_t b = 0; b < bytes.size(); ++b) bytes[b] = static_cast<uint8_t>(i * 31 + b * 7);
    const TxId txid(bytes);
    // Runs of one height, as blocks give a long history, and changes.
    const int32_t height = heights[(i / 3) % 6];
    history.push_back({txid, height});
    preimage += txid.ToDisplayHex() + ":" + std::to_string(height) + ":";
  }
  std::optional<Sha256Digest> status = AddressStatus(history);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(ToHex(*status), ToHex(Sha256(preimage)));
}

TEST(AddressStatusTest, EmptyHistoryHasNoStatus) { EXPECT_FALSE(AddressStatus({}).has_value()); }

TEST(MerkleTest, ElectrumxRootsAndBranches) {
  nlohmann::json vectors = ReadTestJson("electrumx/merkle_roots.json");
  std::vector<MerkleHash> leaves;
  for (const auto& leaf : vectors["leaves"]) {
    leaves.push_back(MerkleHash::FromInternal(HexBytes(leaf)).value());
  }
  for (size_t n = 0; n < leaves.size(); ++n) {
    std::vector<MerkleHash> prefix(leaves.begin(), leaves.begin() + n + 1);
    EXPECT_EQ(MerkleRoot(prefix).ToInternalHex(), vectors["roots"][n]) << n + 1 << " leaves";
    for (size_t m = 0; m <= n; ++m) {
      absl::StatusOr<MerkleBranch> branch = ComputeMerkleBranch(prefix, m);
      ASSERT_TRUE(branch.ok());
      std::vector<std::string> siblings;
      for (const MerkleHash& sibling : branch->siblings)
        siblings.push_back(sibling.ToInternalHex());
      EXPECT_EQ(siblings, vectors["branches"][n][m].get<std::vector<std::string>>());
      EXPECT_EQ(RootFromBranch(prefix[m], branch->siblings, m), branch->root);
    }
    // A kept tree gives the same branches and root.
    const MerkleTree tree(prefix);
    for (size_t m = 0; m <= n; ++m) {
      absl::StatusOr<MerkleBranch> branch = tree.Branch(m);
      ASSERT_TRUE(branch.ok());
      std::vector<std::string> siblings;
      for (const MerkleHash& sibling : branch->siblings)
        siblings.push_back(sibling.ToInternalHex());
      EXPECT_EQ(siblings, vectors["branches"][n][m].get<std::vector<std::string>>());
      EXPECT_EQ(branch->root.ToInternalHex(), vectors["roots"][n]);
    }
    EXPECT_FALSE(tree.Branch(n + 1).ok());
  }
  EXPECT_EQ(ComputeMerkleBranch(leaves, leaves.size()).status().code(),
            absl::StatusCode::kOutOfRange);
}

TEST(MerkleTest, SpecGetMerkleProofsAgreeOnTheBlockRoot) {
  // The example's two proofs in block 2473 must lead to one root.
  nlohmann::json example = ReadTestJson("protocol/status_example_regtest.json");
  std::vector<MerkleHash> roots_2473;
  for (const auto& proof : example["get_merkle"]) {
    MerkleHash leaf(TxId::FromDisplayHex(proof["tx_hash"].get<std::string>()).value().internal());
    MerkleHash root =
        RootFromBranch(leaf, DisplayHashes(proof["result"]["merkle"]), proof["result"]["pos"]);
    if (proof["height"].get<int>() == 2473) roots_2473.push_back(root);
  }
  ASSERT_EQ(roots_2473.size(), 2u);
  EXPECT_EQ(roots_2473[0], roots_2473[1]);
  EXPECT_EQ(roots_2473[0].ToDisplayHex(),
            "132994b613a584d0a435ce23196e391c064333f94b537d38b8cf8da2e614a67a");
}

}  // namespace
}  // namespace electrum::chain
