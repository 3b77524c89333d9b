// Per-session resource accounting as ElectrumX does it (spec §5.2–§5.3):
// every request, error and byte adds cost; cost decays continuously; above
// the soft limit requests are delayed and fewer may run at once; at the hard
// limit the session is closed. Pure logic: the clock is passed in.
#ifndef ELECTRUM_GATEWAY_SESSION_COST_METER_H_
#define ELECTRUM_GATEWAY_SESSION_COST_METER_H_

#include <chrono>
#include <cstddef>

namespace electrum::gateway {

struct CostLimits {
  double soft_limit = 1000;
  double hard_limit = 10000;
  // What a new session starts with.
  double connection_cost = 5.0;
  // Bytes (either direction) that cost 1.0.
  double bandwidth_unit_bytes = 5000;
  // Added for every error reply, and for input that is not JSON.
  double error_cost = 100;
  double parse_error_cost = 1000;
  // Requests in flight per session below the soft limit.
  int initial_concurrent = 10;
  // Delay before each request at the hard limit (scaled down between the limits).
  std::chrono::milliseconds request_sleep{2500};
};

struct Throttle {
  // Most requests in flight now; 0 means "over the hard limit: disconnect".
  int concurrency = 0;
  std::chrono::milliseconds delay{0};
};

class CostMeter {
 public:
  using Clock = std::chrono::steady_clock;

  CostMeter(const CostLimits& limits, Clock::time_point now);

  void Add(double cost, Clock::time_point now);
  void AddBytes(size_t bytes, Clock::time_point now);
  // Cost after decay (at hard_limit / 10000 per second, as ElectrumX).
  double Cost(Clock::time_point now);
  // `group_extra`: cost of other sessions sharing this one's IP or subnet.
  Throttle CurrentThrottle(Clock::time_point now, double group_extra = 0);

 private:
  void Decay(Clock::time_point now);

  const CostLimits& limits_;
  double cost_;
  Clock::time_point updated_;
};

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_SESSION_COST_METER_H_
