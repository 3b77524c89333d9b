// Batched calls (GetBalances, GetHistories, ListUnspents, GetStatuses) and concurrent
// cold single calls, which share statements: each script hash still gets
// its own answer.
#include <array>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/history/history_service.h"
#include "services/history/history_service_fixture.h"

namespace electrum::history {
namespace {

using pgtest::Bytes;
using pgtest::Expected;
using pgtest::HistoryServicePgTest;

// GetBalances answers many script hashes in order (cached or not), and cold
// GetBalance calls arriving together share statements yet each get their own.
TEST_F(HistoryServicePgTest, BatchedAndCoalescedBalancesAreEachRight) {
  std::map<chain::ScriptHash, Expected> expected = ComputeExpected();
  std::vector<std::pair<chain::ScriptHash, uint64_t>> wanted;
  for (const auto& [scripthash, want] : expected) wanted.push_back({scripthash, want.balance});
  wanted.push_back({chain::ScriptHash(std::array<uint8_t, 32>{7}), 0});  // never used
  EXPECT_EQ(ConcurrentCallsWrong(wanted.size(),
                                 [&](size_t i) {
                                   const auto& [scripthash, balance] = wanted[i];
                                   grpc::ClientContext context;
                                   v1::GetBalanceRequest request;
                                   request.set_script_hash(Bytes(scripthash.internal()));
                                   v1::GetBalanceResponse response;
                                   return stub_->GetBalance(&context, request, &response).ok() &&
                                          response.confirmed() == balance &&
                                          response.unconfirmed() == 0;
                                 }),
            0);

  for (int pass = 0; pass < 2; ++pass) {  // the second pass is all cached
    grpc::ClientContext context;
    v1::GetBalancesRequest request;
    for (const auto& [scripthash, balance] : wanted) {
      request.add_script_hashes(Bytes(scripthash.internal()));
    }
    v1::GetBalancesResponse response;
    ASSERT_TRUE(stub_->GetBalances(&context, request, &response).ok());
    ASSERT_EQ(response.balances_size(), static_cast<int>(wanted.size()));
    for (size_t i = 0; i < wanted.size(); ++i) {
      EXPECT_EQ(response.balances(i).confirmed(), wanted[i].second) << i;
    }
  }
  grpc::ClientContext too_many_context;
  v1::GetBalancesRequest too_many;
  for (int i = 0; i < 1001; ++i) too_many.add_script_hashes(std::string(32, '\x01'));
  v1::GetBalancesResponse ignored;
  EXPECT_EQ(stub_->GetBalances(&too_many_context, too_many, &ignored).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  grpc::ClientContext bad_context;
  v1::GetBalancesRequest bad;
  bad.add_script_hashes(std::string(32, '\x01'));
  bad.add_script_hashes("short");
  EXPECT_EQ(stub_->GetBalances(&bad_context, bad, &ignored).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

// Cold GetHistory calls arriving together share statements as well.
TEST_F(HistoryServicePgTest, ConcurrentColdHistoriesAreEachRight) {
  std::map<chain::ScriptHash, Expected> expected = ComputeExpected();
  std::vector<std::pair<chain::ScriptHash, std::string>> wanted;
  for (const auto& [scripthash, want] : expected) {
    std::string txids;
    for (const auto& entry : want.history) txids += Bytes(entry.txid.internal());
    wanted.push_back({scripthash, txids});
  }
  EXPECT_EQ(ConcurrentCallsWrong(wanted.size(),
                                 [&](size_t i) {
                                   const auto& [scripthash, txids] = wanted[i];
                                   grpc::ClientContext context;
                                   v1::GetHistoryRequest request;
                                   request.set_script_hash(Bytes(scripthash.internal()));
                                   v1::GetHistoryResponse response;
                                   return stub_->GetHistory(&context, request, &response).ok() &&
                                          response.txids() == txids;
                                 }),
            0);
}

// And cold ListUnspent calls.
TEST_F(HistoryServicePgTest, ConcurrentColdUnspentListsAreEachRight) {
  std::map<chain::ScriptHash, Expected> expected = ComputeExpected();
  std::vector<std::pair<chain::ScriptHash, std::set<std::pair<std::string, uint32_t>>>> wanted;
  for (const auto& [scripthash, want] : expected) wanted.push_back({scripthash, want.unspent});
  EXPECT_EQ(ConcurrentCallsWrong(wanted.size(),
                                 [&](size_t i) {
                                   const auto& [scripthash, unspent] = wanted[i];
                                   grpc::ClientContext context;
                                   v1::ListUnspentRequest request;
                                   request.set_script_hash(Bytes(scripthash.internal()));
                                   v1::ListUnspentResponse response;
                                   if (!stub_->ListUnspent(&context, request, &response).ok()) {
                                     return false;
                                   }
                                   std::set<std::pair<std::string, uint32_t>> got;
                                   for (const auto& output : response.outputs()) {
                                     got.insert({output.txid(), output.vout()});
                                   }
                                   return got == unspent &&
                                          static_cast<size_t>(response.outputs_size()) ==
                                              unspent.size();
                                 }),
            0);
}

// GetHistories and ListUnspents answer each script hash as its single call
// does, cold and cached; a history past max_entries fails alone.
TEST_F(HistoryServicePgTest, BatchedHistoriesAndUnspentListsAreEachRight) {
  std::map<chain::ScriptHash, Expected> expected = ComputeExpected();
  std::vector<chain::ScriptHash> wanted;
  for (const auto& [scripthash, want] : expected) wanted.push_back(scripthash);
  wanted.push_back(chain::ScriptHash(std::array<uint8_t, 32>{7}));  // never used
  size_t longest = 0;
  for (const auto& [scripthash, want] : expected) longest = std::max(longest, want.history.size());
  ASSERT_GT(longest, 1u);
  for (int pass = 0; pass < 2; ++pass) {  // the second pass is all cached
    grpc::ClientContext history_context;
    v1::GetHistoriesRequest histories;
    histories.set_max_entries(static_cast<uint32_t>(longest - 1));
    grpc::ClientContext unspent_context;
    v1::ListUnspentsRequest unspents;
    for (const chain::ScriptHash& scripthash : wanted) {
      histories.add_script_hashes(Bytes(scripthash.internal()));
      unspents.add_script_hashes(Bytes(scripthash.internal()));
    }
    v1::GetHistoriesResponse history_response;
    ASSERT_TRUE(stub_->GetHistories(&history_context, histories, &history_response).ok());
    v1::ListUnspentsResponse unspent_response;
    ASSERT_TRUE(stub_->ListUnspents(&unspent_context, unspents, &unspent_response).ok());
    ASSERT_EQ(history_response.results_size(), static_cast<int>(wanted.size()));
    ASSERT_EQ(unspent_response.results_size(), static_cast<int>(wanted.size()));
    EXPECT_TRUE(unspent_response.errors().empty());
    for (size_t i = 0; i < wanted.size(); ++i) {
      const Expected& want = expected[wanted[i]];  // empty for the unused one
      std::string txids;
      for (const auto& entry : want.history) txids += Bytes(entry.txid.internal());
      const auto error = history_response.errors().find(static_cast<uint32_t>(i));
      if (want.history.size() == longest) {
        ASSERT_NE(error, history_response.errors().end()) << i;
        EXPECT_EQ(error->second.code(), static_cast<int>(grpc::StatusCode::RESOURCE_EXHAUSTED));
        EXPECT_TRUE(history_response.results(i).txids().empty());
      } else {
        EXPECT_EQ(error, history_response.errors().end()) << i;
        EXPECT_EQ(history_response.results(i).txids(), txids) << i;
      }
      std::set<std::pair<std::string, uint32_t>> got;
      for (const auto& output : unspent_response.results(i).outputs()) {
        got.insert({output.txid(), output.vout()});
      }
      EXPECT_EQ(got, want.unspent) << i;
    }
  }
  grpc::ClientContext bad_context;
  v1::ListUnspentsRequest bad;
  bad.add_script_hashes("short");
  v1::ListUnspentsResponse ignored;
  EXPECT_EQ(stub_->ListUnspents(&bad_context, bad, &ignored).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

// A service that hashes histories of at most 3 entries.
class SmallLimitPgTest : public HistoryServicePgTest {
 protected:
  HistoryServiceOptions Options() override {
    HistoryServiceOptions options = HistoryServicePgTest::Options();
    options.max_history_entries = 3;
    return options;
  }
};

// GetStatuses answers in order, cold then cached; a history past the limit
// is that script hash's own error, and the rest of the call stands.
TEST_F(SmallLimitPgTest, BatchedStatusesAreEachRight) {
  std::map<chain::ScriptHash, Expected> expected = ComputeExpected();
  std::vector<chain::ScriptHash> wanted;
  size_t too_large = 0;
  for (const auto& [scripthash, want] : expected) {
    wanted.push_back(scripthash);
    if (want.history.size() > 3) ++too_large;
  }
  wanted.push_back(chain::ScriptHash(std::array<uint8_t, 32>{7}));  // never used
  ASSERT_GT(too_large, 0u);
  ASSERT_LT(too_large, expected.size());
  for (int pass = 0; pass < 2; ++pass) {  // the second pass is all cached
    grpc::ClientContext context;
    v1::GetStatusesRequest request;
    for (const chain::ScriptHash& scripthash : wanted) {
      request.add_script_hashes(Bytes(scripthash.internal()));
    }
    v1::GetStatusesResponse response;
    ASSERT_TRUE(stub_->GetStatuses(&context, request, &response).ok());
    ASSERT_EQ(response.statuses_size(), static_cast<int>(wanted.size()));
    EXPECT_EQ(response.errors_size(), static_cast<int>(too_large));
    for (size_t i = 0; i < wanted.size(); ++i) {
      const Expected& want = expected[wanted[i]];  // empty for the unused one
      EXPECT_EQ(response.statuses(i).script_hash(), Bytes(wanted[i].internal())) << i;
      const auto error = response.errors().find(static_cast<uint32_t>(i));
      if (want.history.size() > 3) {
        ASSERT_NE(error, response.errors().end()) << i;
        EXPECT_EQ(error->second.code(), static_cast<int>(grpc::StatusCode::RESOURCE_EXHAUSTED));
        EXPECT_TRUE(response.statuses(i).status().empty()) << i;
        continue;
      }
      EXPECT_EQ(error, response.errors().end()) << i;
      const std::optional<Sha256Digest> status = chain::AddressStatus(want.history);
      EXPECT_EQ(response.statuses(i).status(), status ? Bytes(*status) : "") << i;
    }
  }
  grpc::ClientContext bad_context;
  v1::GetStatusesRequest bad;
  bad.add_script_hashes("short");
  v1::GetStatusesResponse ignored;
  EXPECT_EQ(stub_->GetStatuses(&bad_context, bad, &ignored).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace electrum::history
