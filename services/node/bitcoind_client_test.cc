// BitcoindClient against sockets that misbehave: a node that accepts and
// never answers costs one timeout, not a hang and not two timeouts.
#include "services/node/bitcoind_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "gtest/gtest.h"

namespace electrum::node {
namespace {

// A listening socket nobody reads: the kernel completes connections.
class SilentListener {
 public:
  SilentListener() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
        listen(fd_, 8) == 0 &&
        getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      port_ = ntohs(address.sin_port);
    }
  }
  ~SilentListener() { close(fd_); }
  uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

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
