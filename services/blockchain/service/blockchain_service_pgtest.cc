// BlockchainService over a real gRPC socket, backed by a live PostgreSQL
// index of a simnode chain (and, for the spec's checkpoint vector, of the
// real mainnet blocks 0-8): every RPC against values computed from the
// chain itself, the error wording, and the headers stream across new blocks
// and a reorg.
#include "services/blockchain/service/blockchain_service.h"

#include <sstream>
#include <thread>

#include "common/chain/merkle.h"
#include "common/crypto/hex.h"
#include "common/testing/testdata.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "services/blockchain/service/tip_follower.h"
#include "services/common/grpc_server.h"
#include "services/node/testing/silent_listener.h"
#include "services/testing/database_restart.h"
#include "services/testing/indexed_simnode.h"
#include "storage/chain_index/block_writer.h"
#include "storage/testing/migrated_database.h"
#include "tools/simnode/testing/in_process_simnode.h"
#include "tools/simnode/tx_builder.h"
#include "tools/simnode/workload.h"

namespace electrum::blockchain {
namespace {

// A service of the test's own on a real gRPC socket.
struct ServedOverGrpc {
  explicit ServedOverGrpc(BlockchainServiceImpl& service) {
    auto started = services::StartGrpcServer({}, {&service});
    EXPECT_TRUE(started.ok()) << started.status();
    if (!started.ok()) return;
    server = std::move(started->server);
    stub = v1::BlockchainService::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(started->port), grpc::InsecureChannelCredentials()));
  }
  ~ServedOverGrpc() {
    if (server) server->Shutdown();
  }
  std::unique_ptr<grpc::Server> server;
  std::unique_ptr<v1::BlockchainService::Stub> stub;
};

using simnode::InProcessSimnode;

std::string Bytes(const auto& hash) {
  return std::string(reinterpret_cast<const char*>(hash.internal().data()), 32);
}

class BlockchainServicePgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto chain =
        services::IndexedSimnode::Start("blockchain_service_pgtest", [](simnode::Node& node) {
          simnode::WorkloadGenerator generator(
              {.seed = 3, .blocks = 2, .transactions_per_block = 30});
          ASSERT_TRUE(generator.Run(node).ok());
        });
    ASSERT_TRUE(chain.ok()) << chain.status();
    chain_ = std::move(*chain);
    simnode_ = &chain_->simnode();
    Sync();
    pool_ = std::make_unique<storage::ConnectionPool>(
        storage::ConnectionPoolOptions{.dsn = chain_->dsn(), .max_connections = 4});
    nodes_ = std::make_unique<services::NodeClientPool>(chain_->node_options(), 4);
    service_ = std::make_unique<BlockchainServiceImpl>(
        BlockchainServiceOptions{.coin = &chain::BitcoinRegtest(),
                                 .stream_poll = std::chrono::milliseconds(50)},
        headers_, tips_, *pool_, *nodes_);
    follower_ = std::make_unique<TipFollower>(
        chain_->dsn(), headers_, tips_, [this](const TipChange&) { service_->OnTipChanged(); });
    follower_->Start();
    served_ = std::make_unique<ServedOverGrpc>(*service_);
    ASSERT_NE(served_->stub, nullptr);
    stub_ = served_->stub.get();
    WaitForCachedTip(NodeHeight());
  }

  void TearDown() override {
    tips_.Close();
    served_.reset();  // shuts the server down
    if (follower_) follower_->Stop();
  }

  void Sync() { ASSERT_TRUE(chain_->Sync().ok()); }

  void WaitForCachedTip(int32_t height) {
    for (int i = 0; i < 200 && headers_.tip_height() != height; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_EQ(headers_.tip_height(), height);
  }

  int32_t NodeHeight() { return chain_->NodeHeight(); }
  // The proof of the tip block's second transaction.
  v1::GetTransactionMerkleRequest MerkleRequestForTipTx() {
    v1::GetTransactionMerkleRequest request;
    request.set_txid(Bytes(chain_->Block(NodeHeight())->block.transactions[1].txid));
    request.set_block_height(NodeHeight());
    return request;
  }
  const simnode::BlockEntry* Block(int height) { return chain_->Block(height); }

  std::unique_ptr<services::IndexedSimnode> chain_;
  InProcessSimnode* simnode_ = nullptr;
  HeaderCache headers_;
  TipFeed tips_;
  std::unique_ptr<storage::ConnectionPool> pool_;
  std::unique_ptr<services::NodeClientPool> nodes_;
  std::unique_ptr<BlockchainServiceImpl> service_;
  std::unique_ptr<TipFollower> follower_;
  std::unique_ptr<ServedOverGrpc> served_;
  v1::BlockchainService::Stub* stub_ = nullptr;  // served_'s
};

