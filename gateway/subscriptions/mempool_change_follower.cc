#include "gateway/subscriptions/mempool_change_follower.h"

#include <algorithm>
#include <optional>

#include "spdlog/spdlog.h"

namespace electrum::gateway {

MempoolChangeFollower::MempoolChangeFollower(MempoolChangeFollowerOptions options,
                                             v1::MempoolService::StubInterface& stub,
                                             std::function<void()> on_change)
    : options_(options), stub_(stub), on_change_(std::move(on_change)) {}

MempoolChangeFollower::~MempoolChangeFollower() { Stop(); }

void MempoolChangeFollower::Start() {
  reader_ = std::thread([this] { Read(); });
  deliverer_ = std::thread([this] { Deliver(); });
}

void MempoolChangeFollower::Stop() {
  stopping_ = true;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stream_context_) stream_context_->TryCancel();
  }
  wake_.notify_all();
  if (reader_.joinable()) reader_.join();
  if (deliverer_.joinable()) deliverer_.join();
}

void MempoolChangeFollower::MarkChanged() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    changed_ = true;
  }
  wake_.notify_all();
}

void MempoolChangeFollower::Read() {
  std::chrono::milliseconds backoff = options_.min_backoff;
  std::optional<uint64_t> last_sequence;
  while (!stopping_) {
    auto context = std::make_shared<grpc::ClientContext>();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stream_context_ = context;
    }
    auto reader = stub_.SubscribeChanges(context.get(), v1::SubscribeChangesRequest());
    v1::MempoolChangeEvent event;
    while (!stopping_ && reader->Read(&event)) {
      backoff = options_.min_backoff;
      // The first event of a stream is the current counter: a change only
      // if it moved while we were not listening.
      if (last_sequence != event.sequence()) {
        if (last_sequence) MarkChanged();
        last_sequence = event.sequence();
      }
    }
    grpc::Status finished = reader->Finish();
    if (stopping_) break;
    spdlog::warn("mempool changes stream ended ({}); reconnecting in {} ms",
                 finished.error_message(), backoff.count());
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait_for(lock, backoff, [this] { return stopping_.load(); });
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

void MempoolChangeFollower::Deliver() {
  while (!stopping_) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return changed_ || stopping_.load(); });
      if (stopping_) return;
      changed_ = false;
    }
    on_change_();
    // Changes arriving now wait for the next report.
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait_for(lock, options_.min_interval, [this] { return stopping_.load(); });
  }
}

}  // namespace electrum::gateway
