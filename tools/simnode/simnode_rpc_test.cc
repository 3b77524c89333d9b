// simnode over real sockets: a JSON-RPC client over HTTP on loopback and a
// ZMQ subscriber, against the server running on its own io_context thread.
#include <thread>

#include "boost/asio/connect.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "common/chain/address.h"
#include "common/chain/coins.h"
#include "common/crypto/hex.h"
#include "gtest/gtest.h"
#include "tools/simnode/block_assembler.h"
#include "tools/simnode/http_server.h"
#include "tools/simnode/node.h"
#include "tools/simnode/rpc_dispatcher.h"
#include "tools/simnode/tx_builder.h"
#include "tools/simnode/zmq_publisher.h"
#include "zmq.hpp"
#include "zmq_addon.hpp"

namespace electrum::simnode {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using nlohmann::json;

constexpr char kUser[] = "alice";
constexpr char kPassword[] = "secret";
const char kAddress[] = "bcrt1qn7d2x7272lznt5hhk9s07q3cqnrqljnwladrd3";

struct Reply {
  int status;
  json body;
};

class SimnodeRpcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    zmq_endpoint_ = "tcp://127.0.0.1:" + std::to_string(FreePort());
    auto publisher = ZmqPublisher::Create({{"hashblock", zmq_endpoint_},
                                           {"rawblock", zmq_endpoint_},
                                           {"hashtx", zmq_endpoint_},
                                           {"rawtx", zmq_endpoint_},
                                           {"sequence", zmq_endpoint_}});
    ASSERT_TRUE(publisher.ok()) << publisher.status();
    publisher_ = std::move(*publisher);
    auto node = Node::Open({.mock_time = 1700000000}, publisher_.get());
    ASSERT_TRUE(node.ok());
    node_ = std::move(*node);
    RpcContext context{.node = node_.get(),
                       .zmq_notifications = {{"pubhashblock", zmq_endpoint_}},
                       .request_stop = [] {},
                       .fee_estimate_per_kvb = 2000};
    dispatcher_ = std::make_unique<RpcDispatcher>(std::move(context));
    server_ = std::make_unique<HttpServer>(
        io_, HttpServerOptions{.user = kUser, .password = kPassword}, *dispatcher_);
    auto port = server_->Start();
    ASSERT_TRUE(port.ok()) << port.status();
    port_ = *port;
    work_ = std::make_unique<asio::executor_work_guard<asio::io_context::executor_type>>(
        io_.get_executor());
    thread_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    asio::post(io_, [this] { server_->Stop(); });
    work_.reset();
    io_.stop();
    thread_.join();
  }

  static uint16_t FreePort() {
    asio::io_context io;
    asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
    return acceptor.local_endpoint().port();
  }

  Reply Post(const std::string& body, const std::string& authorization) {
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
    http::request<http::string_body> request(http::verb::post, "/", 11);
    request.set(http::field::host, "127.0.0.1");
    request.set(http::field::authorization, authorization);
    request.set(http::field::content_type, "application/json");
    request.body() = body;
    request.prepare_payload();
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    Reply reply{static_cast<int>(response.result_int()), nullptr};
    if (!response.body().empty()) reply.body = json::parse(response.body());
    return reply;
  }

  // Positional parameters. (A braced single value given to nlohmann::json
  // becomes that value, not an array; a vector keeps it an array.)
  Reply Call(const std::string& method, std::vector<json> params = {}) {
    return CallRaw(method, json(params));
  }

  Reply CallRaw(const std::string& method, const json& params) {
    return Post(json{{"method", method}, {"params", params}, {"id", 1}}.dump(),
                BasicAuthorization(kUser, kPassword));
  }

  json Result(const std::string& method, std::vector<json> params = {}) {
    Reply reply = Call(method, params);
    EXPECT_EQ(reply.status, 200) << method << ": " << reply.body.dump();
    return reply.body["result"];
  }

  int ErrorCode(const std::string& method, std::vector<json> params = {}) {
    return Call(method, params).body["error"]["code"].get<int>();
  }

  asio::io_context io_;
  std::string zmq_endpoint_;
  std::unique_ptr<ZmqPublisher> publisher_;
  std::unique_ptr<Node> node_;
  std::unique_ptr<RpcDispatcher> dispatcher_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::thread thread_;
  uint16_t port_ = 0;
};

