#include "gateway/upstream/unary_call.h"

#include <thread>

#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/io_context.hpp"
#include "electrum/v1/history.pb.h"
#include "gtest/gtest.h"

namespace electrum::gateway {
namespace {

using namespace std::chrono_literals;

// Completes like gRPC's callback API: later, on another thread.
void CompleteElsewhere(grpc::ClientContext*, const v1::GetStatusRequest* request,
                       v1::GetStatusResponse* response, std::function<void(grpc::Status)> done,
                       grpc::Status outcome) {
  std::thread([=] {
    std::this_thread::sleep_for(5ms);
    response->mutable_status()->set_script_hash(request->script_hash());
    response->mutable_status()->set_status(std::string(32, 's'));
    done(outcome);
  }).detach();
}

TEST(UnaryCallTest, ResumesOnTheCallersExecutorWithTheResponse) {
  boost::asio::io_context io;
  absl::StatusOr<v1::GetStatusResponse> answer;
  std::thread::id resumed_on;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        v1::GetStatusRequest request;
        request.set_script_hash("abc");
        auto start = [](auto* context, auto* in, auto* out,
                        std::function<void(grpc::Status)> done) {
          CompleteElsewhere(context, in, out, std::move(done), grpc::Status::OK);
        };
        answer = co_await UnaryCall<v1::GetStatusResponse>(start, request, 1000ms);
        resumed_on = std::this_thread::get_id();
      },
      boost::asio::detached);
  io.run();
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status().script_hash(), "abc");
  EXPECT_EQ(answer->status().status(), std::string(32, 's'));
  EXPECT_EQ(resumed_on, std::this_thread::get_id());
}

TEST(UnaryCallTest, ManyCallsInARowEachResumeOnce) {
  boost::asio::io_context io;
  int completed = 0;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        for (int i = 0; i < 50; ++i) {
          v1::GetStatusRequest request;
          request.set_script_hash(std::to_string(i));
          auto start = [](auto* context, auto* in, auto* out,
                          std::function<void(grpc::Status)> done) {
            CompleteElsewhere(context, in, out, std::move(done), grpc::Status::OK);
          };
          absl::StatusOr<v1::GetStatusResponse> answer =
              co_await UnaryCall<v1::GetStatusResponse>(start, request, 1000ms);
          if (answer.ok() && answer->status().script_hash() == std::to_string(i)) ++completed;
        }
      },
      boost::asio::detached);
  io.run();
  EXPECT_EQ(completed, 50);
}

TEST(UnaryCallTest, FailuresBecomeAbslStatuses) {
  boost::asio::io_context io;
  absl::StatusOr<v1::GetStatusResponse> answer;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        auto start = [](auto* context, auto* in, auto* out,
                        std::function<void(grpc::Status)> done) {
          CompleteElsewhere(context, in, out, std::move(done),
                            grpc::Status(grpc::StatusCode::UNAVAILABLE, "down"));
        };
        const v1::GetStatusRequest request;
        answer = co_await UnaryCall<v1::GetStatusResponse>(start, request, 1000ms);
      },
      boost::asio::detached);
  io.run();
  EXPECT_EQ(answer.status(), absl::UnavailableError("down"));
}

}  // namespace
}  // namespace electrum::gateway
