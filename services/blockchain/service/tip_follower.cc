#include "services/blockchain/service/tip_follower.h"

#include "pqxx/pqxx"
#include "spdlog/spdlog.h"

namespace electrum::blockchain {

TipFollower::TipFollower(const std::string& dsn, HeaderCache& headers, TipFeed& feed,
                         std::function<void(const TipChange&)> on_change)
    : dsn_(dsn),
      headers_(headers),
      feed_(feed),
      on_change_(std::move(on_change)),
      listener_(
          {.dsn = dsn, .channels = {"electrum_block"}}, [this] { Refresh(); },
          [this](const std::string&, const std::string&) { Refresh(); }, [this] { OnWake(); }) {}

TipFollower::~TipFollower() { listener_.Stop(); }

void TipFollower::OnWake() {
  constexpr auto kSafetyPoll = std::chrono::seconds(5);
  if (refresh_failed_ || std::chrono::steady_clock::now() - last_refresh_ > kSafetyPoll) {
    Refresh();
  }
}

void TipFollower::Refresh() {
  last_refresh_ = std::chrono::steady_clock::now();
  refresh_failed_ = true;
  try {
    if (connection_ == nullptr || !connection_->is_open()) {
      connection_ = std::make_unique<pqxx::connection>(dsn_);
    }
  } catch (const std::exception& error) {
    spdlog::warn("header cache: cannot connect to PostgreSQL: {}", error.what());
    connection_.reset();
    return;
  }
  absl::StatusOr<std::optional<TipChange>> change = headers_.Refresh(*connection_);
  if (!change.ok()) {
    spdlog::warn("header cache: {}", change.status().ToString());
    connection_.reset();
    return;
  }
  refresh_failed_ = false;
  if (!*change) return;
  if ((*change)->reorg_from_height) {
    spdlog::info("tip {} after a reorg from height {}", (*change)->tip.height,
                 *(*change)->reorg_from_height);
  }
  feed_.Publish(**change);
  if (on_change_) on_change_(**change);
}

}  // namespace electrum::blockchain