TEST_F(SimnodeRpcTest, WrongCredentialsAre401) {
  EXPECT_EQ(Post(R"({"method":"getblockcount"})", BasicAuthorization(kUser, "wrong")).status, 401);
  EXPECT_EQ(Post(R"({"method":"getblockcount"})", "").status, 401);
}

TEST_F(SimnodeRpcTest, EnvelopeFollowsCore) {
  Reply ok = Call("getblockcount");
  EXPECT_EQ(ok.status, 200);
  EXPECT_TRUE(ok.body.contains("error") && ok.body["error"].is_null());
  EXPECT_EQ(ok.body["result"], 0);

  Reply unknown = Call("nosuchmethod");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.body["error"]["code"], -32601);

  Reply parse = Post("{not json", BasicAuthorization(kUser, kPassword));
  EXPECT_EQ(parse.status, 500);
  EXPECT_EQ(parse.body["error"]["code"], -32700);

  Reply batch = Post(R"([{"jsonrpc":"2.0","method":"getblockcount","id":"a"},
                         {"jsonrpc":"2.0","method":"getblockcount"},
                         {"method":"getblockhash","params":[99],"id":7}])",
                     BasicAuthorization(kUser, kPassword));
  EXPECT_EQ(batch.status, 200);
  ASSERT_EQ(batch.body.size(), 2u) << "the 2.0 notification gets no reply";
  EXPECT_EQ(batch.body[0]["id"], "a");
  EXPECT_EQ(batch.body[0]["jsonrpc"], "2.0");
  EXPECT_FALSE(batch.body[0].contains("error"));
  EXPECT_EQ(batch.body[1]["error"]["code"], -8);
  EXPECT_EQ(batch.body[1]["error"]["message"], "Block height out of range");

  // Named parameters.
  EXPECT_EQ(CallRaw("getblockhash", json{{"height", 0}}).body["result"],
            chain::BitcoinRegtest().genesis_hash.ToDisplayHex());
}

TEST_F(SimnodeRpcTest, ChainMethodsHaveCoreShapes) {
  json hashes = Result("generatetoaddress", {3, kAddress});
  ASSERT_EQ(hashes.size(), 3u);
  EXPECT_EQ(Result("getbestblockhash"), hashes[2]);
  EXPECT_EQ(Result("getblockcount"), 3);

  json info = Result("getblockchaininfo");
  for (const char* key : {"chain", "blocks", "headers", "bestblockhash", "difficulty", "time",
                          "mediantime", "verificationprogress", "initialblockdownload", "chainwork",
                          "size_on_disk", "pruned", "warnings"}) {
    EXPECT_TRUE(info.contains(key)) << key;
  }
  EXPECT_EQ(info["chain"], "regtest");

  json header = Result("getblockheader", {hashes[1]});
  EXPECT_EQ(header["height"], 2);
  EXPECT_EQ(header["confirmations"], 2);
  EXPECT_EQ(header["previousblockhash"], hashes[0]);
  EXPECT_EQ(header["nextblockhash"], hashes[2]);
  EXPECT_EQ(header["bits"], "207fffff");
  EXPECT_EQ(header["versionHex"], "20000000");
  std::string header_hex = Result("getblockheader", {hashes[1], false});
  EXPECT_EQ(header_hex.size(), 160u);

  json block = Result("getblock", {hashes[1], 2});
  ASSERT_EQ(block["tx"].size(), 1u);
  const json& coinbase = block["tx"][0];
  EXPECT_EQ(coinbase["vin"][0]["coinbase"], "5200");  // OP_2 (height 2), OP_0
  EXPECT_EQ(coinbase["vout"][0]["value"], 50.0);
  EXPECT_EQ(coinbase["vout"][0]["scriptPubKey"]["address"], kAddress);
  EXPECT_EQ(coinbase["vout"][0]["scriptPubKey"]["type"], "witness_v0_keyhash");
  EXPECT_EQ(coinbase["vout"][1]["scriptPubKey"]["type"], "nulldata");
  std::string raw_block = Result("getblock", {hashes[1], 0});
  EXPECT_EQ(raw_block.size(), block["size"].get<size_t>() * 2);

  json tx = Result("getrawtransaction", {coinbase["txid"], true});
  EXPECT_EQ(tx["blockhash"], hashes[1]);
  EXPECT_EQ(tx["confirmations"], 2);
  EXPECT_EQ(Result("getrawtransaction", {coinbase["txid"]}), coinbase["hex"]);
  EXPECT_EQ(Result("getrawtransaction", {coinbase["txid"], true, hashes[1]})["in_active_chain"],
            true);

  EXPECT_EQ(ErrorCode("getblockheader", {std::string(64, '0')}), -5);
  Reply bad_hash = Call("getblockheader", {"abc"});
  EXPECT_EQ(bad_hash.body["error"]["code"], -8);
  EXPECT_EQ(bad_hash.body["error"]["message"], "blockhash must be of length 64 (not 3, for 'abc')");
  EXPECT_EQ(ErrorCode("getrawtransaction", {std::string(64, '1')}), -5);
  EXPECT_EQ(ErrorCode("getblockhash", {"one"}), -3);
  EXPECT_EQ(ErrorCode("generatetoaddress", {1, "not-an-address"}), -5);
}

