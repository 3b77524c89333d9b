#include "gateway/session/cost_meter.h"

#include "gtest/gtest.h"

namespace electrum::gateway {
namespace {

using namespace std::chrono_literals;

TEST(CostMeterTest, StartsAtConnectionCostAndDecaysOnePerSecondByDefault) {
  CostLimits limits;
  const auto start = CostMeter::Clock::time_point();
  CostMeter meter(limits, start);
  EXPECT_DOUBLE_EQ(meter.Cost(start), 5.0);
  meter.Add(100, start);
  EXPECT_NEAR(meter.Cost(start + 10s), 95.0, 1e-9);
  EXPECT_DOUBLE_EQ(meter.Cost(start + 1000s), 0.0);
}

TEST(CostMeterTest, BytesCostOnePerBandwidthUnit) {
  CostLimits limits;
  const auto start = CostMeter::Clock::time_point();
  CostMeter meter(limits, start);
  meter.AddBytes(50000, start);
  EXPECT_NEAR(meter.Cost(start), 15.0, 1e-9);
}

TEST(CostMeterTest, BelowSoftLimitFullConcurrencyAndNoDelay) {
  CostLimits limits;
  const auto start = CostMeter::Clock::time_point();
  CostMeter meter(limits, start);
  meter.Add(900, start);
  Throttle throttle = meter.CurrentThrottle(start);
  EXPECT_EQ(throttle.concurrency, 10);
  EXPECT_EQ(throttle.delay, 0ms);
}

TEST(CostMeterTest, BetweenLimitsConcurrencyShrinksAndDelayGrows) {
  CostLimits limits;
  const auto start = CostMeter::Clock::time_point();
  CostMeter meter(limits, start);
  // Effective 5,500: halfway between 1,000 and 10,000.
  meter.Add(5495, start);
  Throttle throttle = meter.CurrentThrottle(start);
  EXPECT_EQ(throttle.concurrency, 5);  // ceil(0.5 × 10)
  EXPECT_EQ(throttle.delay, 1250ms);
  // A group's extra cost counts as the session's own.
  Throttle grouped = meter.CurrentThrottle(start, 3600);
  EXPECT_EQ(grouped.concurrency, 1);  // ceil(0.1 × 10)
}

TEST(CostMeterTest, AtHardLimitConcurrencyIsZero) {
  CostLimits limits;
  const auto start = CostMeter::Clock::time_point();
  CostMeter meter(limits, start);
  meter.Add(9995, start);
  EXPECT_EQ(meter.CurrentThrottle(start).concurrency, 0);
  // Decay brings it back under.
  EXPECT_GT(meter.CurrentThrottle(start + 100s).concurrency, 0);
}

}  // namespace
}  // namespace electrum::gateway
