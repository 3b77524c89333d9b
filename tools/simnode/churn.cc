#include "tools/simnode/churn.h"

#include <chrono>

#include "common/status/status_macros.h"
#include "spdlog/spdlog.h"

namespace electrum::simnode {
namespace {

constexpr auto kTick = std::chrono::milliseconds(100);
constexpr int kTicksPerSecond = 10;
// Outputs of the last this many blocks seed the churn's coins.
constexpr int kAdoptedBlocks = 200;

}  // namespace

Churn::Churn(boost::asio::io_context& io, Node& node, const ChurnOptions& options)
    : node_(node),
      options_(options),
      generator_({.seed = options.seed}),
      per_tick_(std::max(1, options.transactions_per_second / kTicksPerSecond)),
      tick_timer_(io),
      block_timer_(io) {
  generator_.AdoptChain(node, kAdoptedBlocks);
  Tick();
  if (options_.block_interval_seconds > 0) ScheduleBlock();
}

void Churn::Tick() {
  for (int i = 0; i < per_tick_; ++i) {
    auto tx = generator_.NextChurnTransaction();
    if (!tx) break;
    auto result = node_.SubmitTransaction(std::move(tx->raw), 0);
    if (std::holds_alternative<TxId>(result)) generator_.Accepted();
  }
  tick_timer_.expires_after(kTick);
  tick_timer_.async_wait([this](auto error) {
    if (!error) Tick();
  });
}

void Churn::ScheduleBlock() {
  block_timer_.expires_after(std::chrono::seconds(options_.block_interval_seconds));
  block_timer_.async_wait([this](auto error) {
    if (error) return;
    ++blocks_;
    const bool reorg =
        options_.reorg_every_blocks > 0 && blocks_ % options_.reorg_every_blocks == 0;
    absl::Status status =
        reorg ? Reorganize() : node_.Generate(1, generator_.HotScript(0)).status();
    if (!status.ok()) spdlog::warn("churn block: {}", status.ToString());
    ScheduleBlock();
  });
}

absl::Status Churn::Reorganize() {
  const int depth = 1 + static_cast<int>(blocks_ / options_.reorg_every_blocks % 3);
  if (node_.chain().Height() < depth) return node_.Generate(1, generator_.HotScript(0)).status();
  const BlockEntry* first_replaced = node_.chain().AtHeight(node_.chain().Height() - depth + 1);
  RETURN_IF_ERROR(node_.InvalidateBlock(first_replaced->hash));
  spdlog::info("churn reorg: replacing {} block(s) from height {}", depth, first_replaced->height);
  return node_.Generate(depth + 1, generator_.HotScript(0)).status();
}

}  // namespace electrum::simnode
