// The gateway's Prometheus metrics: counters, gauges and histograms, some
// with one label, all lock-free to update once a label's series exists.
// Render() writes the text exposition format.
#ifndef ELECTRUM_GATEWAY_METRICS_METRICS_H_
#define ELECTRUM_GATEWAY_METRICS_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/container/node_hash_map.h"

namespace electrum::gateway {

class Counter {
 public:
  void Add(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Gauge {
 public:
  void Add(int64_t n) { value_.fetch_add(n, std::memory_order_relaxed); }
  int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> value_{0};
};

// Seconds, in fixed buckets from 100 µs to 10 s.
class Histogram {
 public:
  static constexpr std::array<double, 10> kBounds = {0.0001, 0.0005, 0.001, 0.005, 0.01,
                                                     0.05,   0.1,    0.5,   1,     10};
  void Observe(double seconds);
  void Render(const std::string& name, const std::string& labels, std::string& out) const;

 private:
  std::array<std::atomic<uint64_t>, kBounds.size() + 1> buckets_{};
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_micros_{0};
};

// One series per value of a single label.
template <typename Metric>
class Family {
 public:
  Family(std::string name, std::string help, std::string label)
      : name_(std::move(name)), help_(std::move(help)), label_(std::move(label)) {}

  Metric& With(const std::string& value) {
    std::lock_guard<std::mutex> lock(mutex_);
    return series_[value];
  }

  template <typename Visit>
  void ForEach(Visit visit) const {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [value, metric] : series_) visit(value, metric);
  }

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::string& label() const { return label_; }

 private:
  const std::string name_, help_, label_;
  mutable std::mutex mutex_;
  // Node-based: references handed out stay valid.
  absl::node_hash_map<std::string, Metric> series_;
};

struct GatewayMetrics {
  Family<Gauge> sessions{"electrum_sessions", "Open sessions by transport", "transport"};
  Family<Counter> sessions_opened{"electrum_sessions_opened_total", "Sessions opened by transport",
                                  "transport"};
  Family<Counter> requests{"electrum_requests_total", "Requests answered by method", "method"};
  Family<Counter> errors{"electrum_request_errors_total", "Error replies by method", "method"};
  Family<Histogram> upstream_latency{"electrum_upstream_latency_seconds",
                                     "gRPC calls to the services by method", "method"};
  Counter throttled{};
  Counter cost_disconnects{};
  Counter notifications{};
  Histogram notification_latency{};
  Counter refused_connections{};
  // Address queries (get_balance, listunspent, get_history) by how the
  // reply cache served them: hit, miss (asked upstream), stored (kept).
  Counter address_cache_hits{};
  Counter address_cache_misses{};
  Counter address_cache_stored{};

  std::string Render() const;
};

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_METRICS_METRICS_H_
