#include "gateway/session/cost_meter.h"

#include <algorithm>
#include <cmath>

namespace electrum::gateway {

CostMeter::CostMeter(const CostLimits& limits, Clock::time_point now)
    : limits_(limits), cost_(limits.connection_cost), updated_(now) {}

void CostMeter::Decay(Clock::time_point now) {
  if (now <= updated_) return;
  const double seconds = std::chrono::duration<double>(now - updated_).count();
  cost_ = std::max(0.0, cost_ - seconds * limits_.hard_limit / 10000.0);
  updated_ = now;
}

void CostMeter::Add(double cost, Clock::time_point now) {
  Decay(now);
  cost_ += cost;
}

void CostMeter::AddBytes(size_t bytes, Clock::time_point now) {
  Add(static_cast<double>(bytes) / limits_.bandwidth_unit_bytes, now);
}

double CostMeter::Cost(Clock::time_point now) {
  Decay(now);
  return cost_;
}

Throttle CostMeter::CurrentThrottle(Clock::time_point now, double group_extra) {
  const double effective = Cost(now) + group_extra;
  const double span = std::max(1e-9, limits_.hard_limit - limits_.soft_limit);
  const double fraction = std::max(0.0, (effective - limits_.soft_limit) / span);
  Throttle throttle;
  throttle.concurrency = std::max(
      0, static_cast<int>(std::ceil((1.0 - fraction) * limits_.initial_concurrent - 1e-9)));
  if (effective >= limits_.hard_limit) throttle.concurrency = 0;
  throttle.delay = std::chrono::milliseconds(static_cast<int64_t>(
      std::min(1.0, fraction) * static_cast<double>(limits_.request_sleep.count())));
  return throttle;
}

}  // namespace electrum::gateway