TEST_F(SimnodeRpcTest, MempoolMethodsAndZmqOrder) {
  zmq::context_t context;
  zmq::socket_t subscriber(context, zmq::socket_type::sub);
  subscriber.set(zmq::sockopt::subscribe, "");
  subscriber.set(zmq::sockopt::rcvtimeo, 5000);
  subscriber.connect(zmq_endpoint_);
  // Let the subscription reach the publisher before anything is sent.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  json hashes = Result("generatetoaddress", {101, kAddress});
  json first_block = Result("getblock", {hashes[0], 2});
  const std::string coinbase_txid = first_block["tx"][0]["txid"];
  auto script = chain::AddressToScript(chain::BitcoinRegtest().addresses, kAddress).value();
  Bytes spend =
      BuildTransaction({{.outpoint = {chain::TxId::FromDisplayHex(coinbase_txid).value(), 0}}},
                       {{50 * kCoin - 5000, script}});
  const std::string spend_hex = ToHex(spend);

  json accept = Result("testmempoolaccept", {json::array({spend_hex})});
  EXPECT_EQ(accept[0]["allowed"], true);
  EXPECT_EQ(accept[0]["fees"]["base"], 0.00005);
  const std::string txid = Result("sendrawtransaction", {spend_hex});
  EXPECT_EQ(Result("sendrawtransaction", {spend_hex}), txid) << "resending is fine";
  EXPECT_EQ(Result("getrawmempool"), json::array({txid}));
  json with_sequence = Result("getrawmempool", {false, true});
  EXPECT_EQ(with_sequence["mempool_sequence"], 1);
  json entry = Result("getmempoolentry", {txid});
  EXPECT_EQ(entry["fees"]["base"], 0.00005);
  EXPECT_EQ(entry["vsize"], Result("getrawmempool", {true})[txid]["vsize"]);
  EXPECT_EQ(Result("getmempoolinfo")["size"], 1);
  EXPECT_EQ(ErrorCode("getrawmempool", {true, true}), -8);
  EXPECT_EQ(ErrorCode("getmempoolentry", {std::string(64, '2')}), -5);
  EXPECT_EQ(ErrorCode("sendrawtransaction", {"zz"}), -22);
  Bytes double_spend =
      BuildTransaction({{.outpoint = {chain::TxId::FromDisplayHex(coinbase_txid).value(), 0}}},
                       {{50 * kCoin - 9000, script}});
  Reply conflict = Call("sendrawtransaction", {ToHex(double_spend)});
  EXPECT_EQ(conflict.body["error"]["code"], -26);
  EXPECT_EQ(conflict.body["error"]["message"], "txn-mempool-conflict");

  // A parent and its child as a package; then one whose parent conflicts.
  const std::string second_coinbase = Result("getblock", {hashes[1], 2})["tx"][0]["txid"];
  Bytes parent =
      BuildTransaction({{.outpoint = {chain::TxId::FromDisplayHex(second_coinbase).value(), 0}}},
                       {{50 * kCoin - 5000, script}});
  const chain::TxId parent_txid = chain::ParseTransaction(parent).value().txid;
  Bytes child = BuildTransaction({{.outpoint = {parent_txid, 0}}}, {{50 * kCoin - 10000, script}});
  json package = Result("submitpackage", {json::array({ToHex(parent), ToHex(child)})});
  EXPECT_EQ(package["package_msg"], "success");
  EXPECT_EQ(package["tx-results"].size(), 2u);
  EXPECT_NE(Result("getmempoolentry", {parent_txid.ToDisplayHex()}), nullptr);
  json failed = Result("submitpackage", {json::array({ToHex(double_spend)})});
  EXPECT_EQ(failed["package_msg"], "transaction failed");
  EXPECT_EQ(failed["tx-results"].begin().value()["error"], "txn-mempool-conflict");
  EXPECT_EQ(ErrorCode("submitpackage", {"zz"}), -3);

  json fee = Result("estimatesmartfee", {6});
  EXPECT_EQ(fee["blocks"], 6);
  EXPECT_EQ(fee["feerate"], 0.00002);
  EXPECT_EQ(ErrorCode("estimatesmartfee", {0}), -8);
  EXPECT_EQ(Result("getnetworkinfo")["relayfee"], 0.00001);
  EXPECT_EQ(Result("getzmqnotifications")[0]["type"], "pubhashblock");

  json mined = Result("generatetoaddress", {1, kAddress});
  EXPECT_EQ(Result("getrawmempool"), json::array());

  // Read everything published and keep the order and per-topic sequences.
  std::vector<std::pair<std::string, std::string>> messages;  // topic, body hex
  std::map<std::string, uint32_t> expected_sequence;
  while (true) {
    std::vector<zmq::message_t> parts;
    auto received =
        zmq::recv_multipart(subscriber, std::back_inserter(parts), zmq::recv_flags::none);
    if (!received) break;
    ASSERT_EQ(parts.size(), 3u);
    std::string topic = parts[0].to_string();
    uint32_t sequence = 0;
    std::memcpy(&sequence, parts[2].data(), 4);
    EXPECT_EQ(sequence, expected_sequence[topic]++) << topic;
    const auto* body = static_cast<const uint8_t*>(parts[1].data());
    messages.emplace_back(topic, ToHex(chain::ByteSpan(body, parts[1].size())));
    if (topic == "hashblock" && messages.back().second == mined[0].get<std::string>()) break;
  }
  // 101 blocks: hashtx, rawtx, sequence C, hashblock, rawblock each.
  EXPECT_EQ(expected_sequence["hashblock"], 102u);
  // The transaction: hashtx, rawtx, then sequence 'A' with mempool sequence 1.
  auto added =
      std::find(messages.begin(), messages.end(), std::make_pair(std::string("rawtx"), spend_hex));
  ASSERT_NE(added, messages.end());
  ASSERT_EQ((added + 1)->first, "sequence");
  EXPECT_EQ((added + 1)->second, txid + "41" + "0100000000000000");
  // The last block: its transactions, 'C', then hashblock.
  EXPECT_EQ(messages.back().first, "hashblock");
  EXPECT_EQ((messages.end() - 2)->first, "sequence");
  EXPECT_EQ((messages.end() - 2)->second, mined[0].get<std::string>() + "43");
}

