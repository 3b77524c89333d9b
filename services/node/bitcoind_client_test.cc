// BitcoindClient against sockets that misbehave: a node that accepts and
// never answers costs one timeout, not a hang and not two timeouts.
#include "services/node/bitcoind_client.h"

#include <chrono>

#include "gtest/gtest.h"
#include "services/node/testing/silent_listener.h"

namespace electrum::node {
namespace {

using testing::SilentListener;

TEST(BitcoindClientTest, ANodeThatNeverAnswersTimesOutOnce) {
  SilentListener node;
  ASSERT_NE(node.port(), 0);
  BitcoindClient client({.port = node.port(),
                         .user = "u",
                         .password = "p",
                         .timeout = std::chrono::milliseconds(300)});
  const auto started = std::chrono::steady_clock::now();
  absl::StatusOr<nlohmann::json> reply = client.Call("getblockcount", nlohmann::json::array());
  const auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(reply.status().message().find("did not answer getblockcount within 300 ms"),
            std::string::npos)
      << reply.status();
  EXPECT_GE(waited, std::chrono::milliseconds(300));
  EXPECT_LT(waited, std::chrono::milliseconds(3000));
}

TEST(BitcoindClientTest, NothingListeningIsUnreachable) {
  uint16_t port = 0;
  {
    SilentListener closed;  // a port that was free a moment ago
    port = closed.port();
  }
  BitcoindClient client({.port = port, .timeout = std::chrono::milliseconds(300)});
  absl::StatusOr<nlohmann::json> reply = client.Call("getblockcount", nlohmann::json::array());
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(reply.status().message().find("node unreachable"), std::string::npos) << reply.status();
}

}  // namespace
}  // namespace electrum::node
