// Sessions from one IPv4 /24 or IPv6 /48 share their cost (spec §5.4): each
// session is throttled by its own cost plus that of the rest of its group,
// and a session's cost stays with the group (decaying) after it leaves, so
// reconnecting does not reset it. Loopback and private addresses are exempt
// unless configured otherwise.
#ifndef ELECTRUM_GATEWAY_SESSION_SESSION_GROUPS_H_
#define ELECTRUM_GATEWAY_SESSION_SESSION_GROUPS_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "boost/asio/ip/address.hpp"

namespace electrum::gateway {

struct GroupLimits {
  int ipv4_prefix = 24;
  int ipv6_prefix = 48;
  // Retained cost decays at this rate per second (ElectrumX: hard limit / 5000).
  double retained_decay_per_second = 2.0;
  bool group_private_addresses = false;
};

class SessionGroups;

// A session's membership; leaving the group when destroyed.
class GroupMembership {
 public:
  GroupMembership(SessionGroups& groups, std::string key, uint64_t session_id);
  ~GroupMembership();
  GroupMembership(const GroupMembership&) = delete;
  GroupMembership& operator=(const GroupMembership&) = delete;

  // Records this session's cost; returns the cost of the rest of the group.
  double Update(double own_cost);
  const std::string& key() const { return key_; }

 private:
  SessionGroups& groups_;
  const std::string key_;
  const uint64_t session_id_;
  double last_cost_ = 0;
};

class SessionGroups {
 public:
  using Clock = std::chrono::steady_clock;

  explicit SessionGroups(GroupLimits limits) : limits_(limits) {}

  // "1.2.3.0/24", "2001:db8::/48"; nullopt for exempt addresses.
  std::optional<std::string> KeyFor(const boost::asio::ip::address& address) const;
  // nullptr for exempt addresses.
  std::unique_ptr<GroupMembership> Join(const boost::asio::ip::address& address,
                                        uint64_t session_id);
  // Cost of a group (retained + members), for tests and the admin service.
  double GroupCost(const std::string& key);

 private:
  friend class GroupMembership;
  struct Group {
    double retained = 0;
    Clock::time_point retained_at;
    absl::flat_hash_map<uint64_t, double> members;
  };

  double Update(const std::string& key, uint64_t session_id, double own_cost);
  void Leave(const std::string& key, uint64_t session_id, double final_cost);
  void DecayRetained(Group& group, Clock::time_point now);

  const GroupLimits limits_;
  std::mutex mutex_;
  absl::flat_hash_map<std::string, Group> groups_;
};

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_SESSION_SESSION_GROUPS_H_
