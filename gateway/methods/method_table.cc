#include "gateway/methods/method_table.h"

#include <algorithm>

namespace electrum::gateway {

std::chrono::milliseconds CallContext::remaining() const {
  return std::max(std::chrono::milliseconds(1),
                  std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - std::chrono::steady_clock::now()));
}

void MethodTable::Add(MethodSpec method) {
  std::string name = method.name;
  methods_[name].push_back(std::move(method));
}

void MethodTable::AttachMetrics(GatewayMetrics& metrics) {
  for (auto& [name, versions] : methods_) {
    for (MethodSpec& method : versions) {
      method.series = {&metrics.requests.With(name), &metrics.errors.With(name),
                       &metrics.upstream_latency.With(name)};
    }
  }
}

const MethodSpec* MethodTable::Find(const std::string& name, const ProtocolVersion& version) const {
  auto it = methods_.find(name);
  if (it == methods_.end()) return nullptr;
  for (const MethodSpec& method : it->second) {
    if (version < method.since) continue;
    if (method.removed_in && !(version < *method.removed_in)) continue;
    return &method;
  }
  return nullptr;
}

}  // namespace electrum::gateway
