// GetBalance and ListUnspent: values through their caches; what is not
// cached is read in one statement per batch, and concurrent calls share
// batches (AsyncBatcher), so under load one round trip to PostgreSQL serves
// many callers.
#include "absl/strings/str_cat.h"
#include "common/grpc/status_conversion.h"
#include "common/status/status_macros.h"
#include "pqxx/pqxx"
#include "services/common/unary_reactor.h"
#include "services/history/history_service.h"
#include "services/history/request_parsing.h"
#include "services/history/response_filling.h"
#include "storage/address_index/address_queries.h"
#include "storage/pg/pooled_session.h"

namespace electrum::history {

absl::StatusOr<std::vector<Balance>> HistoryServiceImpl::BalancesOf(
    std::optional<int64_t> milliseconds_left, const std::vector<chain::ScriptHash>& scripthashes) {
  const uint64_t observed = balances_.Observe();
  std::vector<Balance> balances;
  RETURN_IF_ERROR(storage::WithPooledStatements(
      database_, milliseconds_left, "reading balances", [&](pqxx::transaction_base& session) {
        ASSIGN_OR_RETURN(balances, storage::ReadBalances(session, scripthashes));
        return absl::OkStatus();
      }));
  for (size_t i = 0; i < scripthashes.size() && i < balances.size(); ++i) {
    balances_.Store(scripthashes[i], balances[i], observed);
  }
  return balances;
}

void HistoryServiceImpl::BalanceFor(const chain::ScriptHash& scripthash,
                                    std::chrono::system_clock::time_point deadline,
                                    BalanceDone done) {
  if (std::optional<Balance> cached = balances_.Find(scripthash)) return done(*cached);
  balance_batcher_.Get(scripthash, deadline, std::move(done));
}

void HistoryServiceImpl::UnspentFor(const chain::ScriptHash& scripthash,
                                    std::chrono::system_clock::time_point deadline,
                                    UnspentDone done) {
  if (std::optional<SharedUnspent> cached = unspents_.Find(scripthash)) return done(*cached);
  unspent_batcher_.Get(scripthash, deadline,
                       [this, done = std::move(done)](absl::StatusOr<UnspentRead> read) {
                         if (!read.ok()) return done(read.status());
                         if (read->too_large) return done(TooLarge());
                         done(std::move(read->value));
                       });
}

grpc::ServerUnaryReactor* HistoryServiceImpl::GetBalance(grpc::CallbackServerContext* context,
                                                         const v1::GetBalanceRequest* request,
                                                         v1::GetBalanceResponse* response) {
  auto scripthash = ParseScriptHash(request->script_hash());
  if (!scripthash.ok()) return services::FinishNow(context, scripthash.status());
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  BalanceFor(*scripthash, context->deadline(),
             [reactor, response](absl::StatusOr<Balance> balance) {
               if (!balance.ok()) return reactor->Finish(ToGrpcStatus(balance.status()));
               FillBalance(*balance, response);
               reactor->Finish(grpc::Status::OK);
             });
  return reactor;
}

absl::StatusOr<std::vector<HistoryServiceImpl::UnspentRead>>
HistoryServiceImpl::ReadUnspentsInOrder(std::optional<int64_t> milliseconds_left,
                                        const std::vector<chain::ScriptHash>& scripthashes) {
  const uint64_t observed = unspents_.Observe();
  std::vector<UnspentRead> reads(scripthashes.size());
  RETURN_IF_ERROR(storage::WithPooledStatements(
      database_, milliseconds_left, "listing unspent outputs",
      [&](pqxx::transaction_base& session) {
        ASSIGN_OR_RETURN(
            auto lists, storage::ReadUnspents(session, scripthashes, options_.max_history_entries));
        for (size_t i = 0; i < scripthashes.size(); ++i) {
          if (lists[i].status().code() == absl::StatusCode::kResourceExhausted) {
            reads[i].too_large = true;
            continue;
          }
          if (!lists[i].ok()) return lists[i].status();
          reads[i].value = std::make_shared<const std::vector<Unspent>>(std::move(*lists[i]));
          unspents_.Store(scripthashes[i], reads[i].value, observed,
                          sizeof(Unspent) * reads[i].value->size() + 64);
        }
        return absl::OkStatus();
      }));
  return reads;
}

grpc::ServerUnaryReactor* HistoryServiceImpl::ListUnspent(grpc::CallbackServerContext* context,
                                                          const v1::ListUnspentRequest* request,
                                                          v1::ListUnspentResponse* response) {
  auto scripthash = ParseScriptHash(request->script_hash());
  if (!scripthash.ok()) return services::FinishNow(context, scripthash.status());
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  UnspentFor(*scripthash, context->deadline(),
             [reactor, response](absl::StatusOr<SharedUnspent> list) {
               reactor->Finish(FillUnspent(list, response));
             });
  return reactor;
}

}  // namespace electrum::history
