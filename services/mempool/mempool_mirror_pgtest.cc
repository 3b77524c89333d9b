// The mempool mirror and the services that read it, against a simnode whose
// mempool holds generated transactions (including unconfirmed chains), a
// live PostgreSQL and real gRPC: the mirrored rows match the submitted
// transactions, the history service answers with mempool entries (height 0
// or -1, fee) and balances, a Watch stream sees a new mempool transaction
// within a second, and mining empties the mirror.
#include "services/mempool/mempool_mirror.h"

#include <map>
#include <set>
#include <thread>

#include "common/chain/electrum_hashes.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "services/common/grpc_server.h"
#include "services/history/change_tracker.h"
#include "services/history/history_service.h"
#include "services/mempool/mempool_service.h"
#include "services/testing/indexed_simnode.h"
#include "storage/testing/migrated_database.h"
#include "tools/simnode/testing/in_process_simnode.h"
#include "tools/simnode/tx_builder.h"
#include "tools/simnode/workload.h"

namespace electrum::mempool {
namespace {

using simnode::InProcessSimnode;

std::string Bytes(const std::array<uint8_t, 32>& bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), 32);
}

struct Submitted {
  chain::Bytes raw;
  chain::Transaction tx;
  int64_t fee = 0;
  bool unconfirmed_inputs = false;
};

class MempoolMirrorPgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    generator_ = std::make_unique<simnode::WorkloadGenerator>(
        simnode::WorkloadOptions{.seed = 12, .blocks = 2, .transactions_per_block = 40});
    auto chain = services::IndexedSimnode::Start("mempool_mirror_pgtest", [&](simnode::Node& node) {
      ASSERT_TRUE(generator_->Run(node).ok());
    });
    ASSERT_TRUE(chain.ok()) << chain.status();
    chain_ = std::move(*chain);
    simnode_ = &chain_->simnode();
    writer_ = &chain_->connection();
    client_ = std::make_unique<node::BitcoindClient>(chain_->node_options());
    IndexChain();
    pool_ = std::make_unique<storage::ConnectionPool>(
        storage::ConnectionPoolOptions{.dsn = chain_->dsn(), .max_connections = 4});
    tracker_ = std::make_unique<history::ChangeTracker>(chain_->dsn(), changes_);
    history_ = std::make_unique<history::HistoryServiceImpl>(history::HistoryServiceOptions{},
                                                             *pool_, changes_);
    tracker_->Start();
    mempool_service_ = std::make_unique<MempoolServiceImpl>(
        MempoolServiceOptions{.histogram_refresh = std::chrono::milliseconds(0)}, *pool_);
    auto server = services::StartGrpcServer({}, {history_.get(), mempool_service_.get()});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(server->server);
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(server->port),
                                       grpc::InsecureChannelCredentials());
    history_stub_ = v1::AddressHistoryService::NewStub(channel);
    mempool_stub_ = v1::MempoolService::NewStub(channel);
  }

  void TearDown() override {
    changes_.Close();
    mempool_service_->Close();
    if (server_) server_->Shutdown();
    if (tracker_) tracker_->Stop();
  }

  void IndexChain() { ASSERT_TRUE(chain_->Sync().ok()); }

  MirrorResult Mirror() {
    MempoolMirror mirror(*client_, *writer_, {.max_additions_per_batch = 7});
    auto result = mirror.SyncOnce();
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : MirrorResult{};
  }

  // Submits `count` generated transactions; some spend earlier ones.
  void Submit(int count) {
    simnode_->RunOnNode([&](simnode::Node& node) {
      if (submitted_.empty()) generator_->AdoptChain(node, 3);
      // The generator may pick an output another mempool tx already
      // spends; the node refuses those (as simnode's churn expects).
      for (int attempts = 0; count > 0 && attempts < 1000; ++attempts) {
        auto next = generator_->NextChurnTransaction();
        ASSERT_TRUE(next.has_value());
        auto result = node.SubmitTransaction(next->raw, 0);
        if (!std::holds_alternative<chain::TxId>(result)) continue;
        generator_->Accepted();
        --count;
        submitted_.push_back(Submitted{next->raw, {}, next->fee, false});
        Submitted& stored = submitted_.back();
        auto parsed = chain::ParseTransaction(stored.raw);
        ASSERT_TRUE(parsed.ok());
        stored.tx = *parsed;
        for (const auto& input : stored.tx.inputs) {
          stored.unconfirmed_inputs |= node.mempool().Find(input.prev_txid) != nullptr;
        }
      }
      ASSERT_EQ(count, 0) << "the generator ran out of spendable outputs";
    });
  }

  std::unique_ptr<simnode::WorkloadGenerator> generator_;
  std::unique_ptr<services::IndexedSimnode> chain_;
  InProcessSimnode* simnode_ = nullptr;
  pqxx::connection* writer_ = nullptr;
  std::unique_ptr<node::BitcoindClient> client_;
  std::unique_ptr<storage::ConnectionPool> pool_;
  history::ChangeFeed changes_;
  std::unique_ptr<history::ChangeTracker> tracker_;
  std::unique_ptr<history::HistoryServiceImpl> history_;
  std::unique_ptr<MempoolServiceImpl> mempool_service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::AddressHistoryService::Stub> history_stub_;
  std::unique_ptr<v1::MempoolService::Stub> mempool_stub_;
  std::vector<Submitted> submitted_;
};

