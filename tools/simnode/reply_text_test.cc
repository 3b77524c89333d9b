#include "tools/simnode/reply_text.h"

#include "gtest/gtest.h"

namespace electrum::simnode {
namespace {

using nlohmann::json;

// ReplyText must say exactly what dump() says.
void ExpectSameAsDump(const json& reply) {
  json copy = reply;
  const std::string text = ReplyText(copy);
  EXPECT_EQ(text, reply.dump());
  EXPECT_EQ(json::parse(text), reply);
}

TEST(ReplyTextTest, ALongHexResultIsCopiedInWhole) {
  std::string hex;
  for (int i = 0; i < 5000; ++i) hex += "0123456789abcdef"[i % 16];
  ExpectSameAsDump({{"result", hex}, {"error", nullptr}, {"id", 1}});
  ExpectSameAsDump({{"jsonrpc", "2.0"}, {"result", hex}, {"id", "a\"result\":\"\""}});
}

TEST(ReplyTextTest, AnythingElseGoesThroughDump) {
  // Quotes, backslashes, control and non-ASCII characters need escapes.
  const std::string long_text(5000, 'x');
  ExpectSameAsDump({{"result", long_text + "\""}, {"error", nullptr}, {"id", 1}});
  ExpectSameAsDump({{"result", long_text + "\\"}, {"error", nullptr}, {"id", 1}});
  ExpectSameAsDump({{"result", long_text + "\n"}, {"error", nullptr}, {"id", 1}});
  ExpectSameAsDump({{"result", long_text + "\u00e9"}, {"error", nullptr}, {"id", 1}});
  ExpectSameAsDump({{"result", "00ff"}, {"error", nullptr}, {"id", 1}});
  ExpectSameAsDump({{"result", {{"hex", long_text}}}, {"error", nullptr}, {"id", 1}});
  ExpectSameAsDump({{"result", nullptr}, {"error", {{"code", -5}}}, {"id", 1}});
}

}  // namespace
}  // namespace electrum::simnode
