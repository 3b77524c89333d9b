#include "services/node/node_url.h"

#include "gtest/gtest.h"

namespace electrum::node {
namespace {

constexpr uint16_t kDefaultPort = 8332;

NodeUrl Parsed(const char* url) {
  absl::StatusOr<NodeUrl> parsed = ParseNodeUrl(url, kDefaultPort);
  EXPECT_TRUE(parsed.ok()) << url << ": " << parsed.status();
  return parsed.ok() ? *parsed : NodeUrl{};
}

std::string ErrorOf(const char* url) {
  absl::StatusOr<NodeUrl> parsed = ParseNodeUrl(url, kDefaultPort);
  EXPECT_FALSE(parsed.ok()) << url;
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(parsed.status().message());
}

TEST(NodeUrlTest, ElectrumxDaemonUrlForm) {
  NodeUrl url = Parsed("http://rpcuser:rpcpass@127.0.0.1:8332/");
  EXPECT_EQ(url.host, "127.0.0.1");
  EXPECT_EQ(url.port, 8332);
  EXPECT_EQ(url.user, "rpcuser");
  EXPECT_EQ(url.password, "rpcpass");
}

TEST(NodeUrlTest, WithoutCredentialsSchemeSlashOrPort) {
  NodeUrl url = Parsed("http://node.internal:18443");
  EXPECT_EQ(url.host, "node.internal");
  EXPECT_EQ(url.port, 18443);
  EXPECT_TRUE(url.user.empty());
  EXPECT_TRUE(url.password.empty());
  EXPECT_EQ(Parsed("bitcoind").port, kDefaultPort);
  EXPECT_EQ(Parsed("u:p@bitcoind:1234").user, "u");
  EXPECT_EQ(Parsed("HTTP://bitcoind/").host, "bitcoind");
}

TEST(NodeUrlTest, PasswordsWithSeparatorsArePercentEncodedOrAfterTheLastAt) {
  NodeUrl encoded = Parsed("http://me:p%40ss%3Aw%2Fd@host:1/");
  EXPECT_EQ(encoded.user, "me");
  EXPECT_EQ(encoded.password, "p@ss:w/d");
  NodeUrl raw = Parsed("http://me:p@ss:word@host:2");
  EXPECT_EQ(raw.password, "p@ss:word");
  EXPECT_EQ(raw.host, "host");
  EXPECT_EQ(raw.port, 2);
  NodeUrl slashed = Parsed("http://me:a/b?c#d@host:3/");
  EXPECT_EQ(slashed.password, "a/b?c#d");
  EXPECT_EQ(slashed.host, "host");
  EXPECT_EQ(slashed.port, 3);
}

TEST(NodeUrlTest, Ipv6InBrackets) {
  NodeUrl url = Parsed("http://u:p@[::1]:8332/");
  EXPECT_EQ(url.host, "::1");
  EXPECT_EQ(url.port, 8332);
  EXPECT_EQ(Parsed("http://[fe80::1]").port, kDefaultPort);
}

TEST(NodeUrlTest, MistakesAreNamed) {
  EXPECT_NE(ErrorOf("https://h:1/").find("https is not supported"), std::string::npos);
  EXPECT_NE(ErrorOf("ftp://h:1/").find("unknown scheme 'ftp'"), std::string::npos);
  EXPECT_NE(ErrorOf("http://h:port/").find("port 'port'"), std::string::npos);
  EXPECT_NE(ErrorOf("http://h:0/").find("from 1 to 65535"), std::string::npos);
  EXPECT_NE(ErrorOf("http://h:65536/").find("from 1 to 65535"), std::string::npos);
  EXPECT_NE(ErrorOf("http://h:/").find("port ''"), std::string::npos);
  EXPECT_NE(ErrorOf("http://:1/").find("no host"), std::string::npos);
  EXPECT_NE(ErrorOf("http://user@h:1/").find("both a user and a password"), std::string::npos);
  EXPECT_NE(ErrorOf("http://u:p%zz@h:1/").find("%-escape"), std::string::npos);
  EXPECT_NE(ErrorOf("http://h:1/wallet/w").find("path"), std::string::npos);
  EXPECT_NE(ErrorOf("http://::1:8332/").find("brackets"), std::string::npos);
  EXPECT_NE(ErrorOf("http://[::1/").find("unclosed"), std::string::npos);
}

TEST(NodeUrlTest, ErrorsAndRedactionNeverShowThePassword) {
  const std::string error = ErrorOf("http://alice:s3cret@h:notaport/");
  EXPECT_EQ(error.find("s3cret"), std::string::npos) << error;
  EXPECT_NE(error.find("http://alice:***@h:notaport/"), std::string::npos) << error;
  EXPECT_EQ(RedactNodeUrl("http://a:b@c@h:1/"), "http://a:***@h:1/");
  EXPECT_EQ(RedactNodeUrl("http://h:1/"), "http://h:1/");
  EXPECT_EQ(RedactNodeUrl("u:pw@h"), "u:***@h");
  EXPECT_EQ(RedactNodeUrl("http://u:p/w@h:1/x"), "http://u:***@h:1/x");
  const std::string slashed = ErrorOf("http://alice:top/secret@h:1/wallet");
  EXPECT_EQ(slashed.find("secret"), std::string::npos) << slashed;
  EXPECT_NE(slashed.find("path"), std::string::npos) << slashed;
}

}  // namespace
}  // namespace electrum::node