TEST_F(BlockchainServicePgTest, HeadersMatchTheNode) {
  grpc::ClientContext tip_context;
  v1::GetTipResponse tip;
  ASSERT_TRUE(stub_->GetTip(&tip_context, {}, &tip).ok());
  EXPECT_EQ(static_cast<int32_t>(tip.tip().height()), NodeHeight());
  EXPECT_EQ(tip.tip().hash(), Bytes(Block(NodeHeight())->hash));

  grpc::ClientContext header_context;
  v1::GetHeaderRequest request;
  request.set_height(7);
  v1::GetHeaderResponse header;
  ASSERT_TRUE(stub_->GetHeader(&header_context, request, &header).ok());
  const auto& raw = Block(7)->block.header.raw;
  EXPECT_EQ(header.header().raw(), std::string(raw.begin(), raw.end()));

  grpc::ClientContext range_context;
  v1::GetHeadersRequest range;
  range.set_start_height(NodeHeight() - 2);
  range.set_count(5000);
  v1::GetHeadersResponse headers;
  ASSERT_TRUE(stub_->GetHeaders(&range_context, range, &headers).ok());
  EXPECT_EQ(headers.headers_size(), 3) << "clamped to the tip";
  EXPECT_EQ(headers.max_count(), 2016u);

  grpc::ClientContext beyond_context;
  range.set_start_height(NodeHeight() + 10);
  ASSERT_TRUE(stub_->GetHeaders(&beyond_context, range, &headers).ok());
  EXPECT_EQ(headers.headers_size(), 0) << "beyond the tip is not an error";

  grpc::ClientContext missing_context;
  request.set_height(1234567);
  grpc::Status missing = stub_->GetHeader(&missing_context, request, &header);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(missing.error_message(), "height 1,234,567 out of range");

  grpc::ClientContext bad_cp_context;
  request.set_height(9);
  request.set_checkpoint_height(8);
  grpc::Status bad_cp = stub_->GetHeader(&bad_cp_context, request, &header);
  EXPECT_EQ(bad_cp.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(bad_cp.error_message().find("require header height 9 <= cp_height 8"),
            std::string::npos);
}

TEST_F(BlockchainServicePgTest, CheckpointProofsVerify) {
  const int32_t checkpoint = NodeHeight() - 1;
  for (uint32_t height : {0u, 5u, static_cast<uint32_t>(checkpoint)}) {
    grpc::ClientContext context;
    v1::GetHeaderRequest request;
    request.set_height(height);
    request.set_checkpoint_height(checkpoint);
    v1::GetHeaderResponse response;
    ASSERT_TRUE(stub_->GetHeader(&context, request, &response).ok());
    std::vector<chain::MerkleHash> siblings;
    for (const std::string& sibling : response.proof().branch()) {
      std::array<uint8_t, 32> bytes{};
      std::copy(sibling.begin(), sibling.end(), bytes.begin());
      siblings.emplace_back(bytes);
    }
    const chain::MerkleHash leaf(Block(height)->hash.internal());
    std::vector<chain::MerkleHash> all;
    for (int h = 0; h <= checkpoint; ++h) all.emplace_back(Block(h)->hash.internal());
    auto expected = chain::ComputeMerkleBranch(all, 0);
    ASSERT_TRUE(expected.ok());
    EXPECT_EQ(chain::RootFromBranch(leaf, siblings, height), expected->root) << height;
    EXPECT_EQ(response.proof().root(), Bytes(expected->root));
  }
}

TEST_F(BlockchainServicePgTest, TransactionsAndMerkleProofs) {
  const auto* block = Block(NodeHeight());
  ASSERT_GT(block->block.transactions.size(), 3u);
  const auto& tx = block->block.transactions[2];

  grpc::ClientContext get_context;
  v1::GetTransactionRequest get;
  get.set_txid(Bytes(tx.txid));
  v1::GetTransactionResponse got;
  ASSERT_TRUE(stub_->GetTransaction(&get_context, get, &got).ok());
  EXPECT_EQ(got.raw(), std::string(tx.raw.begin(), tx.raw.end()));
  EXPECT_EQ(static_cast<int32_t>(got.block_height()), NodeHeight());

  grpc::ClientContext verbose_context;
  get.set_verbose(true);
  ASSERT_TRUE(stub_->GetTransaction(&verbose_context, get, &got).ok());
  EXPECT_NE(got.verbose_json().find(tx.txid.ToDisplayHex()), std::string::npos);

  grpc::ClientContext unknown_context;
  get.set_txid(std::string(32, '\x42'));
  EXPECT_EQ(stub_->GetTransaction(&unknown_context, get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);

  grpc::ClientContext merkle_context;
  v1::GetTransactionMerkleRequest merkle;
  merkle.set_txid(Bytes(tx.txid));
  merkle.set_block_height(NodeHeight());
  v1::GetTransactionMerkleResponse proof;
  ASSERT_TRUE(stub_->GetTransactionMerkle(&merkle_context, merkle, &proof).ok());
  EXPECT_EQ(proof.proof().position(), 2u);
  std::vector<chain::MerkleHash> siblings;
  for (const std::string& sibling : proof.proof().branch()) {
    std::array<uint8_t, 32> bytes{};
    std::copy(sibling.begin(), sibling.end(), bytes.begin());
    siblings.emplace_back(bytes);
  }
  EXPECT_EQ(chain::RootFromBranch(chain::MerkleHash(tx.txid.internal()), siblings, 2).internal(),
            block->block.header.merkle_root.internal());

  grpc::ClientContext wrong_block_context;
  merkle.set_block_height(3);
  grpc::Status wrong = stub_->GetTransactionMerkle(&wrong_block_context, merkle, &proof);
  EXPECT_EQ(wrong.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(wrong.error_message(), "tx " + tx.txid.ToDisplayHex() + " not in block at height 3");

  grpc::ClientContext position_context;
  v1::GetTransactionAtPositionRequest at;
  at.set_block_height(NodeHeight());
  at.set_position(2);
  at.set_include_proof(true);
  v1::GetTransactionAtPositionResponse found;
  ASSERT_TRUE(stub_->GetTransactionAtPosition(&position_context, at, &found).ok());
  EXPECT_EQ(found.txid(), Bytes(tx.txid));
  EXPECT_EQ(found.proof().branch_size(), proof.proof().branch_size());

  grpc::ClientContext past_end_context;
  at.set_position(100000);
  grpc::Status past_end = stub_->GetTransactionAtPosition(&past_end_context, at, &found);
  EXPECT_EQ(past_end.error_message(),
            "no tx at position 100,000 in block at height " + std::to_string(NodeHeight()));
}

TEST_F(BlockchainServicePgTest, FeesAndBroadcast) {
  grpc::ClientContext relay_context;
  v1::GetRelayFeeResponse relay;
  ASSERT_TRUE(stub_->GetRelayFee(&relay_context, {}, &relay).ok());
  EXPECT_GT(relay.fee_rate_sat_per_kvb(), 0u);

  grpc::ClientContext mempool_fees_context;
  v1::GetMempoolFeesResponse mempool_fees;
  ASSERT_TRUE(stub_->GetMempoolFees(&mempool_fees_context, {}, &mempool_fees).ok());
  // simnode reports its relay floor (1,000 sat/kvB) for all three.
  EXPECT_EQ(mempool_fees.min_relay_tx_fee_sat_per_kvb(), relay.fee_rate_sat_per_kvb());
  EXPECT_EQ(mempool_fees.mempool_min_fee_sat_per_kvb(), relay.fee_rate_sat_per_kvb());
  EXPECT_EQ(mempool_fees.incremental_relay_fee_sat_per_kvb(), relay.fee_rate_sat_per_kvb());

  grpc::ClientContext estimate_context;
  v1::EstimateFeeRequest estimate;
  estimate.set_target_blocks(6);
  v1::EstimateFeeResponse fee;
  EXPECT_TRUE(stub_->EstimateFee(&estimate_context, estimate, &fee).ok());

  grpc::ClientContext bad_mode_context;
  estimate.set_mode("CHEAP");
  grpc::Status bad_mode = stub_->EstimateFee(&bad_mode_context, estimate, &fee);
  EXPECT_EQ(bad_mode.error_message(), "unknown estimatefee mode: CHEAP");

  // Re-broadcasting a confirmed transaction: the node's reason, verbatim.
  const auto& confirmed = Block(NodeHeight())->block.transactions[1];
  grpc::ClientContext again_context;
  v1::BroadcastTransactionRequest again;
  again.set_raw(std::string(confirmed.raw.begin(), confirmed.raw.end()));
  v1::BroadcastTransactionResponse sent;
  grpc::Status rejected = stub_->BroadcastTransaction(&again_context, again, &sent);
  EXPECT_EQ(rejected.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_FALSE(rejected.error_message().empty());
  EXPECT_EQ(rejected.error_message().find("node:"), std::string::npos) << rejected.error_message();

  grpc::ClientContext garbage_context;
  again.set_raw("\x01\x02\x03");
  EXPECT_FALSE(stub_->BroadcastTransaction(&garbage_context, again, &sent).ok());

  grpc::ClientContext info_context;
  v1::GetChainInfoResponse info;
  ASSERT_TRUE(stub_->GetChainInfo(&info_context, {}, &info).ok());
  EXPECT_EQ(info.genesis_hash(), Bytes(Block(0)->hash));
  EXPECT_EQ(info.coin(), "Bitcoin");
}

TEST_F(BlockchainServicePgTest, HeadersStreamFollowsNewBlocksAndReorgs) {
  grpc::ClientContext context;
  auto stream = stub_->SubscribeHeaders(&context, {});
  v1::HeadersEvent event;
  ASSERT_TRUE(stream->Read(&event));
  EXPECT_EQ(static_cast<int32_t>(event.tip().height()), NodeHeight());

  simnode_->RunOnNode([](simnode::Node& node) {
    ASSERT_TRUE(node.Generate(1, simnode::P2pkhScript(simnode::Bytes(20, 4))).ok());
  });
  Sync();
  ASSERT_TRUE(stream->Read(&event));
  EXPECT_EQ(static_cast<int32_t>(event.tip().height()), NodeHeight());
  EXPECT_EQ(event.reorg_from_height(), 0u);

  const int32_t fork = NodeHeight() - 2;
  simnode_->RunOnNode([fork](simnode::Node& node) {
    ASSERT_TRUE(node.InvalidateBlock(node.chain().AtHeight(fork + 1)->hash).ok());
    ASSERT_TRUE(node.Generate(3, simnode::P2pkhScript(simnode::Bytes(20, 6))).ok());
  });
  Sync();
  // The rollback and each new block are separate commits: events may come
  // one by one or coalesced; the reorg height must show up on the way.
  uint32_t reorg_from = 0;
  while (event.tip().hash() != Bytes(Block(NodeHeight())->hash)) {
    ASSERT_TRUE(stream->Read(&event));
    if (event.reorg_from_height() != 0) reorg_from = event.reorg_from_height();
  }
  EXPECT_EQ(static_cast<int32_t>(event.tip().height()), NodeHeight());
  EXPECT_EQ(static_cast<int32_t>(reorg_from), fork + 1);
  context.TryCancel();
}

TEST_F(BlockchainServicePgTest, RecoversWhenTheDatabaseDropsItsConnections) {
  const v1::GetTransactionMerkleRequest request = MerkleRequestForTipTx();
  v1::GetTransactionMerkleResponse response;
  grpc::ClientContext before;
  ASSERT_TRUE(stub_->GetTransactionMerkle(&before, request, &response).ok());
  // Every session but the test's indexer.
  services::TerminateDatabaseSessions(chain_->dsn(), chain_->connection().backendpid());
  services::ExpectRecoversWithin(3, [&] {
    grpc::ClientContext context;
    return stub_->GetTransactionMerkle(&context, request, &response);
  });
  // The header cache's own connection recovers too: a new block still
  // reaches it.
  simnode_->RunOnNode([](simnode::Node& node) {
    ASSERT_TRUE(node.Generate(1, simnode::P2pkhScript(simnode::Bytes(20, 4))).ok());
  });
  ASSERT_TRUE(chain_->Sync().ok());
  WaitForCachedTip(NodeHeight());
}

TEST_F(BlockchainServicePgTest, ReadsStopAtTheCallersDeadline) {
  const v1::GetTransactionMerkleRequest request = MerkleRequestForTipTx();
  v1::GetTransactionMerkleResponse response;
  // Another session holds block_txids, so the service's read waits on the lock.
  pqxx::connection locker(chain_->dsn());
  pqxx::work lock(locker);
  lock.exec("LOCK TABLE block_txids IN ACCESS EXCLUSIVE MODE");
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(300));
  EXPECT_EQ(stub_->GetTransactionMerkle(&context, request, &response).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
  // The client gives up by itself; what shows the deadline reached
  // PostgreSQL is that no statement is left waiting on the lock.
  int waiting = -1;
  for (int i = 0; i < 100 && waiting != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    pqxx::connection observer(chain_->dsn());
    pqxx::nontransaction look(observer);
    waiting = look.exec1(
                      "SELECT count(*) FROM pg_stat_activity "
                      "WHERE wait_event_type = 'Lock' AND query LIKE '%JOIN block_txids%'")[0]
                  .as<int>();
  }
  EXPECT_EQ(waiting, 0);
  lock.abort();
  grpc::ClientContext after;
  EXPECT_TRUE(stub_->GetTransactionMerkle(&after, request, &response).ok());
}

// A call waiting on the node holds a blocking thread, never a gRPC one:
// with the only blocking thread stuck on a node that accepts and never
// answers, headers are still answered at once.
TEST_F(BlockchainServicePgTest, HeadersAreAnsweredWhileTheNodeHangs) {
  node::testing::SilentListener node;
  ASSERT_NE(node.port(), 0);
  services::NodeClientPool hung({.port = node.port(), .timeout = std::chrono::milliseconds(3000)},
                                1);
  BlockchainServiceImpl service({.coin = &chain::BitcoinRegtest(), .blocking_threads = 1}, headers_,
                                tips_, *pool_, hung);
  ServedOverGrpc served(service);
  std::thread waiting([&] {
    grpc::ClientContext context;
    v1::GetRelayFeeResponse relay;
    EXPECT_FALSE(served.stub->GetRelayFee(&context, {}, &relay).ok());
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the node call is out
  for (int i = 0; i < 5; ++i) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(1000));
    v1::GetTipResponse tip;
    EXPECT_TRUE(served.stub->GetTip(&context, {}, &tip).ok()) << i;
  }
  waiting.join();
}

TEST_F(BlockchainServicePgTest, NodeDownIsUnavailableAndSaysSo) {
  services::NodeClientPool down({.port = 1}, 1);
  BlockchainServiceImpl service({.coin = &chain::BitcoinRegtest()}, headers_, tips_, *pool_, down);
  ServedOverGrpc served(service);
  grpc::ClientContext context;
  v1::GetRelayFeeResponse relay;
  grpc::Status status = served.stub->GetRelayFee(&context, {}, &relay);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(status.error_message().find("node unreachable"), std::string::npos);
}

// The spec's checkpoint vector (§3.8): real mainnet blocks 0-8 indexed,
// header 5 proven against cp_height 8.
TEST(BlockchainServiceMainnetTest, SpecCheckpointVector) {
  auto database = storage::CreateMigratedTestDatabase("blockchain_service_mainnet");
  ASSERT_TRUE(database.ok()) << database.status();
  pqxx::connection connection((*database)->dsn());
  std::istringstream lines(testing::ReadTestData("blocks/bitcoin_mainnet_0_255.txt"));
  std::vector<chain::Bytes> raws;
  std::string hex;
  while (raws.size() < 9 && std::getline(lines, hex)) {
    auto raw = FromHex(hex);
    ASSERT_TRUE(raw.ok());
    raws.push_back(*raw);
  }
  for (int height = 0; height < 9; ++height) {
    auto block = chain::ParseBlock(raws[height], chain::BitcoinMainnet().block_format);
    ASSERT_TRUE(block.ok());
    ASSERT_TRUE(
        storage::IndexBlock(connection, {height, block->header.Sha256dHash(), &*block}).ok());
  }
  HeaderCache headers;
  ASSERT_TRUE(headers.Refresh(connection).ok());
  TipFeed tips;
  storage::ConnectionPool pool({.dsn = (*database)->dsn(), .max_connections = 1});
  services::NodeClientPool no_node({.port = 1}, 1);
  BlockchainServiceImpl service({.coin = &chain::BitcoinMainnet()}, headers, tips, pool, no_node);
  ServedOverGrpc served(service);
  grpc::ClientContext context;
  v1::GetHeaderRequest request;
  request.set_height(5);
  request.set_checkpoint_height(8);
  v1::GetHeaderResponse response;
  ASSERT_TRUE(served.stub->GetHeader(&context, request, &response).ok());
  auto display = [](const std::string& internal) {
    std::array<uint8_t, 32> bytes{};
    std::copy(internal.begin(), internal.end(), bytes.begin());
    return chain::MerkleHash(bytes).ToDisplayHex();
  };
  EXPECT_EQ(
      ToHex(chain::ByteSpan(reinterpret_cast<const uint8_t*>(response.header().raw().data()), 80)),
      "0100000085144a84488ea88d221c8bd6c059da090e88f8a2c99690ee55dbba4e00000000e11c48fecdd9"
      "e72510ca84f023370c9a38bf91ac5cae88019bee94d24528526344c36649ffff001d1d03e477");
  ASSERT_EQ(response.proof().branch_size(), 4);
  EXPECT_EQ(display(response.proof().branch(0)),
            "000000004ebadb55ee9096c9a2f8880e09da59c0d68b1c228da88e48844a1485");
  EXPECT_EQ(display(response.proof().branch(1)),
            "96cbbc84783888e4cc971ae8acf86dd3c1a419370336bb3c634c97695a8c5ac9");
  EXPECT_EQ(display(response.proof().branch(2)),
            "965ac94082cebbcffe458075651e9cc33ce703ab0115c72d9e8b1a9906b2b636");
  EXPECT_EQ(display(response.proof().branch(3)),
            "89e5daa6950b895190716dd26054432b564ccdc2868188ba1da76de8e1dc7591");
  EXPECT_EQ(display(response.proof().root()),
            "e347b1c43fd9b5415bf0d92708db8284b78daf4d0e24f9c3405f45feb85e25db");
}

}  // namespace
}  // namespace electrum::blockchain
