#include "gateway/metrics/metrics.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace electrum::gateway {
namespace {

std::string Escaped(const std::string& value) {
  return absl::StrReplaceAll(value, {{"\\", "\\\\"}, {"\"", "\\\""}, {"\n", "\\n"}});
}

void Header(std::string& out, const std::string& name, const std::string& help, const char* type) {
  absl::StrAppend(&out, "# HELP ", name, " ", help, "\n# TYPE ", name, " ", type, "\n");
}

template <typename Metric>
void RenderScalars(const Family<Metric>& family, const char* type, std::string& out) {
  Header(out, family.name(), family.help(), type);
  family.ForEach([&](const std::string& value, const Metric& metric) {
    absl::StrAppend(&out, family.name(), "{", family.label(), "=\"", Escaped(value), "\"} ",
                    metric.value(), "\n");
  });
}

void RenderScalar(const std::string& name, const std::string& help, const char* type,
                  uint64_t value, std::string& out) {
  Header(out, name, help, type);
  absl::StrAppend(&out, name, " ", value, "\n");
}

}  // namespace

void Histogram::Observe(double seconds) {
  size_t bucket = 0;
  while (bucket < kBounds.size() && seconds > kBounds[bucket]) ++bucket;
  buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_micros_.fetch_add(static_cast<uint64_t>(std::llround(std::max(0.0, seconds) * 1e6)),
                        std::memory_order_relaxed);
}

void Histogram::Render(const std::string& name, const std::string& labels, std::string& out) const {
  const std::string separator = labels.empty() ? "" : ",";
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= kBounds.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    const std::string bound = i < kBounds.size() ? absl::StrCat(kBounds[i]) : "+Inf";
    absl::StrAppend(&out, name, "_bucket{", labels, separator, "le=\"", bound, "\"} ", cumulative,
                    "\n");
  }
  const std::string braces = labels.empty() ? "" : absl::StrCat("{", labels, "}");
  absl::StrAppend(&out, name, "_sum", braces, " ",
                  static_cast<double>(sum_micros_.load(std::memory_order_relaxed)) / 1e6, "\n");
  absl::StrAppend(&out, name, "_count", braces, " ", count_.load(std::memory_order_relaxed), "\n");
}

std::string GatewayMetrics::Render() const {
  std::string out;
  RenderScalars(sessions, "gauge", out);
  RenderScalars(sessions_opened, "counter", out);
  RenderScalars(requests, "counter", out);
  RenderScalars(errors, "counter", out);
  RenderScalar("electrum_cost_throttled_total", "Requests delayed by cost control", "counter",
               throttled.value(), out);
  RenderScalar("electrum_cost_disconnects_total", "Sessions closed over their hard cost limit",
               "counter", cost_disconnects.value(), out);
  RenderScalar("electrum_refused_connections_total", "Connections refused (session limits, bans)",
               "counter", refused_connections.value(), out);
  Header(out, "electrum_address_cache_replies_total",
         "Address query replies by reply cache outcome (stored: misses kept)", "counter");
  absl::StrAppend(
      &out, "electrum_address_cache_replies_total{outcome=\"hit\"} ", address_cache_hits.value(),
      "\n", "electrum_address_cache_replies_total{outcome=\"miss\"} ", address_cache_misses.value(),
      "\n", "electrum_address_cache_replies_total{outcome=\"stored\"} ",
      address_cache_stored.value(), "\n");
  RenderScalar("electrum_notifications_total", "Notifications queued to sessions", "counter",
               notifications.value(), out);
  Header(out, "electrum_notification_latency_seconds",
         "From queuing a notification to its write completing", "histogram");
  notification_latency.Render("electrum_notification_latency_seconds", "", out);
  Header(out, upstream_latency.name(), upstream_latency.help(), "histogram");
  upstream_latency.ForEach([&](const std::string& value, const Histogram& histogram) {
    histogram.Render(upstream_latency.name(),
                     absl::StrCat(upstream_latency.label(), "=\"", Escaped(value), "\""), out);
  });
  return out;
}

}  // namespace electrum::gateway
