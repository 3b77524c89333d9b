#include "services/node/plain_string_result.h"

#include "gtest/gtest.h"

namespace electrum::node {
namespace {

TEST(HexStringResultTest, TakesTheHexOfAnOrdinaryReply) {
  // Bitcoin Core's key order, and nlohmann's (alphabetical).
  EXPECT_EQ(HexStringResult(R"({"result":"00ff","error":null,"id":1})"), "00ff");
  EXPECT_EQ(HexStringResult(R"({"error":null,"id":7,"result":"AbCd"})"), "AbCd");
  EXPECT_EQ(HexStringResult(" {\"result\" : \"\",\n\"error\": null, \"id\": 2}\n"), "");
}

TEST(HexStringResultTest, LeavesEverythingElseToTheJsonParser) {
  // An error reply: the result is null.
  EXPECT_EQ(
      HexStringResult(R"({"result":null,"error":{"code":-5,"message":"Block not found"},"id":1})"),
      std::nullopt);
  // Not hex, or escaped.
  EXPECT_EQ(HexStringResult(R"({"result":"main","error":null,"id":1})"), std::nullopt);
  EXPECT_EQ(HexStringResult(R"({"result":"00\"ff","error":null,"id":1})"), std::nullopt);
  // Other types.
  EXPECT_EQ(HexStringResult(R"({"result":{"hex":"00"},"error":null,"id":1})"), std::nullopt);
  EXPECT_EQ(HexStringResult(R"({"result":12,"error":null,"id":1})"), std::nullopt);
  // A JSON-RPC 2.0 reply carries no error member; a batch is an array.
  EXPECT_EQ(HexStringResult(R"({"jsonrpc":"2.0","result":"00","id":1})"), std::nullopt);
  EXPECT_EQ(HexStringResult(R"([{"result":"00","error":null,"id":1}])"), std::nullopt);
  // Cut short.
  EXPECT_EQ(HexStringResult(R"({"error":null,"result":"00ff)"), std::nullopt);
  EXPECT_EQ(HexStringResult(""), std::nullopt);
  EXPECT_EQ(HexStringResult(R"({"error":null,"result")"), std::nullopt);
}

TEST(HexStringResultTest, AQuotedKeyInsideAStringIsNotAKey) {
  // The message mentions "result" (escaped, as JSON requires): the real
  // result is the later one.
  EXPECT_EQ(HexStringResult(R"({"note":"\"result\":\"beef\"","error":null,"result":"0a0b"})"),
            "0a0b");
}

}  // namespace
}  // namespace electrum::node
