// The history service's pg test fixture: an indexed simnode chain, the
// service over a real gRPC socket, and the answers every script hash must
// get, computed from the node's own chain.
#ifndef ELECTRUM_SERVICES_HISTORY_HISTORY_SERVICE_FIXTURE_H_
#define ELECTRUM_SERVICES_HISTORY_HISTORY_SERVICE_FIXTURE_H_

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/chain/electrum_hashes.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "services/common/grpc_server.h"
#include "services/history/change_tracker.h"
#include "services/history/history_service.h"
#include "services/testing/indexed_simnode.h"
#include "tools/simnode/testing/in_process_simnode.h"
#include "tools/simnode/workload.h"

namespace electrum::history::pgtest {

using simnode::InProcessSimnode;

inline std::string Bytes(const std::array<uint8_t, 32>& bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), 32);
}

// What the index must say about one script hash, from the node's chain.
struct Expected {
  std::vector<chain::StatusHistoryEntry> history;
  uint64_t balance = 0;
  std::set<std::pair<std::string, uint32_t>> unspent;  // txid bytes, vout
};

class HistoryServicePgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto chain = services::IndexedSimnode::Start("history_service_pgtest", [](simnode::Node& node) {
      simnode::WorkloadGenerator generator({.seed = 8, .blocks = 3, .transactions_per_block = 60});
      ASSERT_TRUE(generator.Run(node).ok());
    });
    ASSERT_TRUE(chain.ok()) << chain.status();
    chain_ = std::move(*chain);
    simnode_ = &chain_->simnode();
    Sync();
    pool_ = std::make_unique<storage::ConnectionPool>(storage::ConnectionPoolOptions{
        .dsn = chain_->dsn(),
        .max_connections = 4,
        .on_connect = {storage::kGenericPlansSetting, storage::kNoJitSetting}});
    tracker_ = std::make_unique<ChangeTracker>(chain_->dsn(), changes_);
    service_ = std::make_unique<HistoryServiceImpl>(Options(), *pool_, changes_);
    tracker_->Start();
    auto server = services::StartGrpcServer({}, {service_.get()});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(server->server);
    stub_ = v1::AddressHistoryService::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(server->port), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    changes_.Close();
    if (server_) server_->Shutdown();
    if (tracker_) tracker_->Stop();
  }

  virtual void Sync() { ASSERT_TRUE(chain_->Sync().ok()); }

  virtual HistoryServiceOptions Options() {
    // Every history keeps its confirmed part, so blocks extend them.
    return {.max_history_entries = 100000, .max_watched_per_stream = 3, .prefix_min_entries = 1};
  }

  // Calls `call(i)` for every i < n from 8 threads at once, each walking
  // from a different place so that first (uncached) requests for different
  // script hashes overlap; returns how many calls failed or were wrong.
  static int ConcurrentCallsWrong(size_t n, const std::function<bool(size_t)>& call) {
    constexpr size_t kClients = 8;
    std::atomic<int> wrong{0};
    std::vector<std::thread> clients;
    for (size_t client = 0; client < kClients; ++client) {
      clients.emplace_back([&, client] {
        for (size_t i = 0; i < n; ++i) {
          if (!call((i + client * n / kClients) % n)) ++wrong;
        }
      });
    }
    for (std::thread& thread : clients) thread.join();
    return wrong.load();
  }

  void ExpectEveryScriptHashMatchesTheChain();

  // GetStatus's answer (the status bytes, empty for none); nullopt when the
  // call failed.
  std::optional<std::string> StatusOf(const chain::ScriptHash& scripthash) {
    grpc::ClientContext context;
    v1::GetStatusRequest request;
    request.set_script_hash(Bytes(scripthash.internal()));
    v1::GetStatusResponse response;
    if (!stub_->GetStatus(&context, request, &response).ok()) return std::nullopt;
    return response.status().status();
  }

  // What other tools read with plain SQL (docs/operations.md) is the same.
  void ExpectSqlFunctionsAgree(const chain::ScriptHash& scripthash, const Expected& want) {
    pqxx::work transaction(chain_->connection());
    const pqxx::binarystring key(scripthash.internal().data(), 32);
    pqxx::result history =
        transaction.exec_params("SELECT txid, height FROM electrum_history($1)", key);
    ASSERT_EQ(history.size(), want.history.size());
    for (size_t i = 0; i < want.history.size(); ++i) {
      EXPECT_EQ(pqxx::binarystring(history[i][0]).str(), Bytes(want.history[i].txid.internal()));
      EXPECT_EQ(history[i][1].as<int>(), want.history[i].height);
    }
    EXPECT_EQ(transaction.exec_params("SELECT electrum_balance($1)", key)[0][0].as<uint64_t>(),
              want.balance);
    std::set<std::pair<std::string, uint32_t>> unspent;
    for (const auto& row :
         transaction.exec_params("SELECT txid, vout FROM electrum_unspent($1)", key)) {
      unspent.insert({pqxx::binarystring(row[0]).str(), row[1].as<uint32_t>()});
    }
    EXPECT_EQ(unspent, want.unspent);
  }

  // Every script hash's expected answers, computed from the active chain.
  std::map<chain::ScriptHash, Expected> ComputeExpected() {
    std::map<chain::ScriptHash, Expected> expected;
    simnode_->RunOnNode([&](simnode::Node& node) {
      std::map<std::pair<chain::TxId, uint32_t>, chain::ScriptHash> owner;
      for (int height = 1; height <= node.chain().Height(); ++height) {
        for (const auto& tx : node.chain().AtHeight(height)->block.transactions) {
          std::set<chain::ScriptHash> touched;
          if (!tx.IsCoinbase()) {
            for (const auto& input : tx.inputs) {
              touched.insert(owner.at({input.prev_txid, input.prev_index}));
            }
          }
          for (uint32_t vout = 0; vout < tx.outputs.size(); ++vout) {
            const chain::ScriptHash scripthash =
                chain::ScriptHashOf(tx.outputs[vout].script_pubkey);
            owner[{tx.txid, vout}] = scripthash;
            touched.insert(scripthash);
            if (node.chain().FindCoin({tx.txid, vout}) != nullptr) {
              expected[scripthash].balance += tx.outputs[vout].value;
              expected[scripthash].unspent.insert({Bytes(tx.txid.internal()), vout});
            }
          }
          for (const chain::ScriptHash& scripthash : touched) {
            expected[scripthash].history.push_back({tx.txid, height});
          }
        }
      }
    });
    return expected;
  }

  std::unique_ptr<services::IndexedSimnode> chain_;
  InProcessSimnode* simnode_ = nullptr;
  std::unique_ptr<storage::ConnectionPool> pool_;
  ChangeFeed changes_;
  std::unique_ptr<ChangeTracker> tracker_;
  std::unique_ptr<HistoryServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::AddressHistoryService::Stub> stub_;
};

