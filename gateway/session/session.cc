#include "gateway/session/session.h"

#include <exception>

#include "absl/strings/str_cat.h"
#include "boost/asio/as_tuple.hpp"
#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/use_awaitable.hpp"
#include "common/crypto/hex.h"
#include "common/text/thousands.h"
#include "gateway/jsonrpc/shown_value.h"
#include "gateway/methods/method_table.h"
#include "gateway/session/error_mapping.h"
#include "gateway/session/session_registry.h"
#include "spdlog/spdlog.h"

namespace electrum::gateway {
namespace {

namespace asio = boost::asio;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

// ElectrumX's costs of the first exchange (spec §5.2).
constexpr double kVersionCost = 0.5;
// Floor of max_send (spec §1.6).
constexpr size_t kMinMaxSend = 350'000;

}  // namespace

Session::Session(uint64_t id, asio::any_io_executor executor, std::unique_ptr<Transport> transport,
                 const GatewayContext& gateway)
    : id_(id),
      executor_(std::move(executor)),
      transport_(std::move(transport)),
      gateway_(gateway),
      meter_(gateway.limits.cost, Clock::now()),
      writer_wake_(executor_, Clock::time_point::max()),
      reader_wake_(executor_, Clock::time_point::max()),
      last_received_(Clock::now()),
      started_(last_received_) {
  if (gateway.groups != nullptr) group_ = gateway.groups->Join(transport_->remote().address(), id);
  gateway_.metrics->sessions.With(transport_->kind()).Add(1);
  gateway_.metrics->sessions_opened.With(transport_->kind()).Add(1);
}

Session::~Session() = default;

std::string Session::Describe() const {
  return absl::StrCat("[", id_, " ", transport_->kind(), " ",
                      transport_->remote().address().to_string(), "]");
}

void Session::Start() {
  auto self = shared_from_this();
  asio::co_spawn(
      executor_, [self]() { return self->ReadLoop(); }, asio::detached);
  asio::co_spawn(
      executor_, [self]() { return self->WriteLoop(); }, asio::detached);
}

void Session::Close(const std::string& reason, bool abort) {
  if (closed_) return;
  closed_ = true;
  spdlog::info("{} closed: {}", Describe(), reason);
  if (abort) {
    transport_->Abort();
  } else {
    transport_->Close();
  }
  writer_wake_.cancel();
  reader_wake_.cancel();
  outgoing_.clear();
  for (const auto& [scripthash, subscription] : scripthashes_) {
    gateway_.hub->Unsubscribe(scripthash, this);
  }
  scripthashes_.clear();
  if (group_) {
    // What this session cost stays with its group.
    group_->Update(meter_.Cost(Clock::now()));
    group_.reset();
  }
  gateway_.registry->Remove(id_, transport_->remote().address());
  gateway_.metrics->sessions.With(transport_->kind()).Add(-1);
}

void Session::CloseAfterFlush(const std::string& reason) {
  if (closing_ || closed_) return;
  closing_ = true;
  spdlog::info("{} closing: {}", Describe(), reason);
  writer_wake_.cancel();
}

asio::awaitable<void> Session::ReadLoop() {
  std::vector<std::string> messages;
  while (!closed_ && !closing_) {
    messages.clear();
    if (!co_await transport_->Read(messages)) break;
    if (size_t dropped = transport_->TakeDroppedMessages()) {
      spdlog::warn("{} dropped {} message(s) over {} bytes", Describe(), dropped,
                   gateway_.limits.max_receive);
      meter_.AddBytes(dropped * gateway_.limits.max_receive, Clock::now());
    }
    for (const std::string& text : messages) {
      if (closed_ || closing_) break;
      last_received_ = Clock::now();
      meter_.AddBytes(text.size() + 1, last_received_);
      // Stop reading while the peer is not taking its responses.
      while (!closed_ && outgoing_bytes_ > gateway_.limits.max_send_queue) {
        reader_wake_.expires_at(Clock::time_point::max());
        co_await reader_wake_.async_wait(kNoThrow);
      }
      co_await HandleMessage(text);
    }
  }
  if (!closing_) Close("connection ended by the peer");
}

asio::awaitable<void> Session::WriteLoop() {
  auto self = shared_from_this();
  std::vector<std::string> sending;
  while (!closed_) {
    if (outgoing_.empty()) {
      if (closing_ && in_flight_ == 0) {
        Close("reply sent");
        break;
      }
      writer_wake_.expires_at(Clock::time_point::max());
      co_await writer_wake_.async_wait(kNoThrow);
      continue;
    }
    sending.swap(outgoing_);
    size_t bytes = outgoing_bytes_;
    outgoing_bytes_ = 0;
    writing_notification_since_ = std::exchange(queued_notification_since_, std::nullopt);
    reader_wake_.cancel();
    const bool written = co_await transport_->Write(sending);
    if (writing_notification_since_ && written) {
      gateway_.metrics->notification_latency.Observe(
          std::chrono::duration<double>(Clock::now() - *writing_notification_since_).count());
    }
    writing_notification_since_.reset();
    sending.clear();
    if (!written) {
      Close("write failed", true);
      break;
    }
    meter_.AddBytes(bytes, Clock::now());
  }
}

void Session::Enqueue(std::string message, bool notification) {
  if (closed_) return;
  outgoing_bytes_ += message.size() + 1;
  outgoing_.push_back(std::move(message));
  if (notification) {
    gateway_.metrics->notifications.Add();
    if (!queued_notification_since_) queued_notification_since_ = Clock::now();
  }
  writer_wake_.cancel();
  if (notification && outgoing_bytes_ > gateway_.limits.max_send_queue) {
    Close(
        absl::StrCat("send queue over ", gateway_.limits.max_send_queue, " bytes while notifying"),
        true);
  }
}

void Session::CheckTimeouts(Clock::time_point now) {
  if (closed_) return;
  std::optional<Clock::time_point> oldest = writing_notification_since_;
  if (!oldest) oldest = queued_notification_since_;
  if (oldest && now - *oldest > gateway_.limits.notify_timeout) {
    Close("timeout notifying client, closing...", true);
    return;
  }
  // A session waiting for its own answers is not idle.
  if (in_flight_ == 0 && !awaiting_slot_ && now - last_received_ > gateway_.limits.idle_timeout) {
    Close(absl::StrCat(
        "idle for more than ",
        std::chrono::duration_cast<std::chrono::seconds>(gateway_.limits.idle_timeout).count(),
        " s"));
  }
}

std::string Session::EncodeErrorReply(const nlohmann::json& id, const RpcError& error) {
  meter_.Add(error.code == RpcErrorCode::kParseError ? gateway_.limits.cost.parse_error_cost
                                                     : gateway_.limits.cost.error_cost,
             Clock::now());
  return EncodeError(id, error);
}

std::string Session::Bounded(std::string response, const nlohmann::json& id) {
  const size_t max_send = std::max(gateway_.limits.max_send, kMinMaxSend);
  if (response.size() <= max_send) return response;
  return EncodeErrorReply(
      id, {RpcErrorCode::kInvalidRequest,
           absl::StrCat("response too large (over ", WithThousands(static_cast<int64_t>(max_send)),
                        " bytes")});
}

asio::awaitable<void> Session::HandleMessage(const std::string& text) {
  Message message = ParseMessage(text, dialect_, gateway_.limits.parse);
  if (!negotiated_) {
    co_await HandleFirstMessage(message);
    co_return;
  }
  if (!message.batch) {
    MessageItem& item = message.items.front();
    if (auto* rejected = std::get_if<Rejected>(&item)) {
      Enqueue(EncodeErrorReply(rejected->id, rejected->error), false);
      co_return;
    }
    Call& call = std::get<Call>(item);
    if (call.notification) {
      // Nothing a client may notify exists up to 1.6: count it as an error.
      meter_.Add(gateway_.limits.cost.error_cost, Clock::now());
      co_return;
    }
    if (!co_await AcquireSlot()) {
      RefuseOverCost(call.id);
      co_return;
    }
    asio::co_spawn(
        executor_,
        [self = shared_from_this(), call = std::move(call)]() mutable {
          return self->RunAndReply(std::move(call));
        },
        asio::detached);
    co_return;
  }
  if (!co_await AcquireSlot()) {
    RefuseOverCost(nullptr);
    co_return;
  }
  asio::co_spawn(
      executor_,
      [self = shared_from_this(), items = std::move(message.items)]() mutable {
        return self->RunBatchAndReply(std::move(items));
      },
      asio::detached);
}

void Session::RefuseOverCost(const nlohmann::json& id) {
  Enqueue(EncodeErrorReply(id, {RpcErrorCode::kExcessiveResourceUsage, "excessive resource usage"}),
          false);
  CloseAfterFlush("closing session over res usage");
}

asio::awaitable<void> Session::HandleFirstMessage(Message& message) {
  const Call* call = nullptr;
  if (!message.batch) call = std::get_if<Call>(&message.items.front());
  if (!message.batch) {
    if (const auto* rejected = std::get_if<Rejected>(&message.items.front())) {
      Enqueue(EncodeErrorReply(rejected->id, rejected->error), false);
      CloseAfterFlush("first message was not a server.version request");
      co_return;
    }
  }
  if (call == nullptr || call->method != "server.version" || call->notification) {
    if (call != nullptr && !call->notification) {
      Enqueue(EncodeErrorReply(
                  call->id, {RpcErrorCode::kBadRequest, "use server.version to identify client"}),
              false);
    }
    CloseAfterFlush("first message was not a server.version request");
    co_return;
  }
  meter_.Add(kVersionCost, Clock::now());
  ParameterList parameters{{"client_name", "protocol_version"}, 0, true};
  absl::StatusOr<std::vector<nlohmann::json>> arguments =
      BindArguments(call->method, parameters, call->params);
  if (!arguments.ok()) {
    Enqueue(EncodeErrorReply(
                call->id, {RpcErrorCode::kInvalidArgs, std::string(arguments.status().message())}),
            false);
    CloseAfterFlush("server.version arguments invalid");
    co_return;
  }
  const nlohmann::json& name = (*arguments)[0];
  if (!name.is_null()) {
    std::string text = name.is_string() ? name.get<std::string>() : name.dump();
    const auto& drop = gateway_.identity.drop_client;
    if (drop && std::regex_search(text, *drop)) {
      Enqueue(EncodeErrorReply(call->id, {RpcErrorCode::kBadRequest,
                                          "unsupported client: " + ShownArgument(name)}),
              false);
      CloseAfterFlush("client refused by the drop-client pattern");
      co_return;
    }
    client_name_ = text.substr(0, 100);
  }
  absl::StatusOr<ProtocolVersion> version =
      NegotiateVersion((*arguments)[1], gateway_.identity.protocols);
  if (!version.ok()) {
    Enqueue(EncodeErrorReply(call->id,
                             {RpcErrorCode::kBadRequest, std::string(version.status().message())}),
            false);
    CloseAfterFlush("no common protocol version");
    co_return;
  }
  negotiated_ = true;
  protocol_ = *version;
  Enqueue(EncodeResult(call->id, nlohmann::json::array(
                                     {gateway_.identity.server_version, protocol_.ToString()})),
          false);
}

asio::awaitable<bool> Session::AcquireSlot() {
  const Clock::time_point now = Clock::now();
  const double others_in_group = group_ ? group_->Update(meter_.Cost(now)) : 0;
  Throttle throttle = meter_.CurrentThrottle(now, others_in_group);
  if (throttle.concurrency == 0) {
    gateway_.metrics->cost_disconnects.Add();
    co_return false;
  }
  awaiting_slot_ = true;
  if (throttle.delay.count() > 0) {
    gateway_.metrics->throttled.Add();
    asio::steady_timer sleep(executor_, throttle.delay);
    co_await sleep.async_wait(kNoThrow);
  }
  while (!closed_ && in_flight_ >= throttle.concurrency) {
    reader_wake_.expires_at(Clock::time_point::max());
    co_await reader_wake_.async_wait(kNoThrow);
  }
  awaiting_slot_ = false;
  if (closed_) co_return false;
  ++in_flight_;
  co_return true;
}

void Session::ReleaseSlot() {
  --in_flight_;
  reader_wake_.cancel();
  if (closing_) writer_wake_.cancel();
}

asio::awaitable<void> Session::RunAndReply(Call call) {
  std::string response = co_await Respond(call);
  ReleaseSlot();
  Enqueue(Bounded(std::move(response), call.id), false);
}

asio::awaitable<void> Session::RunBatchAndReply(std::vector<MessageItem> items) {
  // Members run concurrently (spec §1.4); their replies join the batch in
  // completion order, each sized into the running total.
  struct Batch {
    std::string reply = "[";
    size_t total = 0;
    size_t running = 0;
  };
  auto batch = std::make_shared<Batch>();
  asio::steady_timer all_done(executor_, Clock::time_point::max());
  const size_t max_send = std::max(gateway_.limits.max_send, kMinMaxSend);
  auto add = [this, batch, max_send](const nlohmann::json& id, std::string member) {
    if (batch->total + member.size() + 2 > max_send) {
      member = EncodeErrorReply(
          id, {RpcErrorCode::kInvalidRequest,
               absl::StrCat("response too large (over ",
                            WithThousands(static_cast<int64_t>(max_send)), " bytes")});
    }
    batch->total += member.size() + 2;
    if (batch->reply.size() > 1) batch->reply += ',';
    batch->reply += member;
  };
  for (MessageItem& item : items) {
    if (auto* rejected = std::get_if<Rejected>(&item)) {
      add(rejected->id, EncodeErrorReply(rejected->id, rejected->error));
      continue;
    }
    Call& call = std::get<Call>(item);
    if (call.notification) {
      meter_.Add(gateway_.limits.cost.error_cost, Clock::now());
      continue;
    }
    ++batch->running;
    asio::co_spawn(
        executor_,
        [self = shared_from_this(), call = std::move(call), add, batch,
         &all_done]() mutable -> asio::awaitable<void> {
          std::string member = co_await self->Respond(call);
          add(call.id, std::move(member));
          if (--batch->running == 0) all_done.cancel();
        },
        asio::detached);
  }
  while (batch->running > 0) co_await all_done.async_wait(kNoThrow);
  batch->reply += ']';
  ReleaseSlot();
  // A batch of notifications only gets no reply.
  if (batch->reply.size() > 2) Enqueue(std::move(batch->reply), false);
}

asio::awaitable<std::string> Session::Respond(const Call& call) {
  ++requests_;
  const MethodSpec* method = gateway_.methods->Find(call.method, protocol_);
  if (method == nullptr) {
    // Labelled "unknown": clients choose these names.
    gateway_.metrics->requests.With("unknown").Add();
    gateway_.metrics->errors.With("unknown").Add();
    // The name is echoed bounded, like every client value.
    co_return EncodeErrorReply(
        call.id,
        {RpcErrorCode::kMethodNotFound,
         absl::StrCat("unknown method \"", ShownArgument(nlohmann::json(call.method)), "\"")});
  }
  const MethodSpec::Series& series = method->series;
  if (series.requests != nullptr) series.requests->Add();
  absl::StatusOr<std::vector<nlohmann::json>> arguments =
      BindArguments(call.method, method->parameters, call.params);
  if (!arguments.ok()) {
    if (series.errors != nullptr) series.errors->Add();
    co_return EncodeErrorReply(
        call.id, {RpcErrorCode::kInvalidArgs, std::string(arguments.status().message())});
  }
  CallContext context{*this, gateway_, series.upstream_latency, 0,
                      Clock::now() + gateway_.limits.request_timeout};
  absl::StatusOr<MethodResult> result;
  try {
    result = co_await method->handler(context, *arguments);
  } catch (const std::exception& error) {
    spdlog::error("{} {} failed: {}", Describe(), call.method, error.what());
    result = absl::InternalError(error.what());
  }
  meter_.Add(method->cost + context.extra_cost, Clock::now());
  if (!result.ok()) {
    if (series.errors != nullptr) series.errors->Add();
    const RpcError error = RpcErrorFromStatus(result.status());
    if (error.code == RpcErrorCode::kInternalError) {
      spdlog::error("{} {} failed: {}", Describe(), call.method, result.status().ToString());
    }
    co_return EncodeErrorReply(call.id, error);
  }
  if (const auto* encoded = std::get_if<EncodedJson>(&*result)) {
    co_return EncodeEncodedResult(call.id, encoded->text);
  }
  co_return EncodeResult(call.id, std::get<nlohmann::json>(*result));
}

SessionSnapshot Session::Snapshot() {
  const Clock::time_point now = Clock::now();
  return {id_,
          transport_->kind(),
          transport_->remote().address().to_string(),
          client_name_,
          negotiated_ ? protocol_.ToString() : "",
          meter_.Cost(now),
          scripthashes_.size(),
          requests_,
          now - started_};
}

}  // namespace electrum::gateway
