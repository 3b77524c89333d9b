// Transactions from testdata/: Bitcoin Core's tx_valid vectors,
// bitcoind verbose JSON (segwit and legacy), ElectrumX round-trip vectors and
// Dash DIP 2 special transactions. All must re-serialize byte-exactly.
#include "common/chain/transaction.h"

#include <map>
#include <string>

#include "common/chain/dash_payload.h"
#include "common/crypto/hex.h"
#include "common/testing/testdata.h"
#include "gtest/gtest.h"

namespace electrum::chain {
namespace {

using testing::HexBytes;
using testing::ReadTestJson;

TEST(TransactionTest, BitcoinCoreValidVectorsRoundTrip) {
  nlohmann::json vectors = ReadTestJson("bitcoin-core/tx_valid.json");
  int checked = 0;
  for (const auto& entry : vectors) {
    // Comment entries are arrays holding one string.
    if (entry.size() < 2 || !entry[1].is_string()) continue;
    Bytes raw = HexBytes(entry[1]);
    absl::StatusOr<Transaction> tx = ParseTransaction(raw);
    ASSERT_TRUE(tx.ok()) << entry[1] << ": " << tx.status();
    EXPECT_EQ(SerializeTransaction(*tx), raw) << entry[1];
    ++checked;
  }
  EXPECT_GT(checked, 100);
}

class BitcoindJsonTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BitcoindJsonTest, MatchesNodeDecoding) {
  nlohmann::json expected = ReadTestJson("transactions/" + GetParam());
  Bytes raw = HexBytes(expected["hex"]);
  absl::StatusOr<Transaction> tx = ParseTransaction(raw);
  ASSERT_TRUE(tx.ok()) << tx.status();
  EXPECT_EQ(tx->txid.ToDisplayHex(), expected["txid"]);
  EXPECT_EQ(tx->ComputeWtxid().ToDisplayHex(), expected["hash"]);
  EXPECT_EQ(tx->VirtualSize(), expected["vsize"]);
  EXPECT_EQ(tx->lock_time, expected["locktime"]);
  EXPECT_EQ(tx->version, expected["version"]);
  ASSERT_EQ(tx->inputs.size(), expected["vin"].size());
  for (size_t i = 0; i < tx->inputs.size(); ++i) {
    const auto& vin = expected["vin"][i];
    if (vin.contains("coinbase")) {
      EXPECT_TRUE(tx->inputs[i].IsCoinbase());
      continue;
    }
    EXPECT_EQ(tx->inputs[i].prev_txid.ToDisplayHex(), vin["txid"]);
    EXPECT_EQ(tx->inputs[i].prev_index, vin["vout"]);
    EXPECT_EQ(ToHex(tx->inputs[i].script_sig), vin["scriptSig"]["hex"]);
    EXPECT_EQ(tx->inputs[i].sequence, vin["sequence"]);
    std::vector<std::string> witness;
    for (ByteSpan item : tx->inputs[i].witness) witness.push_back(ToHex(item));
    EXPECT_EQ(witness, vin.value("txinwitness", std::vector<std::string>{}));
  }
  ASSERT_EQ(tx->outputs.size(), expected["vout"].size());
  for (size_t i = 0; i < tx->outputs.size(); ++i) {
    const auto& vout = expected["vout"][i];
    EXPECT_EQ(ToHex(tx->outputs[i].script_pubkey), vout["scriptPubKey"]["hex"]);
    // bitcoind prints coins as a decimal; Namecoin's files hold satoshis.
    int64_t satoshis = vout["value"].is_number_integer()
                           ? vout["value"].get<int64_t>()
                           : std::llround(vout["value"].get<double>() * 1e8);
    EXPECT_EQ(tx->outputs[i].value, satoshis) << "output " << i;
  }
  EXPECT_EQ(SerializeTransaction(*tx), raw);
}

INSTANTIATE_TEST_SUITE_P(SharedTestData, BitcoindJsonTest,
                         ::testing::ValuesIn(testing::ListTestData("transactions")),
                         [](const auto& info) {
                           std::string name = info.param.substr(0, info.param.size() - 5);
                           for (char& c : name) {
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

TEST(TransactionTest, ElectrumxRoundTripVectors) {
  const nlohmann::json data = ReadTestJson("electrumx/tx_roundtrip.json");
  for (const auto& vector : data["vectors"]) {
    Bytes raw = HexBytes(vector["hex"]);
    absl::StatusOr<Transaction> tx = ParseTransaction(raw);
    ASSERT_TRUE(tx.ok()) << tx.status();
    EXPECT_EQ(SerializeTransaction(*tx), raw);
    if (vector.contains("txid")) EXPECT_EQ(tx->txid.ToDisplayHex(), vector["txid"]);
  }
}

TEST(TransactionTest, DashSpecialTransactions) {
  const nlohmann::json data = ReadTestJson("electrumx/dash_special_tx.json");
  for (const auto& vector : data["vectors"]) {
    SCOPED_TRACE(vector["name"].get<std::string>());
    Bytes raw = HexBytes(vector["hex"]);
    absl::StatusOr<Transaction> tx = ParseTransaction(raw, {.dash_special = true});
    ASSERT_TRUE(tx.ok()) << tx.status();
    const auto& expected = vector["expected"];
    EXPECT_EQ(tx->version, expected["tx.version"]);
    EXPECT_EQ(tx->dash_type, expected["tx.tx_type"]);
    if (expected.contains("payload_raw")) {
      EXPECT_EQ(ToHex(tx->dash_payload), expected["payload_raw"]);
    }
    if (tx->dash_type == 0) continue;
    absl::StatusOr<std::vector<DashPayloadField>> fields =
        DecodeDashPayload(tx->dash_type, tx->dash_payload);
    if (expected.contains("payload_raw")) {
      EXPECT_EQ(fields.status().code(), absl::StatusCode::kNotFound);
      continue;
    }
    ASSERT_TRUE(fields.ok()) << fields.status();
    // Every field the vector lists is decoded with its value (the vectors
    // leave out a few, e.g. ProUpServTx v2's type).
    std::map<std::string, const DashPayloadField*> by_name;
    for (const DashPayloadField& field : *fields) by_name["payload." + field.name] = &field;
    for (const auto& [key, value] : expected.items()) {
      if (!key.starts_with("payload.")) continue;
      ASSERT_TRUE(by_name.contains(key)) << "not decoded: " << key;
      const auto& decoded = by_name[key]->value;
      if (const uint64_t* number = std::get_if<uint64_t>(&decoded)) {
        EXPECT_EQ(*number, value.get<uint64_t>()) << key;
      } else {
        EXPECT_EQ(ToHex(std::get<Bytes>(decoded)), value.get<std::string>()) << key;
      }
    }
  }
}

TEST(TransactionTest, SegwitTxidSkipsWitnessButWtxidCoversIt) {
  nlohmann::json expected = ReadTestJson("transactions/bitcoin_regtest_001_p2wpkh.json");
  Bytes raw = HexBytes(expected["hex"]);
  absl::StatusOr<Transaction> tx = ParseTransaction(raw);
  ASSERT_TRUE(tx.ok());
  EXPECT_TRUE(tx->HasWitness());
  EXPECT_NE(tx->txid, tx->ComputeWtxid());
}

TEST(TransactionParseErrorTest, EveryTruncationIsAnError) {
  Bytes raw = HexBytes(ReadTestJson("transactions/bitcoin_regtest_001_p2wpkh.json")["hex"]);
  for (size_t cut = 0; cut < raw.size(); ++cut) {
    Bytes truncated(raw.begin(), raw.begin() + cut);
    EXPECT_FALSE(ParseTransaction(truncated).ok()) << "cut at " << cut;
  }
}

TEST(TransactionParseErrorTest, TrailingBytesAndBadFlagsAreErrors) {
  Bytes raw = HexBytes(ReadTestJson("transactions/bitcoin_regtest_001_p2wpkh.json")["hex"]);
  Bytes trailing = raw;
  trailing.push_back(0);
  EXPECT_NE(ParseTransaction(trailing).status().message().find("trailing"), std::string::npos);

  Bytes bad_flag = raw;
  bad_flag[5] = 0x02;  // marker at 4, flag at 5
  EXPECT_NE(ParseTransaction(bad_flag).status().message().find("flag"), std::string::npos);
}

TEST(TransactionParseErrorTest, ForgedScriptLengthIsBounded) {
  // version, 1 input, prev hash, index, script length 0xfe 0x01000000.
  Bytes raw = {1, 0, 0, 0, 1};
  raw.resize(raw.size() + 36, 0);
  for (uint8_t byte : {0xfe, 0x00, 0x00, 0x00, 0x01}) raw.push_back(byte);
  absl::StatusOr<Transaction> tx = ParseTransaction(raw);
  EXPECT_EQ(tx.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(tx.status().message().find("truncated"), std::string::npos);
}

TEST(TransactionParseErrorTest, NonCanonicalCompactSizeIsRejected) {
  // Input count 1 written as 0xfd 0x0100.
  Bytes raw = {1, 0, 0, 0, 0xfd, 0x01, 0x00};
  EXPECT_NE(ParseTransaction(raw).status().message().find("non-canonical"), std::string::npos);
}

}  // namespace
}  // namespace electrum::chain
