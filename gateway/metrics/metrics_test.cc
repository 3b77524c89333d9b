#include "gateway/metrics/metrics.h"

#include "gtest/gtest.h"

namespace electrum::gateway {
namespace {

TEST(MetricsTest, RendersLabelledCountersAndGauges) {
  GatewayMetrics metrics;
  metrics.requests.With("server.ping").Add(3);
  metrics.sessions.With("tcp").Add(2);
  metrics.sessions.With("tcp").Add(-1);
  const std::string text = metrics.Render();
  EXPECT_NE(text.find("# TYPE electrum_requests_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("electrum_requests_total{method=\"server.ping\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("electrum_sessions{transport=\"tcp\"} 1\n"), std::string::npos);
}

TEST(MetricsTest, HistogramsAreCumulative) {
  GatewayMetrics metrics;
  metrics.notification_latency.Observe(0.0002);
  metrics.notification_latency.Observe(0.003);
  metrics.notification_latency.Observe(20);
  const std::string text = metrics.Render();
  EXPECT_NE(text.find("electrum_notification_latency_seconds_bucket{le=\"0.0001\"} 0\n"),
            std::string::npos);
  EXPECT_NE(text.find("electrum_notification_latency_seconds_bucket{le=\"0.0005\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("electrum_notification_latency_seconds_bucket{le=\"10\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("electrum_notification_latency_seconds_bucket{le=\"+Inf\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("electrum_notification_latency_seconds_count 3\n"), std::string::npos);
}

}  // namespace
}  // namespace electrum::gateway
