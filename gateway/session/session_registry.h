// The gateway's open sessions: admission (overall and per-IP limits), the
// header fan-out and the periodic timeout sweep, each delivered to a session
// on its own executor.
#ifndef ELECTRUM_GATEWAY_SESSION_SESSION_REGISTRY_H_
#define ELECTRUM_GATEWAY_SESSION_SESSION_REGISTRY_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "boost/asio/ip/address.hpp"
#include "gateway/chain/header_store.h"

namespace electrum::gateway {

class Session;
struct SessionSnapshot;

struct AdmissionLimits {
  size_t max_sessions = 10000;
  size_t max_sessions_per_ip = 1000;
};

class SessionRegistry {
 public:
  explicit SessionRegistry(AdmissionLimits limits) : limits_(limits) {}

  // RESOURCE_EXHAUSTED when a limit is reached.
  absl::Status Admit(const boost::asio::ip::address& address);
  // The counterpart of a successful Admit when no session was created.
  void Release(const boost::asio::ip::address& address);
  uint64_t NextId();
  void Add(const std::shared_ptr<Session>& session);
  // Also releases the session's admission.
  void Remove(uint64_t id, const boost::asio::ip::address& address);

  // Posts `visit` to every session's executor.
  void PostToAll(const std::function<void(Session&)>& visit);
  void NotifyTip(const StoredHeader& tip);
  size_t size() const;
  // Every session's snapshot, taken on its own executor (sessions that do
  // not answer within `timeout` are left out).
  std::vector<SessionSnapshot> Snapshots(std::chrono::milliseconds timeout);
  std::vector<std::shared_ptr<Session>> Snapshot() const;

 private:
  const AdmissionLimits limits_;
  mutable std::mutex mutex_;
  uint64_t next_id_ = 1;
  size_t admitted_ = 0;
  absl::flat_hash_map<std::string, size_t> per_ip_;
  absl::flat_hash_map<uint64_t, std::weak_ptr<Session>> sessions_;
};

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_SESSION_SESSION_REGISTRY_H_
