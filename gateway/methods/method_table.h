// The Electrum methods as data (spec §2.4, §3): one row per method with the
// protocol versions that have it, its parameters, its base cost and its
// handler. Sessions look a call up here, bind and validate its arguments,
// and only then run the handler.
#ifndef ELECTRUM_GATEWAY_METHODS_METHOD_TABLE_H_
#define ELECTRUM_GATEWAY_METHODS_METHOD_TABLE_H_

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "boost/asio/awaitable.hpp"
#include "gateway/metrics/metrics.h"
#include "gateway/protocol/arguments.h"
#include "gateway/protocol/protocol_version.h"
#include "nlohmann/json.hpp"

namespace electrum::gateway {

class Session;
struct GatewayContext;

// What a handler gets besides its arguments.
struct CallContext {
  Session& session;
  const GatewayContext& gateway;
  // Where upstream call times go (the method's series); may be null.
  Histogram* upstream_latency;
  // Cost beyond the method's base cost, added by handlers whose cost
  // depends on the answer (history length, header count…).
  double extra_cost = 0;
  std::chrono::steady_clock::time_point deadline;

  std::chrono::milliseconds remaining() const;
};

// Large answers (histories) are written as JSON text directly.
struct EncodedJson {
  std::string text;
};
using MethodResult = std::variant<nlohmann::json, EncodedJson>;

using MethodHandler = std::function<boost::asio::awaitable<absl::StatusOr<MethodResult>>(
    CallContext&, const std::vector<nlohmann::json>& arguments)>;

struct MethodSpec {
  std::string name;
  ProtocolVersion since;
  // The first version without it, if it was removed.
  std::optional<ProtocolVersion> removed_in;
  ParameterList parameters;
  double cost = 0;
  MethodHandler handler;
  // This method's series, resolved once (AttachMetrics); null until then.
  struct Series {
    Counter* requests = nullptr;
    Counter* errors = nullptr;
    Histogram* upstream_latency = nullptr;
  } series;
};

class MethodTable {
 public:
  void Add(MethodSpec method);
  // Points every row at its metric series.
  void AttachMetrics(GatewayMetrics& metrics);
  // The method as offered at `version`; nullptr when unknown there.
  const MethodSpec* Find(const std::string& name, const ProtocolVersion& version) const;

 private:
  absl::flat_hash_map<std::string, std::vector<MethodSpec>> methods_;
};

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_METHODS_METHOD_TABLE_H_
