#include "gateway/upstream/address_batches.h"

#include <atomic>
#include <map>
#include <thread>

#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/io_context.hpp"
#include "grpc/grpc.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

namespace electrum::gateway {
namespace {

using namespace std::chrono_literals;

// A history service whose batched calls answer as configured and whose
// single GetHistory answers a one-entry history naming its script hash.
class FakeHistoryService final : public v1::AddressHistoryService::Service {
 public:
  grpc::Status batch_outcome = grpc::Status::OK;
  std::atomic<int> batched_calls{0};
  std::atomic<int> single_calls{0};
  std::atomic<uint32_t> single_max_entries{0};

  grpc::Status GetHistories(grpc::ServerContext*, const v1::GetHistoriesRequest* request,
                            v1::GetHistoriesResponse* response) override {
    // Slow enough that every other key queues behind the first call.
    if (++batched_calls == 1) std::this_thread::sleep_for(50ms);
    if (!batch_outcome.ok()) return batch_outcome;
    for (int i = 0; i < request->script_hashes_size(); ++i) {
      if (request->script_hashes(i) == "large") {
        response->add_results();
        v1::BatchError& error = (*response->mutable_errors())[i];
        error.set_code(static_cast<int>(grpc::StatusCode::RESOURCE_EXHAUSTED));
        error.set_message("history too large");
      } else {
        response->add_results()->set_txids(request->script_hashes(i));
      }
    }
    return grpc::Status::OK;
  }

  // Statuses name their script hash; "large" is too large to hash.
  grpc::Status GetStatuses(grpc::ServerContext*, const v1::GetStatusesRequest* request,
                           v1::GetStatusesResponse* response) override {
    if (++batched_calls == 1) std::this_thread::sleep_for(50ms);
    for (int i = 0; i < request->script_hashes_size(); ++i) {
      v1::ScriptHashStatus* status = response->add_statuses();
      status->set_script_hash(request->script_hashes(i));
      if (request->script_hashes(i) == "large") {
        v1::BatchError& error = (*response->mutable_errors())[i];
        error.set_code(static_cast<int>(grpc::StatusCode::RESOURCE_EXHAUSTED));
        error.set_message("history too large");
      } else {
        status->set_status("status of " + request->script_hashes(i));
      }
    }
    return grpc::Status::OK;
  }

  grpc::Status GetHistory(grpc::ServerContext*, const v1::GetHistoryRequest* request,
                          v1::GetHistoryResponse* response) override {
    ++single_calls;
    single_max_entries = request->max_entries();
    response->set_txids("alone " + request->script_hash());
    return grpc::Status::OK;
  }
};

class AddressBatchesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // gRPC shuts its library down when the last channel and server go,
    // and a client callback can still be returning on gRPC's thread just
    // after its answer reached the test (seen under CI load as a failed
    // ref-count assertion). Held once for the whole test binary.
    static const bool grpc_held = [] {
      grpc_init();
      return true;
    }();
    (void)grpc_held;
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(port, 0);
    stub_ = v1::AddressHistoryService::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override { server_->Shutdown(); }

  // Asks for every key at once (one coalesced call while max_in_flight is
  // 1 and the first is out) and returns the answers by key.
  std::map<std::string, absl::StatusOr<v1::GetHistoryResponse>> AskAll(
      AddressBatches& batches, const std::vector<std::string>& keys) {
    boost::asio::io_context io;
    std::map<std::string, absl::StatusOr<v1::GetHistoryResponse>> answers;
    for (const std::string& key : keys) {
      boost::asio::co_spawn(
          io,
          [&, key]() -> boost::asio::awaitable<void> {
            absl::StatusOr<v1::GetHistoryResponse> answer =
                co_await batches.histories().Get(key, 5000ms);
            answers.emplace(key, std::move(answer));
          },
          boost::asio::detached);
    }
    io.run();
    return answers;
  }

  FakeHistoryService service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::AddressHistoryService::Stub> stub_;
};

TEST_F(AddressBatchesTest, EachKeyGetsItsOwnResultOrItsOwnError) {
  AddressBatches batches(stub_.get(), {.max_in_flight = 1, .max_batch = 10}, 1000);
  auto answers = AskAll(batches, {"a", "large", "b", "c"});
  ASSERT_EQ(answers.size(), 4u);
  EXPECT_EQ(answers.at("a")->txids(), "a");
  EXPECT_EQ(answers.at("b")->txids(), "b");
  EXPECT_EQ(answers.at("c")->txids(), "c");
  EXPECT_EQ(answers.at("large").status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(service_.single_calls.load(), 0);
  EXPECT_EQ(service_.batched_calls.load(), 2);  // "a", then the rest together
}

TEST_F(AddressBatchesTest, ABatchTooLargeAsAWholeIsAskedAgainAKeyAtATime) {
  service_.batch_outcome = grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "message too large");
  AddressBatches batches(stub_.get(), {.max_in_flight = 1, .max_batch = 10}, 1234);
  auto answers = AskAll(batches, {"a", "b", "c"});
  ASSERT_EQ(answers.size(), 3u);
  ASSERT_EQ(service_.batched_calls.load(), 2);
  // "a" went alone (its failure is its own); "b" and "c" shared a call that
  // failed as a whole and were each asked again.
  EXPECT_EQ(answers.at("a").status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(answers.at("b")->txids(), "alone b");
  EXPECT_EQ(answers.at("c")->txids(), "alone c");
  EXPECT_EQ(service_.single_calls.load(), 2);
  EXPECT_EQ(service_.single_max_entries.load(), 1234u);
}

TEST_F(AddressBatchesTest, OtherFailuresReachEveryKeyOfTheBatch) {
  service_.batch_outcome = grpc::Status(grpc::StatusCode::UNAVAILABLE, "down");
  AddressBatches batches(stub_.get(), {.max_in_flight = 1, .max_batch = 10}, 1000);
  auto answers = AskAll(batches, {"a", "b", "c"});
  for (const char* key : {"a", "b", "c"}) {
    EXPECT_EQ(answers.at(key).status().code(), absl::StatusCode::kUnavailable) << key;
  }
  EXPECT_EQ(service_.single_calls.load(), 0);
}

TEST_F(AddressBatchesTest, StatusesAreCoalescedAndEachGetsItsOwn) {
  AddressBatches batches(stub_.get(), {.max_in_flight = 1, .max_batch = 10}, 1000);
  boost::asio::io_context io;
  std::map<std::string, absl::StatusOr<v1::GetStatusResponse>> answers;
  for (const std::string key : {"a", "large", "b", "c"}) {
    boost::asio::co_spawn(
        io,
        [&, key]() -> boost::asio::awaitable<void> {
          absl::StatusOr<v1::GetStatusResponse> answer =
              co_await batches.statuses().Get(key, 5000ms);
          answers.emplace(key, std::move(answer));
        },
        boost::asio::detached);
  }
  io.run();
  ASSERT_EQ(answers.size(), 4u);
  for (const char* key : {"a", "b", "c"}) {
    ASSERT_TRUE(answers.at(key).ok()) << key;
    EXPECT_EQ(answers.at(key)->status().script_hash(), key);
    EXPECT_EQ(answers.at(key)->status().status(), std::string("status of ") + key);
  }
  EXPECT_EQ(answers.at("large").status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(service_.batched_calls.load(), 2);  // "a", then the rest together
}

}  // namespace
}  // namespace electrum::gateway