TEST_F(SimnodeRpcTest, MempoolChainsReportAncestorsAndDescendants) {
  json hashes = Result("generatetoaddress", {101, kAddress});
  const std::string coinbase = Result("getblock", {hashes[0], 1})["tx"][0];
  auto script = chain::AddressToScript(chain::BitcoinRegtest().addresses, kAddress).value();
  Bytes parent =
      BuildTransaction({{.outpoint = {chain::TxId::FromDisplayHex(coinbase).value(), 0}}},
                       {{50 * kCoin - 1000, script}});
  const std::string parent_id = Result("sendrawtransaction", {ToHex(parent)});
  Bytes child =
      BuildTransaction({{.outpoint = {chain::TxId::FromDisplayHex(parent_id).value(), 0}}},
                       {{50 * kCoin - 3000, script}});
  const std::string child_id = Result("sendrawtransaction", {ToHex(child)});

  json child_entry = Result("getmempoolentry", {child_id});
  EXPECT_EQ(child_entry["depends"], json::array({parent_id}));
  EXPECT_EQ(child_entry["ancestorcount"], 2);
  EXPECT_EQ(child_entry["fees"]["ancestor"], 0.00003);
  json parent_entry = Result("getmempoolentry", {parent_id});
  EXPECT_EQ(parent_entry["spentby"], json::array({child_id}));
  EXPECT_EQ(parent_entry["descendantcount"], 2);
  EXPECT_EQ(Result("getrawmempool"), json::array({parent_id, child_id}));

  Result("generatetoaddress", {1, kAddress});
  EXPECT_EQ(Result("getrawmempool"), json::array());
  EXPECT_EQ(Result("getrawtransaction", {child_id, true})["confirmations"], 1);
}

