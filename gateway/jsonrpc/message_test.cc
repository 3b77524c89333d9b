#include "gateway/jsonrpc/message.h"

#include "gtest/gtest.h"

namespace electrum::gateway {
namespace {

using nlohmann::json;

const ParseLimits kLimits{.max_batch = 3, .max_depth = 8};

Message Parse(std::string_view text, Dialect& dialect) {
  return ParseMessage(text, dialect, kLimits);
}

Message ParseFresh(std::string_view text) {
  Dialect dialect = Dialect::kUndetermined;
  return Parse(text, dialect);
}

const Call& CallOf(const MessageItem& item) {
  EXPECT_TRUE(std::holds_alternative<Call>(item));
  static const Call kEmpty;
  return std::holds_alternative<Call>(item) ? std::get<Call>(item) : kEmpty;
}

// The error reply an item gets, encoded ("" for a call).
std::string ReplyOf(const MessageItem& item) {
  if (!std::holds_alternative<Rejected>(item)) return "";
  const Rejected& rejected = std::get<Rejected>(item);
  return EncodeError(rejected.id, rejected.error);
}

TEST(MessageTest, ARequestBecomesATypedCall) {
  Dialect dialect = Dialect::kUndetermined;
  Message message = Parse(
      R"({"jsonrpc":"2.0","id":7,"method":"server.version","params":["electrum",["1.4","1.6"]]}  )",
      dialect);
  EXPECT_EQ(dialect, Dialect::kJsonRpc20);
  ASSERT_EQ(message.items.size(), 1u);
  EXPECT_FALSE(message.batch);
  const Call& call = CallOf(message.items[0]);
  EXPECT_EQ(call.id, 7);
  EXPECT_FALSE(call.notification);
  EXPECT_EQ(call.method, "server.version");
  EXPECT_EQ(call.params, json::parse(R"(["electrum",["1.4","1.6"]])"));
}

TEST(MessageTest, IdsParamsAndNotifications) {
  EXPECT_EQ(CallOf(ParseFresh(R"({"id":"abc","method":"m"})").items[0]).id, "abc");
  EXPECT_EQ(CallOf(ParseFresh(R"({"id":"abc","method":"m"})").items[0]).params, json::array())
      << "absent params are []";
  EXPECT_TRUE(CallOf(ParseFresh(R"({"method":"m"})").items[0]).notification);
  EXPECT_TRUE(CallOf(ParseFresh(R"({"id":null,"method":"m"})").items[0]).notification);
  EXPECT_EQ(CallOf(ParseFresh(R"({"id":1,"method":"m","params":{"a":1}})").items[0]).params,
            json({{"a", 1}}));
  EXPECT_EQ(CallOf(ParseFresh(R"({"id":1.5,"method":"m"})").items[0]).id, 1.5);
}

TEST(MessageTest, MalformedInputGetsTheSpecsErrors) {
  EXPECT_EQ(ReplyOf(ParseFresh("{nope").items[0]),
            R"({"jsonrpc":"2.0","error":{"code":-32700,"message":"invalid JSON"},"id":null})");
  EXPECT_EQ(
      ReplyOf(ParseFresh("\"\xff\"").items[0]),
      R"({"jsonrpc":"2.0","error":{"code":-32700,"message":"messages must be encoded in UTF-8"},"id":null})");
  EXPECT_EQ(ReplyOf(ParseFresh("\"\xc0\xaf\"").items[0]).find("UTF-8") != std::string::npos, true)
      << "overlong encoding";
  EXPECT_EQ(
      ReplyOf(ParseFresh("42").items[0]),
      R"({"jsonrpc":"2.0","error":{"code":-32600,"message":"request object must be a dictionary"},"id":null})");
  EXPECT_EQ(ReplyOf(ParseFresh("[]").items[0]),
            R"({"jsonrpc":"2.0","error":{"code":-32600,"message":"batch is empty"},"id":null})");
  EXPECT_EQ(
      ReplyOf(ParseFresh(R"({"id":[1],"method":"m"})").items[0]),
      R"({"jsonrpc":"2.0","error":{"code":-32600,"message":"invalid \"id\": [1]"},"id":null})");
  EXPECT_EQ(ReplyOf(ParseFresh(R"({"id":true,"method":"m"})").items[0])
                    .find("invalid \\\"id\\\": true") != std::string::npos,
            true);
  EXPECT_EQ(
      ReplyOf(ParseFresh(R"({"id":3,"method":5})").items[0]),
      R"({"jsonrpc":"2.0","error":{"code":-32601,"message":"method must be a string"},"id":3})");
  EXPECT_EQ(
      ReplyOf(ParseFresh(R"({"id":3,"method":"m","params":"x"})").items[0]),
      R"({"jsonrpc":"2.0","error":{"code":-32602,"message":"invalid request arguments: \"x\""},"id":3})");
  EXPECT_EQ(
      ReplyOf(ParseFresh(R"({"id":3})").items[0]),
      R"({"jsonrpc":"2.0","error":{"code":-32600,"message":"request has no \"method\""},"id":3})");
}

