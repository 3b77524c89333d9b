// One wallet connection (spec §1–§2, §5): reads messages, negotiates the
// protocol with the first server.version, runs calls through the method
// table under the cost meter's throttle, and writes responses and
// notifications from one queue by a single writer. A session lives on one
// single-threaded io_context, which serialises everything it does; other
// threads reach it only by posting to its executor.
#ifndef ELECTRUM_GATEWAY_SESSION_SESSION_H_
#define ELECTRUM_GATEWAY_SESSION_SESSION_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "boost/asio/any_io_executor.hpp"
#include "boost/asio/awaitable.hpp"
#include "boost/asio/steady_timer.hpp"
#include "gateway/chain/header_store.h"
#include "gateway/jsonrpc/message.h"
#include "gateway/protocol/protocol_version.h"
#include "gateway/session/cost_meter.h"
#include "gateway/session/gateway_context.h"
#include "gateway/session/session_groups.h"
#include "gateway/session/transport.h"
#include "gateway/subscriptions/watch_hub.h"

namespace electrum::gateway {

// What a headers subscription answers and notifies: {"hex", "height"}.
nlohmann::json TipJson(const StoredHeader& tip);
// A script hash status as sent: 64 hex digits, or null without history.
nlohmann::json StatusJson(const StatusBytes& status);

// What the admin service shows about a session.
struct SessionSnapshot {
  uint64_t id = 0;
  std::string transport;
  std::string remote_address;
  std::string client_name;
  std::string protocol_version;
  double cost = 0;
  size_t subscriptions = 0;
  uint64_t requests = 0;
  std::chrono::steady_clock::duration age{};
};

class Session final : public ScriptHashSubscriber, public std::enable_shared_from_this<Session> {
 public:
  using Clock = std::chrono::steady_clock;

  Session(uint64_t id, boost::asio::any_io_executor executor, std::unique_ptr<Transport> transport,
          const GatewayContext& gateway);
  ~Session() override;

  void Start();
  // Stops reading; answers what is in flight, then closes.
  void Drain(const std::string& reason) { CloseAfterFlush(reason); }
  // Ends the session now (queued output is dropped); `abort` also resets
  // the connection, dropping what the peer has not read.
  void Close(const std::string& reason, bool abort = false);

  // Posted by the registry onto this session's executor.
  void NotifyTip(const StoredHeader& tip);
  // Posted by the registry after the mempool changed.
  void NotifyMempoolChange();
  void CheckTimeouts(Clock::time_point now);
  // From the hub's thread.
  void OnScriptHashStatus(const chain::ScriptHash& scripthash, const StatusBytes& status) override;

  // For handlers (on the session's executor).
  const ProtocolVersion& protocol() const { return protocol_; }
  const std::string& client_name() const { return client_name_; }
  void SubscribeHeaders(int32_t tip_height);
  // Registers a subscription; the known status when another session
  // already watches the script hash. FAILED_PRECONDITION over the limit.
  absl::StatusOr<std::optional<StatusBytes>> BeginScriptHashSubscription(
      const chain::ScriptHash& scripthash, const std::string& as_sent);
  // The status the subscribe reply carried (or the subscription failed).
  void FinishScriptHashSubscription(const chain::ScriptHash& scripthash,
                                    const absl::StatusOr<StatusBytes>& status);
  bool UnsubscribeScriptHash(const chain::ScriptHash& scripthash);
  size_t subscription_count() const { return scripthashes_.size() + masternodes_.size(); }
  // Dash: a masternode whose status is re-sent after every new tip.
  // FAILED_PRECONDITION over the subscription limit.
  absl::Status RememberMasternode(const std::string& collateral);
  const std::vector<std::string>& masternodes() const { return masternodes_; }
  // Queues a notification (coin extensions' own kinds).
  void Notify(const std::string& method, nlohmann::json params);

  uint64_t id() const { return id_; }
  const Transport& transport() const { return *transport_; }
  const boost::asio::any_io_executor& executor() const { return executor_; }
  bool closed() const { return closed_; }
  // On the session's executor.
  SessionSnapshot Snapshot();

 private:
  struct Subscription {
    std::string as_sent;
    std::optional<StatusBytes> last_sent;
    bool pending = true;
    std::optional<StatusBytes> arrived_while_pending;
  };

  boost::asio::awaitable<void> ReadLoop();
  boost::asio::awaitable<void> WriteLoop();
  boost::asio::awaitable<void> HandleMessage(const std::string& text);
  boost::asio::awaitable<void> HandleFirstMessage(Message& message);
  // Waits for the throttle to allow one more call; false when the session
  // is over its hard limit (or closed).
  boost::asio::awaitable<bool> AcquireSlot();
  void ReleaseSlot();
  // Answers -101 and closes once it is sent (over the hard cost limit).
  void RefuseOverCost(const nlohmann::json& id);
  boost::asio::awaitable<void> RunAndReply(Call call);
  boost::asio::awaitable<void> RunBatchAndReply(std::vector<MessageItem> items);
  // The encoded response to one call (never throws).
  boost::asio::awaitable<std::string> Respond(const Call& call);
  std::string EncodeErrorReply(const nlohmann::json& id, const RpcError& error);
  std::string Bounded(std::string response, const nlohmann::json& id);

  void Enqueue(std::string message, bool notification);
  void CloseAfterFlush(const std::string& reason);
  void SendStatus(const Subscription& subscription, const StatusBytes& status);
  void DeliverStatus(const chain::ScriptHash& scripthash, const StatusBytes& status);
  // A coin extension's per-session work after a new tip or mempool change.
  void RunNotificationCycle();
  std::string Describe() const;

  const uint64_t id_;
  boost::asio::any_io_executor executor_;
  std::unique_ptr<Transport> transport_;
  const GatewayContext& gateway_;
  CostMeter meter_;
  // Null for addresses exempt from grouping.
  std::unique_ptr<GroupMembership> group_;

  Dialect dialect_ = Dialect::kUndetermined;
  bool negotiated_ = false;
  ProtocolVersion protocol_;
  std::string client_name_;

  std::vector<std::string> outgoing_;
  size_t outgoing_bytes_ = 0;
  std::optional<Clock::time_point> queued_notification_since_;
  std::optional<Clock::time_point> writing_notification_since_;
  boost::asio::steady_timer writer_wake_;
  boost::asio::steady_timer reader_wake_;
  int in_flight_ = 0;
  bool awaiting_slot_ = false;

  bool headers_subscribed_ = false;
  int32_t last_notified_height_ = -1;
  absl::flat_hash_map<chain::ScriptHash, Subscription> scripthashes_;
  std::vector<std::string> masternodes_;

  Clock::time_point last_received_;
  const Clock::time_point started_;
  uint64_t requests_ = 0;
  bool closing_ = false;
  bool closed_ = false;
};

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_SESSION_SESSION_H_
