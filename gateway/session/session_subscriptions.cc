// Session: headers and script-hash subscriptions and their notifications.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "boost/asio/post.hpp"
#include "common/crypto/hex.h"
#include "gateway/session/session.h"

namespace electrum::gateway {

nlohmann::json TipJson(const StoredHeader& tip) {
  return {{"hex", tip.Hex()}, {"height", tip.height}};
}

nlohmann::json StatusJson(const StatusBytes& status) {
  if (status.empty()) return nullptr;
  return ToHex(chain::ByteSpan(reinterpret_cast<const uint8_t*>(status.data()), status.size()));
}

namespace asio = boost::asio;

void Session::SubscribeHeaders(int32_t tip_height) {
  headers_subscribed_ = true;
  last_notified_height_ = tip_height;
}

void Session::NotifyTip(const StoredHeader& tip) {
  if (closed_) return;
  RunNotificationCycle();
  if (!headers_subscribed_ || tip.height == last_notified_height_) return;
  last_notified_height_ = tip.height;
  Enqueue(EncodeNotification("blockchain.headers.subscribe", nlohmann::json::array({TipJson(tip)})),
          true);
}

void Session::NotifyMempoolChange() { RunNotificationCycle(); }

void Session::RunNotificationCycle() {
  if (!closed_ && !masternodes_.empty() && gateway_.on_notification_cycle) {
    gateway_.on_notification_cycle(*this);
  }
}

absl::Status Session::RememberMasternode(const std::string& collateral) {
  if (std::find(masternodes_.begin(), masternodes_.end(), collateral) != masternodes_.end()) {
    return absl::OkStatus();
  }
  if (subscription_count() >= gateway_.limits.max_subscriptions) {
    return absl::FailedPreconditionError("Subscription limit reached");
  }
  masternodes_.push_back(collateral);
  return absl::OkStatus();
}

void Session::Notify(const std::string& method, nlohmann::json params) {
  Enqueue(EncodeNotification(method, std::move(params)), true);
}

absl::StatusOr<std::optional<StatusBytes>> Session::BeginScriptHashSubscription(
    const chain::ScriptHash& scripthash, const std::string& as_sent) {
  auto it = scripthashes_.find(scripthash);
  if (it == scripthashes_.end()) {
    if (scripthashes_.size() >= gateway_.limits.max_subscriptions) {
      return absl::FailedPreconditionError("Subscription limit reached");
    }
    absl::StatusOr<std::optional<StatusBytes>> known =
        gateway_.hub->Subscribe(scripthash, shared_from_this());
    if (!known.ok()) return known.status();
    it = scripthashes_.emplace(scripthash, Subscription{}).first;
    it->second.as_sent = as_sent;
    return known;
  }
  it->second.as_sent = as_sent;
  if (!it->second.pending && it->second.last_sent) return it->second.last_sent;
  return std::optional<StatusBytes>();
}

void Session::FinishScriptHashSubscription(const chain::ScriptHash& scripthash,
                                           const absl::StatusOr<StatusBytes>& status) {
  auto it = scripthashes_.find(scripthash);
  if (it == scripthashes_.end()) return;
  if (!status.ok()) {
    scripthashes_.erase(it);
    gateway_.hub->Unsubscribe(scripthash, this);
    return;
  }
  Subscription& subscription = it->second;
  subscription.pending = false;
  subscription.last_sent = *status;
  if (subscription.arrived_while_pending && *subscription.arrived_while_pending != *status) {
    // Sent after the subscribe reply (queued by the caller right after this).
    asio::post(executor_, [self = shared_from_this(), scripthash,
                           newer = *subscription.arrived_while_pending] {
      self->DeliverStatus(scripthash, newer);
    });
  }
  subscription.arrived_while_pending.reset();
}

bool Session::UnsubscribeScriptHash(const chain::ScriptHash& scripthash) {
  if (scripthashes_.erase(scripthash) == 0) return false;
  gateway_.hub->Unsubscribe(scripthash, this);
  return true;
}

void Session::OnScriptHashStatus(const chain::ScriptHash& scripthash, const StatusBytes& status) {
  asio::post(executor_, [self = shared_from_this(), scripthash, status] {
    self->DeliverStatus(scripthash, status);
  });
}

void Session::DeliverStatus(const chain::ScriptHash& scripthash, const StatusBytes& status) {
  auto it = scripthashes_.find(scripthash);
  if (closed_ || it == scripthashes_.end()) return;
  Subscription& subscription = it->second;
  if (subscription.pending) {
    subscription.arrived_while_pending = status;
    return;
  }
  if (subscription.last_sent == status) return;
  subscription.last_sent = status;
  SendStatus(subscription, status);
}

void Session::SendStatus(const Subscription& subscription, const StatusBytes& status) {
  Enqueue(EncodeNotification("blockchain.scripthash.subscribe",
                             nlohmann::json::array({subscription.as_sent, StatusJson(status)})),
          true);
}

}  // namespace electrum::gateway
