// AddressHistoryService over a real gRPC socket and a live PostgreSQL index
// of a simnode chain: history, status, balance and unspent outputs against
// values computed from the chain itself; limits and bad input; and a Watch
// stream that reports a new block's status change within a second.
#include "services/history/history_service.h"

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "common/chain/electrum_hashes.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "services/common/grpc_server.h"
#include "services/history/change_tracker.h"
#include "services/history/history_service_fixture.h"
#include "services/testing/database_restart.h"
#include "services/testing/indexed_simnode.h"
#include "storage/mempool_index/mempool_tables.h"
#include "storage/testing/migrated_database.h"
#include "tools/simnode/testing/in_process_simnode.h"
#include "tools/simnode/tx_builder.h"
#include "tools/simnode/workload.h"

namespace electrum::history {
namespace {

using pgtest::Bytes;
using pgtest::Expected;
using pgtest::HistoryServicePgTest;
using simnode::InProcessSimnode;

// A bulk-loaded index answers the same: scripts with fewer than 3 entries
// from history_ranges, the others from history_keys, the last block's
// entries (the undo window) from rows of their block.
class BulkLoadedHistoryServicePgTest : public HistoryServicePgTest {
 protected:
  void Sync() override {
    ASSERT_TRUE(chain_->Sync({.bulk = true, .max_reorg_depth = 1, .history_keyed_from = 3}).ok());
  }
};

TEST_F(HistoryServicePgTest, EveryScriptHashMatchesTheChain) {
  ExpectEveryScriptHashMatchesTheChain();
}

TEST_F(BulkLoadedHistoryServicePgTest, EveryScriptHashMatchesTheChain) {
  pqxx::work transaction(chain_->connection());
  EXPECT_GT(transaction.exec1("SELECT count(*) FROM history_ranges")[0].as<int>(), 0);
  EXPECT_GT(transaction.exec1("SELECT count(*) FROM history_keys")[0].as<int>(), 0);
  transaction.commit();
  ExpectEveryScriptHashMatchesTheChain();
}

// Blocks indexed one by one on top of the bulk load add rows of their own;
// histories join both. (Nothing is cached before: no notification race.)
TEST_F(BulkLoadedHistoryServicePgTest, BlocksIndexedOnTopJoinThePackedHistory) {
  // Mine to a script whose (light) entries are in history_ranges.
  const std::map<chain::ScriptHash, Expected> before = ComputeExpected();
  simnode_->RunOnNode([&](simnode::Node& node) {
    std::optional<simnode::Bytes> light;
    for (int height = 1; !light && height <= node.chain().Height(); ++height) {
      for (const auto& tx : node.chain().AtHeight(height)->block.transactions) {
        const auto& script = tx.outputs[0].script_pubkey;
        if (before.at(chain::ScriptHashOf(script)).history.size() == 1) {
          light = simnode::Bytes(script.begin(), script.end());
          break;
        }
      }
    }
    ASSERT_TRUE(light.has_value());
    ASSERT_TRUE(node.Generate(2, *light).ok());
  });
  Sync();
  ExpectEveryScriptHashMatchesTheChain();
}

// Cold GetStatus calls arriving together share statements (batches of
// several script hashes); every caller must still get its own status.
TEST_F(HistoryServicePgTest, ConcurrentColdStatusesAreEachRight) {
  std::map<chain::ScriptHash, Expected> expected = ComputeExpected();
  std::vector<std::pair<chain::ScriptHash, std::string>> wanted;
  for (const auto& [scripthash, want] : expected) {
    wanted.push_back({scripthash, Bytes(*chain::AddressStatus(want.history))});
  }
  EXPECT_EQ(ConcurrentCallsWrong(wanted.size(),
                                 [&](size_t i) {
                                   const auto& [scripthash, status] = wanted[i];
                                   grpc::ClientContext context;
                                   v1::GetStatusRequest request;
                                   request.set_script_hash(Bytes(scripthash.internal()));
                                   v1::GetStatusResponse response;
                                   return stub_->GetStatus(&context, request, &response).ok() &&
                                          response.status().status() == status &&
                                          response.status().script_hash() == request.script_hash();
                                 }),
            0);
}

// Just after a block, the mempool mirror still holds the transactions the
// block confirmed: they must count once, as confirmed, in balances and
// unspent lists (as histories already do).
TEST_F(HistoryServicePgTest, MempoolTransactionsABlockConfirmedCountOnce) {
  std::map<chain::ScriptHash, Expected> expected = ComputeExpected();
  storage::MempoolAdditions additions;
  chain::ScriptHash paid, spender_of;
  simnode_->RunOnNode([&](simnode::Node& node) {
    std::map<std::pair<chain::TxId, uint32_t>, std::pair<chain::ScriptHash, int64_t>> outputs;
    for (int height = 1; height <= node.chain().Height(); ++height) {
      for (const auto& tx : node.chain().AtHeight(height)->block.transactions) {
        for (uint32_t vout = 0; vout < tx.outputs.size(); ++vout) {
          outputs[{tx.txid, vout}] = {chain::ScriptHashOf(tx.outputs[vout].script_pubkey),
                                      tx.outputs[vout].value};
        }
      }
    }
    // The tip block's first payment whose output 0 is still unspent.
    for (const auto& tx : node.chain().AtHeight(node.chain().Height())->block.transactions) {
      if (tx.IsCoinbase() || node.chain().FindCoin({tx.txid, 0}) == nullptr) continue;
      paid = chain::ScriptHashOf(tx.outputs[0].script_pubkey);
      additions.AddTx(tx.txid, 1000, 200, false);
      additions.AddOutput(tx.txid, 0, paid, tx.outputs[0].value);
      additions.AddHistory(paid, tx.txid);
      const auto& input = tx.inputs[0];
      const auto& [owner, value] = outputs.at({input.prev_txid, input.prev_index});
      spender_of = owner;
      additions.AddSpend({input.prev_txid, input.prev_index}, tx.txid, owner, value);
      additions.AddHistory(owner, tx.txid);
      break;
    }
  });
  ASSERT_TRUE(storage::WriteMempoolChange(chain_->connection(), additions, {}, 100).ok());
  for (const chain::ScriptHash& scripthash : {paid, spender_of}) {
    grpc::ClientContext balance_context;
    v1::GetBalanceRequest balance_request;
    balance_request.set_script_hash(Bytes(scripthash.internal()));
    v1::GetBalanceResponse balance;
    ASSERT_TRUE(stub_->GetBalance(&balance_context, balance_request, &balance).ok());
    EXPECT_EQ(balance.confirmed(), expected.at(scripthash).balance);
    EXPECT_EQ(balance.unconfirmed(), 0);
  }
  grpc::ClientContext unspent_context;
  v1::ListUnspentRequest unspent_request;
  unspent_request.set_script_hash(Bytes(paid.internal()));
  v1::ListUnspentResponse unspent;
  ASSERT_TRUE(stub_->ListUnspent(&unspent_context, unspent_request, &unspent).ok());
  EXPECT_EQ(static_cast<size_t>(unspent.outputs_size()), expected.at(paid).unspent.size());
}

TEST_F(HistoryServicePgTest, LimitsAndBadInput) {
  std::map<chain::ScriptHash, Expected> expected = ComputeExpected();
  auto busy = std::max_element(expected.begin(), expected.end(), [](const auto& a, const auto& b) {
    return a.second.history.size() < b.second.history.size();
  });
  grpc::ClientContext limited_context;
  v1::GetHistoryRequest request;
  request.set_script_hash(Bytes(busy->first.internal()));
  request.set_max_entries(1);
  v1::GetHistoryResponse history;
  grpc::Status limited = stub_->GetHistory(&limited_context, request, &history);
  EXPECT_EQ(limited.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(limited.error_message().find("history too large"), std::string::npos);

  grpc::ClientContext bad_context;
  request.set_script_hash("short");
  grpc::Status bad = stub_->GetHistory(&bad_context, request, &history);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(bad.error_message().find("32 bytes"), std::string::npos);

  grpc::ClientContext unknown_context;
  request.set_script_hash(std::string(32, '\x01'));
  request.set_max_entries(0);
  ASSERT_TRUE(stub_->GetHistory(&unknown_context, request, &history).ok());
  EXPECT_EQ(history.heights_size(), 0);
  EXPECT_TRUE(history.txids().empty());
}

TEST_F(HistoryServicePgTest, WatchAnswersAddsWithCurrentStatuses) {
  std::map<chain::ScriptHash, Expected> expected = ComputeExpected();
  grpc::ClientContext context;
  auto stream = stub_->Watch(&context);
  // Three per request (the stream's limit here is three watched at a time):
  // add, check, remove, for every script hash of the chain.
  auto it = expected.begin();
  while (it != expected.end()) {
    v1::WatchRequest add;
    std::map<std::string, std::string> want;
    for (int i = 0; i < 3 && it != expected.end(); ++i, ++it) {
      add.add_add(Bytes(it->first.internal()));
      want[Bytes(it->first.internal())] = Bytes(*chain::AddressStatus(it->second.history));
    }
    ASSERT_TRUE(stream->Write(add));
    std::map<std::string, std::string> got;
    v1::WatchEvent event;
    while (got.size() < want.size() && stream->Read(&event)) {
      for (const auto& status : event.statuses()) got[status.script_hash()] = status.status();
    }
    EXPECT_EQ(got, want);
    v1::WatchRequest remove;
    for (const auto& [scripthash, status] : want) remove.add_remove(scripthash);
    ASSERT_TRUE(stream->Write(remove));
  }
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(HistoryServicePgTest, RecoversWhenTheDatabaseDropsItsConnections) {
  v1::GetStatusRequest request;
  request.set_script_hash(std::string(32, '\x02'));
  v1::GetStatusResponse response;
  grpc::ClientContext before;
  ASSERT_TRUE(stub_->GetStatus(&before, request, &response).ok());
  // What a PostgreSQL restart looks like from here: every session is gone.
  services::TerminateDatabaseSessions(chain_->dsn());
  services::ExpectRecoversWithin(3, [&] {
    grpc::ClientContext context;
    return stub_->GetStatus(&context, request, &response);
  });
}

TEST_F(HistoryServicePgTest, WatchReportsNewBlocksWithinASecond) {
  const simnode::Bytes paid_script = simnode::P2pkhScript(simnode::Bytes(20, 0x77));
  const chain::ScriptHash paid = chain::ScriptHashOf(paid_script);
  const chain::ScriptHash quiet =
      chain::ScriptHashOf(simnode::P2pkhScript(simnode::Bytes(20, 0x78)));

  grpc::ClientContext context;
  auto stream = stub_->Watch(&context);
  v1::WatchRequest add;
  add.add_add(Bytes(paid.internal()));
  add.add_add(Bytes(quiet.internal()));
  ASSERT_TRUE(stream->Write(add));
  v1::WatchEvent event;
  ASSERT_TRUE(stream->Read(&event));
  ASSERT_EQ(event.statuses_size(), 2);
  EXPECT_TRUE(event.statuses(0).status().empty()) << "no history yet";

  simnode_->RunOnNode(
      [&](simnode::Node& node) { ASSERT_TRUE(node.Generate(1, paid_script).ok()); });
  const auto mined = std::chrono::steady_clock::now();
  Sync();
  ASSERT_TRUE(stream->Read(&event));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - mined).count();
  EXPECT_LT(seconds, 1.0);
  ASSERT_EQ(event.statuses_size(), 1) << "only the changed script hash";
  EXPECT_EQ(event.statuses(0).script_hash(), Bytes(paid.internal()));
  std::map<chain::ScriptHash, Expected> expected = ComputeExpected();
  EXPECT_EQ(event.statuses(0).status(), Bytes(*chain::AddressStatus(expected[paid].history)));

  // Watching more than the stream's limit (3) ends it with a clear error.
  v1::WatchRequest more;
  more.add_add(std::string(32, '\x05'));
  more.add_add(std::string(32, '\x06'));
  ASSERT_TRUE(stream->Write(more));
  while (stream->Read(&event)) {
  }
  grpc::Status finished = stream->Finish();
  EXPECT_EQ(finished.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(finished.error_message().find("more than 3"), std::string::npos);
}

// Histories extended after blocks (their confirmed part kept) must equal
// the chain's, also after a reorg replaced the block that extended them.
TEST_F(HistoryServicePgTest, ExtendedHistoriesFollowBlocksAndReorgs) {
  const simnode::Bytes paid_script = simnode::P2pkhScript(simnode::Bytes(20, 0x79));
  const simnode::Bytes other_script = simnode::P2pkhScript(simnode::Bytes(20, 0x7a));
  const chain::ScriptHash paid = chain::ScriptHashOf(paid_script);
  // The service learns of changes asynchronously: poll until it agrees.
  auto history_matches_chain = [&] {
    const std::vector<chain::StatusHistoryEntry> want = ComputeExpected()[paid].history;
    for (int attempt = 0; attempt < 100; ++attempt) {
      grpc::ClientContext context;
      v1::GetHistoryRequest request;
      request.set_script_hash(Bytes(paid.internal()));
      v1::GetHistoryResponse history;
      if (!stub_->GetHistory(&context, request, &history).ok()) return false;
      bool same = history.heights_size() == static_cast<int>(want.size());
      for (int i = 0; same && i < history.heights_size(); ++i) {
        same = history.txids().substr(32 * i, 32) == Bytes(want[i].txid.internal()) &&
               history.heights(i) == want[i].height;
      }
      if (same) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  };
  chain::BlockHash second_block;
  simnode_->RunOnNode(
      [&](simnode::Node& node) { ASSERT_TRUE(node.Generate(1, paid_script).ok()); });
  Sync();
  ASSERT_TRUE(history_matches_chain()) << "one block";
  simnode_->RunOnNode([&](simnode::Node& node) {
    auto mined = node.Generate(2, paid_script);
    ASSERT_TRUE(mined.ok());
    second_block = mined->front();
  });
  Sync();
  ASSERT_TRUE(history_matches_chain()) << "extended by two blocks";
  // Replace the last two blocks by three that pay someone else.
  simnode_->RunOnNode([&](simnode::Node& node) {
    ASSERT_TRUE(node.InvalidateBlock(second_block).ok());
    ASSERT_TRUE(node.Generate(3, other_script).ok());
  });
  Sync();
  ASSERT_TRUE(history_matches_chain()) << "after the reorg";
  simnode_->RunOnNode(
      [&](simnode::Node& node) { ASSERT_TRUE(node.Generate(1, paid_script).ok()); });
  Sync();
  ASSERT_TRUE(history_matches_chain()) << "extended again after the reorg";
}

// Balances and unspent lists are cached until their script hash changes:
// read after every block and reorg, they must come to agree with the chain
// (a value that outlived its change never would).
TEST_F(HistoryServicePgTest, CachedBalancesAndUnspentListsFollowBlocksAndReorgs) {
  const simnode::Bytes paid_script = simnode::P2pkhScript(simnode::Bytes(20, 0x7b));
  const simnode::Bytes other_script = simnode::P2pkhScript(simnode::Bytes(20, 0x7c));
  const chain::ScriptHash paid = chain::ScriptHashOf(paid_script);
  auto answers_match_chain = [&] {
    const Expected want = ComputeExpected()[paid];
    for (int attempt = 0; attempt < 100; ++attempt) {
      grpc::ClientContext balance_context, unspent_context;
      v1::GetBalanceRequest balance_request;
      balance_request.set_script_hash(Bytes(paid.internal()));
      v1::GetBalanceResponse balance;
      v1::ListUnspentRequest unspent_request;
      unspent_request.set_script_hash(Bytes(paid.internal()));
      v1::ListUnspentResponse unspent;
      if (!stub_->GetBalance(&balance_context, balance_request, &balance).ok() ||
          !stub_->ListUnspent(&unspent_context, unspent_request, &unspent).ok()) {
        return false;
      }
      std::set<std::pair<std::string, uint32_t>> outputs;
      for (const auto& output : unspent.outputs()) outputs.insert({output.txid(), output.vout()});
      if (balance.confirmed() == want.balance && outputs == want.unspent) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  };
  ASSERT_TRUE(answers_match_chain()) << "never paid";  // cached empty
  chain::BlockHash second_block;
  simnode_->RunOnNode(
      [&](simnode::Node& node) { ASSERT_TRUE(node.Generate(1, paid_script).ok()); });
  Sync();
  ASSERT_TRUE(answers_match_chain()) << "one block";
  simnode_->RunOnNode([&](simnode::Node& node) {
    auto mined = node.Generate(2, paid_script);
    ASSERT_TRUE(mined.ok());
    second_block = mined->front();
  });
  Sync();
  ASSERT_TRUE(answers_match_chain()) << "two more blocks";
  simnode_->RunOnNode([&](simnode::Node& node) {
    ASSERT_TRUE(node.InvalidateBlock(second_block).ok());
    ASSERT_TRUE(node.Generate(3, other_script).ok());
  });
  Sync();
  ASSERT_TRUE(answers_match_chain()) << "after the reorg";
}

}  // namespace
}  // namespace electrum::history
