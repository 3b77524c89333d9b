// The second statement of a history read (txids of history_ranges
// entries) against a bulk-loaded index: it agrees with chain_tx, and it
// refuses to combine with a first statement that saw another index (a
// block connected since, or a tx_num the chain no longer has).
#include "storage/address_index/range_txids.h"

#include <vector>

#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "services/history/history_service_fixture.h"

namespace electrum::history {
namespace {

using pgtest::HistoryServicePgTest;
using storage::KeyedEntry;
using storage::address_sql::IsChainChanged;
using storage::address_sql::ResolveRangeTxNums;

class RangeTxidsPgTest : public HistoryServicePgTest {
 protected:
  void Sync() override {
    ASSERT_TRUE(chain_->Sync({.bulk = true, .max_reorg_depth = 1, .history_keyed_from = 3}).ok());
  }

  int64_t Changes() {
    pqxx::work transaction(chain_->connection());
    return transaction.exec1("SELECT changes FROM chain_tip")[0].as<int64_t>();
  }

  // Some tx_nums filed in history_ranges, sorted.
  std::vector<int64_t> RangeTxNums() {
    pqxx::work transaction(chain_->connection());
    std::vector<int64_t> tx_nums;
    for (const auto& row : transaction.exec(
             "SELECT DISTINCT e.tx_num FROM history_ranges r, history_range_entries(r.entries) e "
             "ORDER BY 1 LIMIT 25")) {
      tx_nums.push_back(row[0].as<int64_t>());
    }
    return tx_nums;
  }
};

TEST_F(RangeTxidsPgTest, EntriesAgreeWithChainTx) {
  const std::vector<int64_t> tx_nums = RangeTxNums();
  ASSERT_EQ(tx_nums.size(), 25u);
  absl::StatusOr<std::vector<KeyedEntry>> entries =
      ResolveRangeTxNums(chain_->connection(), tx_nums, Changes());
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), tx_nums.size());
  pqxx::work transaction(chain_->connection());
  for (size_t i = 0; i < tx_nums.size(); ++i) {
    const pqxx::row want =
        transaction.exec_params1("SELECT height, txid FROM chain_tx($1)", tx_nums[i]);
    EXPECT_EQ((*entries)[i].tx_num, tx_nums[i]);
    EXPECT_EQ((*entries)[i].height, want[0].as<int>());
    EXPECT_EQ(pgtest::Bytes((*entries)[i].txid.internal()), pqxx::binarystring(want[1]).str());
  }
}

TEST_F(RangeTxidsPgTest, AnIndexChangedSinceTheFirstStatementIsRefused) {
  const std::vector<int64_t> tx_nums = RangeTxNums();
  const int64_t seen = Changes();
  simnode_->RunOnNode(
      [](simnode::Node& node) { ASSERT_TRUE(node.Generate(1, simnode::Bytes{0x51}).ok()); });
  ASSERT_TRUE(chain_->Sync().ok());
  ASSERT_GT(Changes(), seen);
  absl::StatusOr<std::vector<KeyedEntry>> stale =
      ResolveRangeTxNums(chain_->connection(), tx_nums, seen);
  EXPECT_TRUE(IsChainChanged(stale.status())) << stale.status();
  EXPECT_TRUE(ResolveRangeTxNums(chain_->connection(), tx_nums, Changes()).ok());
}

TEST_F(RangeTxidsPgTest, ATxNumPastTheChainIsRefused) {
  pqxx::work transaction(chain_->connection());
  const int64_t past =
      transaction.exec1("SELECT max(first_tx_num) + 100000 FROM block_txids")[0].as<int64_t>();
  transaction.commit();
  std::vector<int64_t> tx_nums = RangeTxNums();
  tx_nums.push_back(past);
  EXPECT_TRUE(
      IsChainChanged(ResolveRangeTxNums(chain_->connection(), tx_nums, Changes()).status()));
}

}  // namespace
}  // namespace electrum::history
