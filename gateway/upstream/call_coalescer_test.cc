#include "gateway/upstream/call_coalescer.h"

#include <deque>
#include <map>

#include "boost/asio/co_spawn.hpp"
#include "boost/asio/detached.hpp"
#include "boost/asio/io_context.hpp"
#include "gtest/gtest.h"

namespace electrum::gateway {
namespace {

using namespace std::chrono_literals;
using Coalescer = CallCoalescer<std::string>;

// Records each batched call; the test answers them when it chooses.
struct FakeUpstream {
  // Deques: answering a call sends the next one, which must not move this one.
  std::deque<std::vector<std::string>> sent;
  std::deque<Coalescer::Answer> answers;

  Coalescer::Send AsSend() {
    return
        [this](std::vector<std::string> keys, std::chrono::milliseconds, Coalescer::Answer answer) {
          sent.push_back(std::move(keys));
          answers.push_back(std::move(answer));
        };
  }

  // Answers call `index` with "value of <key>" for each key.
  void AnswerEach(size_t index) {
    Coalescer::Values values;
    for (const std::string& key : sent[index]) values.push_back("value of " + key);
    answers[index](std::move(values));
  }
};

// Starts Get(key) on `io`, storing its answer in `answers[key]`.
void StartGet(boost::asio::io_context& io, Coalescer& coalescer, const std::string& key,
              std::map<std::string, absl::StatusOr<std::string>>& answers) {
  boost::asio::co_spawn(
      io,
      [&coalescer, &answers, key]() -> boost::asio::awaitable<void> {
        absl::StatusOr<std::string> value = co_await coalescer.Get(key, 1000ms);
        answers.emplace(key, std::move(value));
      },
      boost::asio::detached);
}

TEST(CallCoalescerTest, AloneARequestGoesAtOnceByItself) {
  boost::asio::io_context io;
  FakeUpstream upstream;
  Coalescer coalescer({.max_in_flight = 1, .max_batch = 10}, upstream.AsSend());
  std::map<std::string, absl::StatusOr<std::string>> answers;
  StartGet(io, coalescer, "a", answers);
  io.poll();
  ASSERT_EQ(upstream.sent.size(), 1u);
  EXPECT_EQ(upstream.sent[0], std::vector<std::string>{"a"});
  upstream.AnswerEach(0);
  io.restart();
  io.poll();
  ASSERT_TRUE(answers.count("a"));
  EXPECT_EQ(*answers.at("a"), "value of a");
}

TEST(CallCoalescerTest, RequestsQueuedBehindAFullPipeGoAsOneBatchAndGetTheirOwnValues) {
  boost::asio::io_context io;
  FakeUpstream upstream;
  Coalescer coalescer({.max_in_flight = 1, .max_batch = 3}, upstream.AsSend());
  std::map<std::string, absl::StatusOr<std::string>> answers;
  for (const char* key : {"a", "b", "c", "d", "e", "f"}) StartGet(io, coalescer, key, answers);
  io.poll();
  ASSERT_EQ(upstream.sent.size(), 1u);  // "a" alone; the rest wait for it
  upstream.AnswerEach(0);
  ASSERT_EQ(upstream.sent.size(), 2u);
  EXPECT_EQ(upstream.sent[1], (std::vector<std::string>{"b", "c", "d"}));  // max_batch
  upstream.AnswerEach(1);
  ASSERT_EQ(upstream.sent.size(), 3u);
  EXPECT_EQ(upstream.sent[2], (std::vector<std::string>{"e", "f"}));
  upstream.AnswerEach(2);
  io.restart();
  io.poll();
  ASSERT_EQ(answers.size(), 6u);
  for (const auto& [key, value] : answers) EXPECT_EQ(*value, "value of " + key);
}

TEST(CallCoalescerTest, ErrorsReachTheirOwnRequestsOrTheWholeBatch) {
  boost::asio::io_context io;
  FakeUpstream upstream;
  Coalescer coalescer({.max_in_flight = 1, .max_batch = 10}, upstream.AsSend());
  std::map<std::string, absl::StatusOr<std::string>> answers;
  for (const char* key : {"a", "b", "c", "d", "e"}) StartGet(io, coalescer, key, answers);
  io.poll();
  upstream.answers[0](absl::UnavailableError("down"));  // "a" alone
  ASSERT_EQ(upstream.sent.size(), 2u);
  Coalescer::Values values{"one", absl::ResourceExhaustedError("too large"), "three"};
  upstream.answers[1](std::move(values));  // b, c, d, e: a wrong count
  io.restart();
  io.poll();
  EXPECT_EQ(answers.at("a").status().code(), absl::StatusCode::kUnavailable);
  for (const char* key : {"b", "c", "d", "e"}) {
    EXPECT_EQ(answers.at(key).status().code(), absl::StatusCode::kInternal) << key;
  }
  StartGet(io, coalescer, "f", answers);
  StartGet(io, coalescer, "g", answers);
  io.restart();
  io.poll();
  ASSERT_EQ(upstream.sent.size(), 3u);  // "f"; "g" waits for it
  upstream.answers[2](Coalescer::Values{absl::ResourceExhaustedError("too large")});  // "f"
  ASSERT_EQ(upstream.sent.size(), 4u);
  upstream.answers[3](Coalescer::Values{"seven"});  // "g"
  io.restart();
  io.poll();
  EXPECT_EQ(answers.at("f").status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(*answers.at("g"), "seven");
}

}  // namespace
}  // namespace electrum::gateway
