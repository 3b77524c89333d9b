// GetBalance, GetBalances and ListUnspent: values through their caches;
// what is not cached is read in one statement per batch, and concurrent
// single calls share batches (AsyncBatcher), so under load one round trip
// to PostgreSQL serves many callers.
#include "absl/strings/str_cat.h"
#include "common/grpc/status_conversion.h"
#include "common/status/status_macros.h"
#include "pqxx/pqxx"
#include "services/common/deadline.h"
#include "services/common/unary_reactor.h"
#include "services/history/history_service.h"
#include "services/history/request_parsing.h"
#include "storage/address_index/address_queries.h"
#include "storage/pg/pooled_session.h"

namespace electrum::history {
namespace {

void Fill(const Balance& balance, v1::GetBalanceResponse* out) {
  out->set_confirmed(balance.confirmed);
  out->set_unconfirmed(balance.unconfirmed);
}

}  // namespace

absl::StatusOr<std::vector<Balance>> HistoryServiceImpl::BalancesOf(
    std::optional<int64_t> milliseconds_left, const std::vector<chain::ScriptHash>& scripthashes) {
  std::vector<Balance> balances(scripthashes.size());
  std::vector<chain::ScriptHash> missing;
  std::vector<size_t> missing_at;
  for (size_t i = 0; i < scripthashes.size(); ++i) {
    if (std::optional<Balance> cached = balances_.Find(scripthashes[i])) {
      balances[i] = *cached;
    } else {
      missing.push_back(scripthashes[i]);
      missing_at.push_back(i);
    }
  }
  if (missing.empty()) return balances;
  const uint64_t observed = balances_.Observe();
  std::vector<Balance> read;
  RETURN_IF_ERROR(storage::WithPooledStatements(
      database_, milliseconds_left, "reading balances", [&](pqxx::transaction_base& session) {
        ASSIGN_OR_RETURN(read, storage::ReadBalances(session, missing));
        return absl::OkStatus();
      }));
  for (size_t j = 0; j < missing.size(); ++j) {
    balances[missing_at[j]] = read[j];
    balances_.Store(missing[j], read[j], observed);
  }
  return balances;
}

grpc::ServerUnaryReactor* HistoryServiceImpl::GetBalance(grpc::CallbackServerContext* context,
                                                         const v1::GetBalanceRequest* request,
                                                         v1::GetBalanceResponse* response) {
  auto scripthash = ParseScriptHash(request->script_hash());
  if (!scripthash.ok()) return services::FinishNow(context, scripthash.status());
  if (std::optional<Balance> cached = balances_.Find(*scripthash)) {
    Fill(*cached, response);
    return services::FinishNow(context, grpc::Status::OK);
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  balance_batcher_.Get(*scripthash, context->deadline(),
                       [reactor, response](absl::StatusOr<Balance> balance) {
                         if (!balance.ok()) return reactor->Finish(ToGrpcStatus(balance.status()));
                         Fill(*balance, response);
                         reactor->Finish(grpc::Status::OK);
                       });
  return reactor;
}

grpc::ServerUnaryReactor* HistoryServiceImpl::GetBalances(grpc::CallbackServerContext* context,
                                                          const v1::GetBalancesRequest* request,
                                                          v1::GetBalancesResponse* response) {
  if (static_cast<size_t>(request->script_hashes_size()) > options_.max_batch_scripthashes) {
    return services::FinishNow(context,
                               grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                            absl::StrCat(request->script_hashes_size(),
                                                         " script hashes in one call; at most ",
                                                         options_.max_batch_scripthashes)));
  }
  std::vector<chain::ScriptHash> scripthashes;
  scripthashes.reserve(request->script_hashes_size());
  for (const std::string& bytes : request->script_hashes()) {
    absl::StatusOr<chain::ScriptHash> scripthash = ParseScriptHash(bytes);
    if (!scripthash.ok()) return services::FinishNow(context, scripthash.status());
    scripthashes.push_back(*scripthash);
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  blocking_.Post([this, reactor, response, scripthashes = std::move(scripthashes),
                  deadline = context->deadline()] {
    absl::StatusOr<std::vector<Balance>> balances =
        BalancesOf(services::MillisecondsUntil(deadline), scripthashes);
    if (!balances.ok()) return reactor->Finish(ToGrpcStatus(balances.status()));
    for (const Balance& balance : *balances) Fill(balance, response->add_balances());
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

namespace {

grpc::Status FillUnspent(const absl::StatusOr<std::shared_ptr<const std::vector<Unspent>>>& list,
                         v1::ListUnspentResponse* response) {
  if (!list.ok()) return ToGrpcStatus(list.status());
  response->mutable_outputs()->Reserve(static_cast<int>((*list)->size()));
  for (const Unspent& output : **list) {
    v1::UnspentOutput* out = response->add_outputs();
    out->set_txid(Bytes(output.txid.internal()));
    out->set_vout(output.vout);
    out->set_height(output.height);
    out->set_value(output.value);
  }
  return grpc::Status::OK;
}

}  // namespace

grpc::ServerUnaryReactor* HistoryServiceImpl::ListUnspent(grpc::CallbackServerContext* context,
                                                          const v1::ListUnspentRequest* request,
                                                          v1::ListUnspentResponse* response) {
  auto scripthash = ParseScriptHash(request->script_hash());
  if (!scripthash.ok()) return services::FinishNow(context, scripthash.status());
  if (std::optional<SharedUnspent> cached = unspents_.Find(*scripthash)) {
    return services::FinishNow(context, FillUnspent(*cached, response));
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  unspent_batcher_.Get(
      *scripthash, context->deadline(),
      [this, reactor, response](absl::StatusOr<UnspentRead> read) {
        if (read.ok() && read->too_large) {
          return reactor->Finish(ToGrpcStatus(TooLarge()));
        }
        reactor->Finish(FillUnspent(read.ok() ? absl::StatusOr<SharedUnspent>(read->value)
                                              : absl::StatusOr<SharedUnspent>(read.status()),
                                    response));
      });
  return reactor;
}

}  // namespace electrum::history
