#include "gateway/session/session_registry.h"

#include <condition_variable>

#include "absl/strings/str_cat.h"
#include "boost/asio/post.hpp"
#include "gateway/session/session.h"
#include "spdlog/spdlog.h"

namespace electrum::gateway {

absl::Status SessionRegistry::Admit(const boost::asio::ip::address& address) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (admitted_ >= limits_.max_sessions) {
    return absl::ResourceExhaustedError(
        absl::StrCat("session limit ", limits_.max_sessions, " reached"));
  }
  size_t& from_ip = per_ip_[address.to_string()];
  if (from_ip >= limits_.max_sessions_per_ip) {
    return absl::ResourceExhaustedError(absl::StrCat("per-IP session limit ",
                                                     limits_.max_sessions_per_ip, " reached for ",
                                                     address.to_string()));
  }
  ++from_ip;
  ++admitted_;
  return absl::OkStatus();
}

void SessionRegistry::Release(const boost::asio::ip::address& address) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = per_ip_.find(address.to_string());
  if (it != per_ip_.end() && --it->second == 0) per_ip_.erase(it);
  if (admitted_ > 0) --admitted_;
}

uint64_t SessionRegistry::NextId() {
  std::lock_guard<std::mutex> lock(mutex_);
  return next_id_++;
}

void SessionRegistry::Add(const std::shared_ptr<Session>& session) {
  std::lock_guard<std::mutex> lock(mutex_);
  sessions_[session->id()] = session;
}

void SessionRegistry::Remove(uint64_t id, const boost::asio::ip::address& address) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (sessions_.erase(id) == 0) return;
  }
  Release(address);
}

std::vector<std::shared_ptr<Session>> SessionRegistry::Snapshot() const {
  std::vector<std::shared_ptr<Session>> sessions;
  std::lock_guard<std::mutex> lock(mutex_);
  sessions.reserve(sessions_.size());
  for (const auto& [id, weak] : sessions_) {
    if (auto session = weak.lock()) sessions.push_back(std::move(session));
  }
  return sessions;
}

void SessionRegistry::PostToAll(const std::function<void(Session&)>& visit) {
  for (auto& session : Snapshot()) {
    boost::asio::post(session->executor(), [session, visit] { visit(*session); });
  }
}

void SessionRegistry::NotifyTip(const StoredHeader& tip) {
  spdlog::info("new tip {}: offered to {} session(s)", tip.height, size());
  PostToAll([tip](Session& session) { session.NotifyTip(tip); });
}

std::vector<SessionSnapshot> SessionRegistry::Snapshots(std::chrono::milliseconds timeout) {
  struct Collection {
    std::mutex mutex;
    std::condition_variable done;
    std::vector<SessionSnapshot> snapshots;
    size_t pending = 0;
  };
  auto collection = std::make_shared<Collection>();
  std::vector<std::shared_ptr<Session>> sessions = Snapshot();
  collection->pending = sessions.size();
  for (auto& session : sessions) {
    boost::asio::post(session->executor(), [session, collection] {
      SessionSnapshot snapshot = session->Snapshot();
      std::lock_guard<std::mutex> lock(collection->mutex);
      collection->snapshots.push_back(std::move(snapshot));
      if (--collection->pending == 0) collection->done.notify_all();
    });
  }
  std::unique_lock<std::mutex> lock(collection->mutex);
  collection->done.wait_for(lock, timeout, [&] { return collection->pending == 0; });
  return collection->snapshots;
}

size_t SessionRegistry::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return sessions_.size();
}

}  // namespace electrum::gateway