TEST_F(SimnodeRpcTest, ReorgMethods) {
  json hashes = Result("generatetoaddress", {5, kAddress});
  EXPECT_TRUE(Result("invalidateblock", {hashes[3]}).is_null());
  EXPECT_EQ(Result("getblockcount"), 3);
  EXPECT_EQ(Result("getblockheader", {hashes[4]})["confirmations"], -1);
  EXPECT_TRUE(Result("reconsiderblock", {hashes[3]}).is_null());
  EXPECT_EQ(Result("getbestblockhash"), hashes[4]);

  json reorg = Result("simreorg", {2});
  EXPECT_EQ(reorg["fork_height"], 3);
  EXPECT_EQ(reorg["height"], 6);
  EXPECT_NE(Result("getblockhash", {4}), hashes[3]);
  EXPECT_EQ(Result("getblockhash", {3}), hashes[2]);
}

TEST_F(SimnodeRpcTest, RemainingMethodsHaveCoreFields) {
  auto has_keys = [](const json& object, std::initializer_list<const char*> keys) {
    for (const char* key : keys) EXPECT_TRUE(object.contains(key)) << key << " in " << object;
  };
  json network = Result("getnetworkinfo");
  has_keys(network, {"version", "subversion", "protocolversion", "localservices", "localrelay",
                     "timeoffset", "networkactive", "connections", "networks", "relayfee",
                     "incrementalfee", "localaddresses", "warnings"});
  EXPECT_TRUE(network["version"].is_number_integer());
  EXPECT_TRUE(network["relayfee"].is_number());
  json mempool = Result("getmempoolinfo");
  has_keys(mempool, {"loaded", "size", "bytes", "usage", "total_fee", "maxmempool", "mempoolminfee",
                     "minrelaytxfee", "incrementalrelayfee", "unbroadcastcount", "fullrbf"});
  EXPECT_TRUE(Result("uptime").is_number_integer());
  json notifications = Result("getzmqnotifications");
  ASSERT_TRUE(notifications.is_array());
  has_keys(notifications[0], {"type", "address", "hwm"});
  json no_estimate = Result("estimatesmartfee", {2, "economical"});
  EXPECT_TRUE(no_estimate["feerate"].is_number());
  EXPECT_EQ(ErrorCode("estimatesmartfee", {2, "fast"}), -8);
  EXPECT_EQ(ErrorCode("getblockcount", {1}), -1) << "too many parameters";
  EXPECT_EQ(Result("stop"), "Bitcoin Core stopping");
}

TEST_F(SimnodeRpcTest, WarmupAnswersMinus28) {
  server_->SetWarmingUp(true);
  Reply reply = Call("getblockcount");
  EXPECT_EQ(reply.body["error"]["code"], -28);
  server_->SetWarmingUp(false);
  EXPECT_EQ(Result("getblockcount"), 0);
}

}  // namespace
}  // namespace electrum::simnode