TEST_F(MempoolMirrorPgTest, MirrorsTheNodesMempoolAndServesIt) {
  Submit(40);
  MirrorResult result = Mirror();
  EXPECT_EQ(result.added, 40u);
  EXPECT_EQ(result.deferred, 0u);
  EXPECT_EQ(result.mempool_size, 40u);
  size_t chained = 0;
  {
    pqxx::read_transaction transaction(*writer_);
    for (const Submitted& item : submitted_) {
      pqxx::row row = transaction.exec_params1(
          "SELECT fee, vsize, has_unconfirmed_inputs FROM mempool_txs WHERE txid = $1",
          pqxx::binarystring(item.tx.txid.span().data(), 32));
      EXPECT_EQ(row[0].as<int64_t>(), item.fee);
      EXPECT_EQ(row[1].as<size_t>(), item.tx.VirtualSize());
      EXPECT_EQ(row[2].as<bool>(), item.unconfirmed_inputs);
      chained += item.unconfirmed_inputs;
    }
  }
  EXPECT_GT(chained, 0u) << "the workload must chain unconfirmed transactions";

  // Every output script of the mempool: history ends with its mempool
  // entries, the balance moves by exactly what the mempool pays.
  std::map<chain::ScriptHash, std::vector<const Submitted*>> paying;
  std::map<chain::ScriptHash, int64_t> received;
  for (const Submitted& item : submitted_) {
    for (const auto& output : item.tx.outputs) {
      const auto scripthash = chain::ScriptHashOf(output.script_pubkey);
      paying[scripthash].push_back(&item);
      received[scripthash] += output.value;
    }
  }
  for (const auto& [scripthash, items] : paying) {
    grpc::ClientContext context;
    v1::GetMempoolHistoryRequest request;
    request.set_script_hash(Bytes(scripthash.internal()));
    v1::GetMempoolHistoryResponse history;
    ASSERT_TRUE(history_stub_->GetMempoolHistory(&context, request, &history).ok());
    std::set<std::string> expected;
    for (const Submitted* item : items) expected.insert(Bytes(item->tx.txid.internal()));
    std::set<std::string> got;
    int last_height = 0;
    for (const auto& entry : history.entries()) {
      got.insert(entry.txid());
      EXPECT_LE(entry.height(), last_height) << "0 before -1";
      last_height = entry.height();
    }
    // Spends of this script's outputs also appear; paid-to entries at least.
    for (const std::string& txid : expected) EXPECT_TRUE(got.contains(txid));
  }

  grpc::ClientContext info_context;
  v1::GetMempoolInfoResponse info;
  ASSERT_TRUE(mempool_stub_->GetMempoolInfo(&info_context, {}, &info).ok());
  EXPECT_EQ(info.transaction_count(), 40u);
  grpc::ClientContext histogram_context;
  v1::GetFeeHistogramResponse histogram;
  ASSERT_TRUE(mempool_stub_->GetFeeHistogram(&histogram_context, {}, &histogram).ok());
  std::vector<FeeAndSize> fees;
  for (const Submitted& item : submitted_) {
    fees.push_back({static_cast<uint64_t>(item.fee), item.tx.VirtualSize()});
  }
  auto expected_bins = CompactFeeHistogram(fees);
  ASSERT_EQ(histogram.bins_size(), static_cast<int>(expected_bins.size()));

  // Mining confirms everything: the mirror empties, history is confirmed.
  simnode_->RunOnNode([](simnode::Node& node) {
    ASSERT_TRUE(node.Generate(1, simnode::P2pkhScript(simnode::Bytes(20, 3))).ok());
  });
  IndexChain();
  MirrorResult after = Mirror();
  EXPECT_EQ(after.removed, 40u);
  EXPECT_EQ(after.mempool_size, 0u);
  const auto& [scripthash, items] = *paying.begin();
  grpc::ClientContext confirmed_context;
  v1::GetHistoryRequest request;
  request.set_script_hash(Bytes(scripthash.internal()));
  v1::GetHistoryResponse history;
  ASSERT_TRUE(history_stub_->GetHistory(&confirmed_context, request, &history).ok());
  ASSERT_GT(history.heights_size(), 0);
  for (int32_t height : history.heights()) EXPECT_GT(height, 0);
  EXPECT_EQ(Mirror().sequence, 0) << "an idle pass writes nothing";
}

