#include "gateway/chain/header_follower.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "common/grpc/status_conversion.h"
#include "spdlog/spdlog.h"

namespace electrum::gateway {
namespace {

StoredHeader FromProto(const v1::BlockHeader& header) {
  StoredHeader stored;
  stored.height = static_cast<int32_t>(header.height());
  auto hash = chain::BlockHash::FromInternal(chain::ByteSpan(
      reinterpret_cast<const uint8_t*>(header.hash().data()), header.hash().size()));
  if (hash.ok()) stored.hash = *hash;
  stored.raw = header.raw() + header.pow_data();
  return stored;
}

// Whether `header` names `previous` as its parent (bytes 4..36 of every
// Bitcoin-family header, AuxPoW included).
bool Extends(const StoredHeader& header, const chain::BlockHash& previous) {
  return header.raw.size() >= 36 &&
         std::memcmp(header.raw.data() + 4, previous.internal().data(), 32) == 0;
}

}  // namespace

HeaderFollower::HeaderFollower(HeaderFollowerOptions options,
                               v1::BlockchainService::StubInterface& stub, HeaderStore& store,
                               TipCallback on_tip)
    : options_(options), stub_(stub), store_(store), on_tip_(std::move(on_tip)) {}

HeaderFollower::~HeaderFollower() { Stop(); }

void HeaderFollower::Start() {
  thread_ = std::thread([this] { Run(); });
}

void HeaderFollower::Stop() {
  stopping_ = true;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stream_context_) stream_context_->TryCancel();
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool HeaderFollower::WaitUntilSynced(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, timeout, [this] { return synced_ || stopping_.load(); }) &&
         synced_;
}

void HeaderFollower::Run() {
  std::chrono::milliseconds backoff = options_.min_backoff;
  while (!stopping_) {
    auto context = std::make_shared<grpc::ClientContext>();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stream_context_ = context;
    }
    auto reader = stub_.SubscribeHeaders(context.get(), v1::SubscribeHeadersRequest());
    v1::HeadersEvent event;
    absl::Status failure;
    while (!stopping_ && reader->Read(&event)) {
      failure = SyncTo(event);
      if (!failure.ok()) {
        context->TryCancel();
        break;
      }
      backoff = options_.min_backoff;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        synced_ = true;
      }
      changed_.notify_all();
      if (std::optional<StoredHeader> tip = store_.Tip()) on_tip_(*tip);
    }
    grpc::Status finished = reader->Finish();
    if (stopping_) break;
    spdlog::warn("headers stream from the blockchain service ended ({}); reconnecting in {} ms",
                 failure.ok() ? finished.error_message() : std::string(failure.message()),
                 backoff.count());
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait_for(lock, backoff, [this] { return stopping_.load(); });
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

absl::StatusOr<chain::BlockHash> HeaderFollower::UpstreamHashAt(int32_t height) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + options_.call_timeout);
  v1::GetHeaderRequest request;
  request.set_height(static_cast<uint32_t>(height));
  v1::GetHeaderResponse response;
  grpc::Status status = stub_.GetHeader(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return FromProto(response.header()).hash;
}

absl::Status HeaderFollower::SyncTo(const v1::HeadersEvent& event) {
  const StoredHeader tip = FromProto(event.tip());
  if (event.reorg_from_height() > 0) store_.TruncateFrom(event.reorg_from_height());
  // Walk back (in growing steps) to the newest height both sides agree on.
  int32_t height = std::min(store_.tip_height(), tip.height);
  int32_t step = 1;
  while (height >= 0) {
    std::optional<StoredHeader> local = store_.At(height);
    absl::StatusOr<chain::BlockHash> upstream =
        height == tip.height ? absl::StatusOr<chain::BlockHash>(tip.hash) : UpstreamHashAt(height);
    if (!upstream.ok()) return upstream.status();
    if (local && local->hash == *upstream) break;
    height = std::max(-1, height - step);
    step *= 2;
  }
  store_.TruncateFrom(height + 1);
  return Fill(tip.height);
}

absl::Status HeaderFollower::Fill(int32_t target_height) {
  while (!stopping_ && store_.tip_height() < target_height) {
    const int32_t start = store_.tip_height() + 1;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + options_.call_timeout);
    v1::GetHeadersRequest request;
    request.set_start_height(static_cast<uint32_t>(start));
    request.set_count(std::min<uint32_t>(options_.chunk, target_height - start + 1));
    v1::GetHeadersResponse response;
    grpc::Status status = stub_.GetHeaders(&context, request, &response);
    if (!status.ok()) return FromGrpcStatus(status);
    if (response.headers_size() == 0) {
      return absl::UnavailableError(absl::StrCat("no headers from height ", start));
    }
    std::vector<StoredHeader> headers;
    std::optional<StoredHeader> previous = store_.Tip();
    for (const v1::BlockHeader& proto : response.headers()) {
      StoredHeader header = FromProto(proto);
      if (previous && !Extends(header, previous->hash)) {
        // The chain changed under us: step back and let the next event
        // (or this loop) find the fork again.
        store_.TruncateFrom(std::max(0, start - 1));
        return absl::AbortedError(
            absl::StrCat("header ", header.height, " does not extend the stored chain"));
      }
      previous = header;
      headers.push_back(std::move(header));
    }
    if (!store_.Append(headers)) return absl::InternalError("headers out of order");
  }
  return absl::OkStatus();
}

}  // namespace electrum::gateway
