#include "gateway/session/session_groups.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace electrum::gateway {
namespace {

namespace ip = boost::asio::ip;

bool IsPrivate(const ip::address& address) {
  if (address.is_loopback() || address.is_unspecified()) return true;
  if (address.is_v4()) {
    const auto bytes = address.to_v4().to_bytes();
    return bytes[0] == 10 || (bytes[0] == 172 && (bytes[1] & 0xF0) == 16) ||
           (bytes[0] == 192 && bytes[1] == 168) || (bytes[0] == 169 && bytes[1] == 254);
  }
  const ip::address_v6 v6 = address.to_v6();
  if (v6.is_v4_mapped()) return IsPrivate(ip::make_address_v4(ip::v4_mapped, v6));
  const auto bytes = v6.to_bytes();
  return v6.is_link_local() || (bytes[0] & 0xFE) == 0xFC;  // fc00::/7
}

template <typename Bytes>
void MaskTo(Bytes& bytes, int prefix) {
  for (size_t i = 0; i < bytes.size(); ++i) {
    const int keep = std::clamp(prefix - static_cast<int>(i) * 8, 0, 8);
    bytes[i] &= static_cast<uint8_t>(0xFF00 >> keep);
  }
}

}  // namespace

GroupMembership::GroupMembership(SessionGroups& groups, std::string key, uint64_t session_id)
    : groups_(groups), key_(std::move(key)), session_id_(session_id) {}

GroupMembership::~GroupMembership() { groups_.Leave(key_, session_id_, last_cost_); }

double GroupMembership::Update(double own_cost) {
  last_cost_ = own_cost;
  return groups_.Update(key_, session_id_, own_cost);
}

std::optional<std::string> SessionGroups::KeyFor(const ip::address& address) const {
  if (!limits_.group_private_addresses && IsPrivate(address)) return std::nullopt;
  if (address.is_v4() || (address.is_v6() && address.to_v6().is_v4_mapped())) {
    ip::address_v4 v4 =
        address.is_v4() ? address.to_v4() : ip::make_address_v4(ip::v4_mapped, address.to_v6());
    auto bytes = v4.to_bytes();
    MaskTo(bytes, limits_.ipv4_prefix);
    return absl::StrCat(ip::address_v4(bytes).to_string(), "/", limits_.ipv4_prefix);
  }
  auto bytes = address.to_v6().to_bytes();
  MaskTo(bytes, limits_.ipv6_prefix);
  return absl::StrCat(ip::address_v6(bytes).to_string(), "/", limits_.ipv6_prefix);
}

std::unique_ptr<GroupMembership> SessionGroups::Join(const ip::address& address,
                                                     uint64_t session_id) {
  std::optional<std::string> key = KeyFor(address);
  if (!key) return nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Group& group = groups_[*key];
    if (group.members.empty() && group.retained == 0) group.retained_at = Clock::now();
    group.members[session_id] = 0;
  }
  return std::make_unique<GroupMembership>(*this, *key, session_id);
}

void SessionGroups::DecayRetained(Group& group, Clock::time_point now) {
  const double seconds = std::chrono::duration<double>(now - group.retained_at).count();
  group.retained = std::max(0.0, group.retained - seconds * limits_.retained_decay_per_second);
  group.retained_at = now;
}

double SessionGroups::Update(const std::string& key, uint64_t session_id, double own_cost) {
  std::lock_guard<std::mutex> lock(mutex_);
  Group& group = groups_[key];
  DecayRetained(group, Clock::now());
  group.members[session_id] = own_cost;
  double others = group.retained;
  for (const auto& [id, cost] : group.members) {
    if (id != session_id) others += cost;
  }
  return others;
}

void SessionGroups::Leave(const std::string& key, uint64_t session_id, double final_cost) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = groups_.find(key);
  if (it == groups_.end()) return;
  Group& group = it->second;
  DecayRetained(group, Clock::now());
  group.members.erase(session_id);
  group.retained += final_cost;
  if (group.members.empty() && group.retained <= 0) groups_.erase(it);
}

double SessionGroups::GroupCost(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = groups_.find(key);
  if (it == groups_.end()) return 0;
  DecayRetained(it->second, Clock::now());
  double total = it->second.retained;
  for (const auto& [id, cost] : it->second.members) total += cost;
  return total;
}

}  // namespace electrum::gateway
