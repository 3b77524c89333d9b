#include "common/config/foreign_variables.h"

#include "gtest/gtest.h"

namespace electrum {
namespace {

TEST(ForeignVariablesTest, ScriptVariables) {
  EXPECT_TRUE(IsScriptVariable("ELECTRUM_DATA_DIR"));
  EXPECT_TRUE(IsScriptVariable("ELECTRUM_TEST_PG_DSN"));
  EXPECT_FALSE(IsScriptVariable("ELECTRUM_DATA_DIRS"));
  EXPECT_FALSE(IsScriptVariable("ELECTRUM_MAX_SESSIONS"));
}

// What Kubernetes injects for a Service "electrum-gateway" with a port
// named "electrum" (50001/TCP) and one named "electrum-ssl".
TEST(ForeignVariablesTest, KubernetesServiceLinks) {
  EXPECT_TRUE(IsServiceLinkVariable("ELECTRUM_GATEWAY_SERVICE_HOST", "10.96.0.12"));
  EXPECT_TRUE(IsServiceLinkVariable("ELECTRUM_GATEWAY_SERVICE_PORT", "50001"));
  EXPECT_TRUE(IsServiceLinkVariable("ELECTRUM_GATEWAY_SERVICE_PORT_ELECTRUM", "50001"));
  EXPECT_TRUE(IsServiceLinkVariable("ELECTRUM_GATEWAY_SERVICE_PORT_ELECTRUM_SSL", "50002"));
  EXPECT_TRUE(IsServiceLinkVariable("ELECTRUM_GATEWAY_PORT", "tcp://10.96.0.12:50001"));
  EXPECT_TRUE(IsServiceLinkVariable("ELECTRUM_GATEWAY_PORT_50001_TCP", "tcp://10.96.0.12:50001"));
  EXPECT_TRUE(IsServiceLinkVariable("ELECTRUM_GATEWAY_PORT_50001_TCP_PROTO", "tcp"));
  EXPECT_TRUE(IsServiceLinkVariable("ELECTRUM_GATEWAY_PORT_50001_TCP_PORT", "50001"));
  EXPECT_TRUE(IsServiceLinkVariable("ELECTRUM_GATEWAY_PORT_50001_TCP_ADDR", "10.96.0.12"));
  EXPECT_TRUE(IsServiceLinkVariable("ELECTRUM_GATEWAY_ADMIN_SERVICE_HOST", "fd00::12"));
  EXPECT_TRUE(IsServiceLinkVariable("ELECTRUM_HISTORY_PORT", "tcp://[fd00::7]:50103"));
  // A Service named just "electrum".
  EXPECT_TRUE(IsServiceLinkVariable("ELECTRUM_SERVICE_HOST", "10.0.0.1"));
  EXPECT_TRUE(IsServiceLinkVariable("ELECTRUM_PORT", "tcp://10.0.0.1:50001"));
}

TEST(ForeignVariablesTest, LookalikesWithTheWrongValueAreNotLinks) {
  EXPECT_FALSE(IsServiceLinkVariable("ELECTRUM_GATEWAY_SERVICE_HOST", "gateway.local"));
  EXPECT_FALSE(IsServiceLinkVariable("ELECTRUM_GATEWAY_SERVICE_PORT", "http"));
  EXPECT_FALSE(IsServiceLinkVariable("ELECTRUM_RPC_PORT", "8332"));
  EXPECT_FALSE(IsServiceLinkVariable("ELECTRUM_RPC_PORT", "tcp://node:8332"));
  EXPECT_FALSE(IsServiceLinkVariable("ELECTRUM_GATEWAY_PORT_50001_TCP_PROTO", "http"));
  EXPECT_FALSE(IsServiceLinkVariable("ELECTRUM_GATEWAY_PORT_HTTP_TCP", "tcp://10.0.0.1:1"));
  EXPECT_FALSE(IsServiceLinkVariable("ELECTRUM_MAX_SESSIONS", "20000"));
  EXPECT_FALSE(IsServiceLinkVariable("ELECTRUM_gateway_PORT", "tcp://10.0.0.1:1"));
  EXPECT_FALSE(IsServiceLinkVariable("OTHER_GATEWAY_SERVICE_HOST", "10.0.0.1"));
}

}  // namespace
}  // namespace electrum