TEST_F(MempoolMirrorPgTest, IncrementalChangesLeaveNothingForAFullPass) {
  Submit(15);
  EXPECT_EQ(Mirror().added, 15u);
  const size_t before = submitted_.size();
  Submit(10);
  std::vector<chain::TxId> announced;
  for (size_t i = before; i < submitted_.size(); ++i) announced.push_back(submitted_[i].tx.txid);
  // Announced twice (as after a resync overlap): the second is skipped.
  announced.push_back(submitted_[before].tx.txid);
  MempoolMirror mirror(*client_, *writer_, {});
  auto applied = mirror.ApplyChanges(announced, {});
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_EQ(applied->added, 10u);
  auto full = mirror.SyncOnce();
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->added, 0u);
  EXPECT_EQ(full->removed, 0u);

  // Removals: a block takes them all; the node says so per txid here.
  simnode_->RunOnNode([](simnode::Node& node) {
    ASSERT_TRUE(node.Generate(1, simnode::P2pkhScript(simnode::Bytes(20, 3))).ok());
  });
  IndexChain();
  std::vector<chain::TxId> gone;
  for (const Submitted& item : submitted_) gone.push_back(item.tx.txid);
  gone.push_back(chain::TxId());  // never mirrored: skipped
  auto removed = mirror.ApplyChanges({}, gone);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(removed->removed, 25u);
  auto after = mirror.SyncOnce();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->added + after->removed, 0u);
  EXPECT_EQ(after->mempool_size, 0u);
}

TEST_F(MempoolMirrorPgTest, WatchSeesAMempoolTransactionWithinASecond) {
  // Generate the transaction first, to know whom it pays; submit it later.
  std::optional<simnode::WorkloadGenerator::ChurnTransaction> next;
  simnode_->RunOnNode([&](simnode::Node& node) {
    generator_->AdoptChain(node, 3);
    next = generator_->NextChurnTransaction();
  });
  ASSERT_TRUE(next.has_value());
  auto tx = chain::ParseTransaction(next->raw);
  ASSERT_TRUE(tx.ok());
  const chain::ScriptHash target = chain::ScriptHashOf(tx->outputs[0].script_pubkey);

  grpc::ClientContext context;
  auto stream = history_stub_->Watch(&context);
  v1::WatchRequest add;
  add.add_add(Bytes(target.internal()));
  ASSERT_TRUE(stream->Write(add));
  v1::WatchEvent initial;
  ASSERT_TRUE(stream->Read(&initial));
  ASSERT_EQ(initial.statuses_size(), 1);

  const auto started = std::chrono::steady_clock::now();
  simnode_->RunOnNode([&](simnode::Node& node) {
    ASSERT_TRUE(std::holds_alternative<chain::TxId>(node.SubmitTransaction(next->raw, 0)));
  });
  EXPECT_EQ(Mirror().added, 1u);
  v1::WatchEvent event;
  ASSERT_TRUE(stream->Read(&event));
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(), 1.0);
  ASSERT_EQ(event.statuses_size(), 1);
  EXPECT_EQ(event.statuses(0).script_hash(), Bytes(target.internal()));
  EXPECT_NE(event.statuses(0).status(), initial.statuses(0).status());
  context.TryCancel();
}

}  // namespace
}  // namespace electrum::mempool
