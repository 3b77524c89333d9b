#include "gateway/subscriptions/watch_hub.h"

#include <algorithm>

#include "spdlog/spdlog.h"

namespace electrum::gateway {
namespace {

std::string Bytes(const chain::ScriptHash& scripthash) {
  return std::string(reinterpret_cast<const char*>(scripthash.internal().data()),
                     chain::ScriptHash::kSize);
}

bool EraseValue(std::vector<chain::ScriptHash>& values, const chain::ScriptHash& value) {
  auto it = std::find(values.begin(), values.end(), value);
  if (it == values.end()) return false;
  values.erase(it);
  return true;
}

}  // namespace

WatchHub::WatchHub(WatchHubOptions options, v1::AddressHistoryService::StubInterface& stub)
    : options_(options), stub_(stub) {}

WatchHub::~WatchHub() { Stop(); }

void WatchHub::Start() {
  thread_ = std::thread([this] { Run(); });
}

void WatchHub::Stop() {
  stopping_ = true;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stream_context_) stream_context_->TryCancel();
  }
  pending_changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

size_t WatchHub::watched() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

bool WatchHub::Watches(const chain::ScriptHash& scripthash) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.contains(scripthash);
}

absl::StatusOr<std::optional<StatusBytes>> WatchHub::Subscribe(
    const chain::ScriptHash& scripthash, const std::shared_ptr<ScriptHashSubscriber>& subscriber) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!entries_.contains(scripthash) && entries_.size() >= options_.max_watched) {
    // Fulcrum's text for the same limit.
    return absl::ResourceExhaustedError("Subscription limit reached");
  }
  Entry& entry = entries_[scripthash];
  if (entry.subscribers.empty()) {
    // Still watched upstream if its removal has not been sent yet.
    if (!EraseValue(pending_removes_, scripthash)) {
      pending_adds_.push_back(scripthash);
      pending_changed_.notify_one();
    }
  }
  entry.subscribers.push_back(subscriber);
  return entry.status;
}

void WatchHub::Unsubscribe(const chain::ScriptHash& scripthash,
                           const ScriptHashSubscriber* subscriber) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(scripthash);
  if (it == entries_.end()) return;
  auto& subscribers = it->second.subscribers;
  subscribers.erase(std::remove_if(subscribers.begin(), subscribers.end(),
                                   [subscriber](const std::weak_ptr<ScriptHashSubscriber>& weak) {
                                     auto strong = weak.lock();
                                     return !strong || strong.get() == subscriber;
                                   }),
                    subscribers.end());
  if (!subscribers.empty()) return;
  entries_.erase(it);
  if (!EraseValue(pending_adds_, scripthash)) {
    pending_removes_.push_back(scripthash);
    pending_changed_.notify_one();
  }
}

void WatchHub::Deliver(const v1::WatchEvent& event) {
  size_t deliveries = 0;
  for (const v1::ScriptHashStatus& update : event.statuses()) {
    auto scripthash = chain::ScriptHash::FromInternal(
        chain::ByteSpan(reinterpret_cast<const uint8_t*>(update.script_hash().data()),
                        update.script_hash().size()));
    if (!scripthash.ok()) continue;
    if (observer_ != nullptr) observer_->OnStatus(*scripthash, update.status());
    std::vector<std::shared_ptr<ScriptHashSubscriber>> targets;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = entries_.find(*scripthash);
      if (it == entries_.end()) continue;
      it->second.status = update.status();
      for (const auto& weak : it->second.subscribers) {
        if (auto strong = weak.lock()) targets.push_back(std::move(strong));
      }
    }
    for (const auto& target : targets) target->OnScriptHashStatus(*scripthash, update.status());
    deliveries += targets.size();
  }
  spdlog::info("{} script hash status(es) changed; {} subscription(s) notified",
               event.statuses_size(), deliveries);
}

void WatchHub::WriteLoop(
    grpc::ClientReaderWriterInterface<v1::WatchRequest, v1::WatchEvent>& stream,
    const std::atomic<bool>& done) {
  // A new stream watches nothing: add everything known first.
  std::vector<chain::ScriptHash> adds;
  std::vector<chain::ScriptHash> removes;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [scripthash, entry] : entries_) adds.push_back(scripthash);
    pending_adds_.clear();
    pending_removes_.clear();
  }
  while (!done && !stopping_) {
    for (size_t i = 0; i < std::max(adds.size(), removes.size()); i += options_.chunk) {
      v1::WatchRequest request;
      for (size_t j = i; j < std::min(adds.size(), i + options_.chunk); ++j) {
        request.add_add(Bytes(adds[j]));
      }
      for (size_t j = i; j < std::min(removes.size(), i + options_.chunk); ++j) {
        request.add_remove(Bytes(removes[j]));
      }
      if (!stream.Write(request)) return;
    }
    adds.clear();
    removes.clear();
    std::unique_lock<std::mutex> lock(mutex_);
    pending_changed_.wait(lock, [&] {
      return done || stopping_ || !pending_adds_.empty() || !pending_removes_.empty();
    });
    adds.swap(pending_adds_);
    removes.swap(pending_removes_);
  }
}

void WatchHub::Run() {
  std::chrono::milliseconds backoff = options_.min_backoff;
  while (!stopping_) {
    auto context = std::make_shared<grpc::ClientContext>();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stream_context_ = context;
    }
    auto stream = stub_.Watch(context.get());
    std::atomic<bool> done{false};
    std::thread writer([&] { WriteLoop(*stream, done); });
    v1::WatchEvent event;
    bool received = false;
    while (stream->Read(&event)) {
      received = true;
      Deliver(event);
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done = true;
      // Changes from now until the next stream's first statuses are missed:
      // what the hub knew is no longer known to be current.
      for (auto& [scripthash, entry] : entries_) entry.status.reset();
    }
    if (observer_ != nullptr) observer_->OnStreamEnded();
    pending_changed_.notify_all();
    context->TryCancel();
    writer.join();
    grpc::Status status = stream->Finish();
    if (stopping_) break;
    if (received) backoff = options_.min_backoff;
    spdlog::warn("Watch stream to the history service ended ({}); reopening in {} ms",
                 status.error_message(), backoff.count());
    std::unique_lock<std::mutex> lock(mutex_);
    pending_changed_.wait_for(lock, backoff, [this] { return stopping_.load(); });
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

}  // namespace electrum::gateway