TEST(MessageTest, DeepNestingIsRefusedBeforeParsing) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(
      ReplyOf(ParseFresh(deep).items[0]),
      R"({"jsonrpc":"2.0","error":{"code":-32700,"message":"invalid JSON: nested deeper than 8"},"id":null})");
  // Brackets inside strings do not count.
  EXPECT_EQ(ReplyOf(ParseFresh(R"({"id":1,"method":"[[[[[[[[[[[[[[[[[["})").items[0]), "");
}

TEST(MessageTest, TheFirstMessageFixesTheDialect) {
  Dialect dialect = Dialect::kUndetermined;
  Parse(R"({"jsonrpc":"2.0","id":1,"method":"a"})", dialect);
  EXPECT_EQ(
      ReplyOf(Parse(R"({"id":2,"method":"a"})", dialect).items[0]),
      R"({"jsonrpc":"2.0","error":{"code":-32600,"message":"\"jsonrpc\" is not \"2.0\""},"id":2})");

  Dialect loose = Dialect::kUndetermined;
  Parse(R"({"id":1,"method":"a"})", loose);
  EXPECT_EQ(loose, Dialect::kLoose);
  EXPECT_EQ(ReplyOf(Parse(R"({"id":2,"method":"a","params":{"x":1}})", loose).items[0]), "");

  Dialect v1 = Dialect::kUndetermined;
  Parse(R"({"jsonrpc":"1.0","id":1,"method":"a","params":[]})", v1);
  EXPECT_EQ(v1, Dialect::kJsonRpc10);
  EXPECT_NE(ReplyOf(Parse(R"({"id":2,"method":"a","params":{"x":1}})", v1).items[0]), "")
      << "1.0 takes positional params only";
  EXPECT_NE(ReplyOf(Parse(R"([{"id":2,"method":"a"}])", v1).items[0]).find("batches"),
            std::string::npos);

  Dialect batch = Dialect::kUndetermined;
  Parse(R"([{"id":1,"method":"a"},{"jsonrpc":"2.0","id":2,"method":"a"}])", batch);
  EXPECT_EQ(batch, Dialect::kJsonRpc20) << "2.0 preferred in a first batch";
}

TEST(MessageTest, BatchesAreCheckedMemberByMember) {
  Message message = ParseFresh(R"([{"id":1,"method":"a"},5,{"method":"n"}])");
  ASSERT_TRUE(message.batch);
  ASSERT_EQ(message.items.size(), 3u);
  EXPECT_EQ(CallOf(message.items[0]).method, "a");
  EXPECT_NE(ReplyOf(message.items[1]).find("dictionary"), std::string::npos);
  EXPECT_TRUE(CallOf(message.items[2]).notification);
  EXPECT_EQ(
      ReplyOf(
          ParseFresh(R"([{"method":"a"},{"method":"a"},{"method":"a"},{"method":"a"}])").items[0]),
      R"({"jsonrpc":"2.0","error":{"code":-32600,"message":"batch of 4 requests is over the limit of 3"},"id":null})");
}

TEST(MessageTest, EncodesCompactReplies) {
  EXPECT_EQ(EncodeResult("x", json::array({"ElectrumX", "1.6"})),
            R"({"jsonrpc":"2.0","result":["ElectrumX","1.6"],"id":"x"})");
  EXPECT_EQ(EncodeResult(3, nullptr), R"({"jsonrpc":"2.0","result":null,"id":3})");
  EXPECT_EQ(EncodeNotification("blockchain.headers.subscribe", json::array({{{"height", 5}}})),
            R"({"jsonrpc":"2.0","method":"blockchain.headers.subscribe","params":[{"height":5}]})");
  EXPECT_EQ(EncodeError(nullptr, {RpcErrorCode::kBadRequest, "bad \"q\""}),
            R"({"jsonrpc":"2.0","error":{"code":1,"message":"bad \"q\""},"id":null})");
}

}  // namespace
}  // namespace electrum::gateway
