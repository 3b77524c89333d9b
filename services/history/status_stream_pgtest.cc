// Statuses read alone stream their rows (storage/address_index/
// status_queries): with status_keep_up_to = 1 every history of two or more
// confirmed entries is hashed as it arrives and only its hash state is
// kept. Those statuses must equal the chain's, cold, after blocks extend
// the kept state, with mempool entries, and after a reorg through it.
#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <thread>

#include "common/chain/electrum_hashes.h"
#include "gtest/gtest.h"
#include "services/history/history_service_fixture.h"
#include "storage/mempool_index/mempool_tables.h"
#include "tools/simnode/node.h"
#include "tools/simnode/tx_builder.h"

namespace electrum::history {
namespace {

using pgtest::Bytes;
using pgtest::Expected;

std::string StatusBytes(const std::vector<chain::StatusHistoryEntry>& history) {
  const std::optional<Sha256Digest> status = chain::AddressStatus(history);
  return status ? Bytes(*status) : std::string();
}

class StatusStreamPgTest : public pgtest::HistoryServicePgTest {
 protected:
  HistoryServiceOptions Options() override {
    return {.max_history_entries = 100000, .status_keep_up_to = 1};
  }

  // Every script hash's first GetStatus.
  void ExpectColdStatusesMatch() {
    size_t streamed = 0;
    for (const auto& [scripthash, want] : ComputeExpected()) {
      EXPECT_EQ(StatusOf(scripthash), StatusBytes(want.history));
      if (want.history.size() > 1) ++streamed;
    }
    EXPECT_GT(streamed, 10u) << "histories long enough to be hashed as they arrive";
  }

  // The service learns of changes asynchronously: polls until it agrees.
  bool StatusBecomes(const chain::ScriptHash& scripthash, const std::string& want) {
    for (int attempt = 0; attempt < 100; ++attempt) {
      if (StatusOf(scripthash) == want) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  bool StatusMatchesChain(const chain::ScriptHash& scripthash) {
    return StatusBecomes(scripthash, StatusBytes(ComputeExpected()[scripthash].history));
  }
};

// Packed rows: scripts with 3 or more entries in history_keys, the others
// in history_ranges.
class BulkLoadedStatusStreamPgTest : public StatusStreamPgTest {
 protected:
  void Sync() override {
    ASSERT_TRUE(chain_->Sync({.bulk = true, .max_reorg_depth = 1, .history_keyed_from = 3}).ok());
  }
};

TEST_F(StatusStreamPgTest, ColdStatusesMatchTheChain) { ExpectColdStatusesMatch(); }

TEST_F(BulkLoadedStatusStreamPgTest, ColdStatusesMatchTheChain) { ExpectColdStatusesMatch(); }

// The kept hash state is extended by the blocks that follow it, and thrown
// away when a reorg takes out its last entry.
TEST_F(StatusStreamPgTest, KeptHashStatesFollowBlocksAndReorgs) {
  const simnode::Bytes paid_script = simnode::P2pkhScript(simnode::Bytes(20, 0x71));
  const simnode::Bytes other_script = simnode::P2pkhScript(simnode::Bytes(20, 0x72));
  const chain::ScriptHash paid = chain::ScriptHashOf(paid_script);
  simnode_->RunOnNode(
      [&](simnode::Node& node) { ASSERT_TRUE(node.Generate(2, paid_script).ok()); });
  Sync();
  ASSERT_TRUE(StatusMatchesChain(paid)) << "two blocks: hashed, its state kept";
  chain::BlockHash replaced;
  simnode_->RunOnNode([&](simnode::Node& node) {
    auto mined = node.Generate(2, paid_script);
    ASSERT_TRUE(mined.ok());
    replaced = mined->front();
  });
  Sync();
  ASSERT_TRUE(StatusMatchesChain(paid)) << "extended by two blocks";
  simnode_->RunOnNode([&](simnode::Node& node) {
    ASSERT_TRUE(node.InvalidateBlock(replaced).ok());
    ASSERT_TRUE(node.Generate(3, other_script).ok());
  });
  Sync();
  ASSERT_TRUE(StatusMatchesChain(paid)) << "after a reorg through the kept state";
  simnode_->RunOnNode(
      [&](simnode::Node& node) { ASSERT_TRUE(node.Generate(1, paid_script).ok()); });
  Sync();
  ASSERT_TRUE(StatusMatchesChain(paid)) << "extended again after the reorg";
}

// Mempool entries follow the confirmed ones in canonical order; one the
// last block already confirmed (the mirror not yet caught up) counts once.
// The busiest script hash extends its kept hash state; the second busiest
// is read cold with them.
TEST_F(StatusStreamPgTest, MempoolEntriesFollowAndAlreadyConfirmedCountOnce) {
  const std::map<chain::ScriptHash, Expected> expected = ComputeExpected();
  std::vector<std::pair<size_t, chain::ScriptHash>> by_length;
  for (const auto& [scripthash, want] : expected) {
    by_length.push_back({want.history.size(), scripthash});
  }
  std::sort(by_length.rbegin(), by_length.rend());
  ASSERT_GT(by_length[1].first, 2u);
  const chain::ScriptHash busiest = by_length[0].second;
  const chain::ScriptHash second = by_length[1].second;
  ASSERT_EQ(StatusOf(busiest), StatusBytes(expected.at(busiest).history));

  storage::MempoolAdditions additions;
  std::map<chain::ScriptHash, std::vector<chain::StatusHistoryEntry>> want;
  for (const chain::ScriptHash& scripthash : {busiest, second}) {
    want[scripthash] = expected.at(scripthash).history;
    // Written out of order: one spending another's output (-1), then two
    // with confirmed inputs (0), the larger txid first.
    auto txid = [&](uint8_t fill) {
      std::array<uint8_t, 32> bytes{};
      bytes.fill(static_cast<uint8_t>(fill + (scripthash == second)));
      return chain::TxId(bytes);
    };
    for (uint8_t fill : {0x30, 0x20, 0x10}) {
      additions.AddTx(txid(fill), 1000, 200, /*unconfirmed_inputs=*/fill == 0x30);
      additions.AddHistory(scripthash, txid(fill));
    }
    additions.AddOutput(txid(0x10), 0, scripthash, 5000);
    additions.AddSpend({txid(0x10), 0}, txid(0x30), scripthash, 5000);
    // Canonical: 0 before -1, then display hex ascending.
    for (uint8_t fill : {0x10, 0x20, 0x30}) {
      want[scripthash].push_back({txid(fill), fill == 0x30 ? -1 : 0});
    }
    // The latest confirmed transaction, still in the mirror.
    const chain::TxId mined = expected.at(scripthash).history.back().txid;
    additions.AddTx(mined, 1000, 200, false);
    additions.AddHistory(scripthash, mined);
  }
  ASSERT_TRUE(storage::WriteMempoolChange(chain_->connection(), additions, {}, 100).ok());
  EXPECT_TRUE(StatusBecomes(busiest, StatusBytes(want[busiest])))
      << "the kept hash state, extended with the mempool's entries";
  EXPECT_EQ(StatusOf(second), StatusBytes(want[second])) << "read cold";
}

}  // namespace
}  // namespace electrum::history