inline void HistoryServicePgTest::ExpectEveryScriptHashMatchesTheChain() {
  std::map<chain::ScriptHash, Expected> expected = ComputeExpected();
  ASSERT_GT(expected.size(), 50u);
  size_t longest = 0;
  for (const auto& [scripthash, want] : expected) {
    longest = std::max(longest, want.history.size());
    grpc::ClientContext history_context;
    v1::GetHistoryRequest request;
    request.set_script_hash(Bytes(scripthash.internal()));
    v1::GetHistoryResponse history;
    ASSERT_TRUE(stub_->GetHistory(&history_context, request, &history).ok());
    ASSERT_EQ(history.heights_size(), static_cast<int>(want.history.size()));
    ASSERT_EQ(history.txids().size(), 32 * want.history.size());
    ASSERT_EQ(history.fees_size(), history.heights_size());
    for (int i = 0; i < history.heights_size(); ++i) {
      EXPECT_EQ(history.txids().substr(32 * i, 32), Bytes(want.history[i].txid.internal()));
      EXPECT_EQ(history.heights(i), want.history[i].height);
      EXPECT_EQ(history.fees(i), 0u);
    }
    ExpectSqlFunctionsAgree(scripthash, want);

    grpc::ClientContext status_context;
    v1::GetStatusRequest status_request;
    status_request.set_script_hash(Bytes(scripthash.internal()));
    v1::GetStatusResponse status;
    ASSERT_TRUE(stub_->GetStatus(&status_context, status_request, &status).ok());
    EXPECT_EQ(status.status().status(), Bytes(*chain::AddressStatus(want.history)));

    grpc::ClientContext balance_context;
    v1::GetBalanceRequest balance_request;
    balance_request.set_script_hash(Bytes(scripthash.internal()));
    v1::GetBalanceResponse balance;
    ASSERT_TRUE(stub_->GetBalance(&balance_context, balance_request, &balance).ok());
    EXPECT_EQ(balance.confirmed(), want.balance);
    EXPECT_EQ(balance.unconfirmed(), 0);

    grpc::ClientContext unspent_context;
    v1::ListUnspentRequest unspent_request;
    unspent_request.set_script_hash(Bytes(scripthash.internal()));
    v1::ListUnspentResponse unspent;
    ASSERT_TRUE(stub_->ListUnspent(&unspent_context, unspent_request, &unspent).ok());
    std::set<std::pair<std::string, uint32_t>> got;
    for (const auto& output : unspent.outputs()) got.insert({output.txid(), output.vout()});
    EXPECT_EQ(got, want.unspent);
  }
  EXPECT_GT(longest, 2u) << "some script hash must be reused";
}

}  // namespace electrum::history::pgtest

#endif  // ELECTRUM_SERVICES_HISTORY_HISTORY_SERVICE_FIXTURE_H_
