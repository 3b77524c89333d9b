#include "gateway/protocol/protocol_version.h"

#include "gtest/gtest.h"

namespace electrum::gateway {
namespace {

using nlohmann::json;

const VersionRange kServer{ProtocolVersion({1, 4}), ProtocolVersion({1, 6, 0})};

std::string Negotiated(const json& requested) {
  absl::StatusOr<ProtocolVersion> version = NegotiateVersion(requested, kServer);
  return version.ok() ? version->ToString() : std::string(version.status().message());
}

TEST(ProtocolVersionTest, ParsesComparesAndRenders) {
  EXPECT_EQ(ProtocolVersion::Parse("1.4.2").ToString(), "1.4.2");
  EXPECT_EQ(ProtocolVersion::Parse("1").ToString(), "1.0");
  EXPECT_LT(ProtocolVersion::Parse("1.6"), ProtocolVersion::Parse("1.6.0"));
  EXPECT_LT(ProtocolVersion::Parse("1.6.0"), ProtocolVersion::Parse("1.6.1"));
  EXPECT_LT(ProtocolVersion::Parse("1.6.1"), ProtocolVersion::Parse("1.7"));
  EXPECT_LT(ProtocolVersion::Parse("1.10"), ProtocolVersion::Parse("2"));
  EXPECT_GT(ProtocolVersion::Parse("1.10"), ProtocolVersion::Parse("1.9"));
  for (const json& bad : {json("1..4"), json(""), json("1.x"), json("-1.4"), json(" 1.4"),
                          json(1.4), json(nullptr), json::array(), json("1.2.3.4.5.6.7.8.9")}) {
    EXPECT_FALSE(ProtocolVersion::Parse(bad).valid()) << bad.dump();
  }
}

// The spec's examples and ElectrumX's behaviour (§2.2, §2.3).
TEST(ProtocolVersionTest, NegotiatesTheHighestCommonVersion) {
  EXPECT_EQ(Negotiated(json::array({"1.4", "1.6"})), "1.6");
  EXPECT_EQ(Negotiated(json::array({"1.4", "1.7"})), "1.6.0");
  EXPECT_EQ(Negotiated(json::array({"1.2", "1.4.2"})), "1.4.2");
  EXPECT_EQ(Negotiated("1.4"), "1.4");
  EXPECT_EQ(Negotiated("1.5"), "1.5");
  EXPECT_EQ(Negotiated(nullptr), "1.4") << "absent: the server minimum";
}

TEST(ProtocolVersionTest, RefusesWhatItCannotSpeak) {
  EXPECT_EQ(Negotiated("1.3"), "unsupported protocol version: 1.3");
  EXPECT_EQ(Negotiated("2.0.1").substr(0, 28), "unsupported protocol version");
  EXPECT_EQ(Negotiated(json::array({"1.7", "1.8"})),
            "unsupported protocol version: [\"1.7\",\"1.8\"]");
  EXPECT_EQ(Negotiated(json::array({"1.6", "1.4"})).substr(0, 28), "unsupported protocol version")
      << "min above max";
  EXPECT_EQ(Negotiated("garbage"), "unsupported protocol version: garbage");
  EXPECT_EQ(Negotiated(json::array({"x", "1.6"})).substr(0, 28), "unsupported protocol version");
  EXPECT_EQ(Negotiated(json::array({"1.4", "1.5", "1.6"})).substr(0, 28),
            "unsupported protocol version")
      << "three elements are one (invalid) version";
  EXPECT_EQ(NegotiateVersion(42, kServer).status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace electrum::gateway
