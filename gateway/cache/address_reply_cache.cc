#include "gateway/cache/address_reply_cache.h"

#include <utility>
#include <vector>

namespace electrum::gateway {
namespace {

// What a slot costs beyond its replies (map entry, list node, key).
constexpr size_t kSlotBytes = 160;

}  // namespace

AddressReplyCache::AddressReplyCache(AddressReplyCacheOptions options, WatchHub& hub)
    : options_(options), hub_(hub) {}

AddressReplyCache::~AddressReplyCache() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [scripthash, slot] : slots_) hub_.Unsubscribe(scripthash, registration_.get());
}

std::optional<CachedReply> AddressReplyCache::Find(const chain::ScriptHash& scripthash,
                                                   AddressQuery query) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = slots_.find(scripthash);
  if (it == slots_.end()) return std::nullopt;
  const std::optional<CachedReply>& reply = it->second.replies[static_cast<size_t>(query)];
  if (!reply) return std::nullopt;
  recency_.splice(recency_.begin(), recency_, it->second.recency);
  return *reply;
}

std::optional<AddressReplyCache::Ticket> AddressReplyCache::Prepare(
    const chain::ScriptHash& scripthash) {
  if (options_.max_bytes == 0) return std::nullopt;
  // The hub is called under this lock: it never calls back while holding
  // its own, so the order cache → hub cannot deadlock.
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = slots_.find(scripthash);
  if (it == slots_.end()) {
    if (!AdmitLocked(scripthash)) return std::nullopt;
    absl::StatusOr<std::optional<StatusBytes>> known = hub_.Subscribe(scripthash, registration_);
    if (!known.ok()) return std::nullopt;  // the hub's watch limit
    recency_.push_front(scripthash);
    it = slots_.emplace(scripthash, Slot{}).first;
    it->second.recency = recency_.begin();
    // A status the hub knows from a session's subscription is current: the
    // hub forgets statuses when its stream ends.
    it->second.status_known = known->has_value() && !(*known)->empty();
    bytes_ += kSlotBytes;
    Unsubscribe(EvictLocked());
    it = slots_.find(scripthash);
    if (it == slots_.end()) return std::nullopt;
  }
  if (!it->second.status_known) return std::nullopt;
  return Ticket{scripthash, it->second.generation};
}

bool AddressReplyCache::Store(const Ticket& ticket, AddressQuery query, CachedReply reply) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = slots_.find(ticket.scripthash);
  // A status arrived (or the stream ended) while the reply was read.
  if (it == slots_.end() || it->second.generation != ticket.generation ||
      !it->second.status_known) {
    return false;
  }
  Slot& slot = it->second;
  std::optional<CachedReply>& kept = slot.replies[static_cast<size_t>(query)];
  if (kept) {
    slot.bytes -= kept->json.size();
    bytes_ -= kept->json.size();
  }
  slot.bytes += reply.json.size();
  bytes_ += reply.json.size();
  kept = std::move(reply);
  recency_.splice(recency_.begin(), recency_, slot.recency);
  Unsubscribe(EvictLocked());
  return slots_.contains(ticket.scripthash) && slot.replies[static_cast<size_t>(query)];
}

void AddressReplyCache::OnStatus(const chain::ScriptHash& scripthash, const StatusBytes& status) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = slots_.find(scripthash);
  if (it == slots_.end()) return;
  Slot& slot = it->second;
  ++slot.generation;
  DropRepliesLocked(slot);
  slot.status_known = true;
  if (!status.empty()) return;
  // No history, or one too large for the service to keep watching: not
  // worth a slot, and possibly no longer followed.
  bytes_ -= kSlotBytes;
  recency_.erase(slot.recency);
  slots_.erase(it);
  hub_.Unsubscribe(scripthash, registration_.get());
}

void AddressReplyCache::OnStreamEnded() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [scripthash, slot] : slots_) {
    ++slot.generation;
    DropRepliesLocked(slot);
    // Known again when the next stream delivers the status.
    slot.status_known = false;
  }
}

size_t AddressReplyCache::bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return bytes_;
}

size_t AddressReplyCache::scripthashes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return slots_.size();
}

bool AddressReplyCache::AdmitLocked(const chain::ScriptHash& scripthash) {
  if (seen_.erase(scripthash) > 0 || seen_before_.erase(scripthash) > 0) return true;
  if (hub_.Watches(scripthash)) return true;
  seen_.insert(scripthash);
  if (seen_.size() >= options_.admission_window) {
    seen_before_ = std::move(seen_);
    seen_.clear();
  }
  return false;
}

void AddressReplyCache::DropRepliesLocked(Slot& slot) {
  for (std::optional<CachedReply>& reply : slot.replies) reply.reset();
  bytes_ -= slot.bytes;
  slot.bytes = 0;
}

std::vector<chain::ScriptHash> AddressReplyCache::EvictLocked() {
  std::vector<chain::ScriptHash> evicted;
  while (bytes_ > options_.max_bytes && !recency_.empty()) {
    const chain::ScriptHash scripthash = recency_.back();
    auto it = slots_.find(scripthash);
    bytes_ -= it->second.bytes + kSlotBytes;
    recency_.pop_back();
    slots_.erase(it);
    evicted.push_back(scripthash);
  }
  return evicted;
}

void AddressReplyCache::Unsubscribe(const std::vector<chain::ScriptHash>& scripthashes) {
  for (const chain::ScriptHash& scripthash : scripthashes) {
    hub_.Unsubscribe(scripthash, registration_.get());
  }
}

}  // namespace electrum::gateway
