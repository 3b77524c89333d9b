// GetBalance, GetBalances and ListUnspent: values through their caches;
// what is not cached is read in one statement per batch, and concurrent
// single calls share batches (CoalescingBatcher), so under load one round
// trip to PostgreSQL serves many callers.
#include "absl/strings/str_cat.h"
#include "common/grpc/status_conversion.h"
#include "common/status/status_macros.h"
#include "pqxx/pqxx"
#include "services/common/database_call.h"
#include "services/history/history_service.h"
#include "services/history/request_parsing.h"
#include "storage/address_index/address_queries.h"

namespace electrum::history {
namespace {

void Fill(const Balance& balance, v1::GetBalanceResponse* out) {
  out->set_confirmed(balance.confirmed);
  out->set_unconfirmed(balance.unconfirmed);
}

}  // namespace

absl::StatusOr<std::vector<Balance>> HistoryServiceImpl::BalancesOf(
    const grpc::ServerContext* context, const std::vector<chain::ScriptHash>& scripthashes) {
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
  grpc::Status status = services::WithDatabaseStatements(
      context, database_, "reading balances", [&](pqxx::transaction_base& session) {
        absl::StatusOr<std::vector<Balance>> rows = storage::ReadBalances(session, missing);
        if (!rows.ok()) return rows.status();
        read = std::move(*rows);
        return absl::OkStatus();
      });
  if (!status.ok()) return FromGrpcStatus(status);
  for (size_t j = 0; j < missing.size(); ++j) {
    balances[missing_at[j]] = read[j];
    balances_.Store(missing[j], read[j], observed);
  }
  return balances;
}

grpc::Status HistoryServiceImpl::GetBalance(grpc::ServerContext* context,
                                            const v1::GetBalanceRequest* request,
                                            v1::GetBalanceResponse* response) {
  auto scripthash = ParseScriptHash(request->script_hash());
  if (!scripthash.ok()) return ToGrpcStatus(scripthash.status());
  if (std::optional<Balance> cached = balances_.Find(*scripthash)) {
    Fill(*cached, response);
    return grpc::Status::OK;
  }
  absl::StatusOr<Balance> balance = balance_batcher_.Get(
      *scripthash,
      [&](const std::vector<chain::ScriptHash>& batch) { return BalancesOf(context, batch); });
  if (!balance.ok()) return ToGrpcStatus(balance.status());
  Fill(*balance, response);
  return grpc::Status::OK;
}

grpc::Status HistoryServiceImpl::GetBalances(grpc::ServerContext* context,
                                             const v1::GetBalancesRequest* request,
                                             v1::GetBalancesResponse* response) {
  if (static_cast<size_t>(request->script_hashes_size()) > options_.max_batch_scripthashes) {
    return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        absl::StrCat(request->script_hashes_size(), " script hashes in one call; ",
                                     "at most ", options_.max_batch_scripthashes));
  }
  std::vector<chain::ScriptHash> scripthashes;
  scripthashes.reserve(request->script_hashes_size());
  for (const std::string& bytes : request->script_hashes()) {
    absl::StatusOr<chain::ScriptHash> scripthash = ParseScriptHash(bytes);
    if (!scripthash.ok()) return ToGrpcStatus(scripthash.status());
    scripthashes.push_back(*scripthash);
  }
  absl::StatusOr<std::vector<Balance>> balances = BalancesOf(context, scripthashes);
  if (!balances.ok()) return ToGrpcStatus(balances.status());
  for (const Balance& balance : *balances) Fill(balance, response->add_balances());
  return grpc::Status::OK;
}

absl::StatusOr<HistoryServiceImpl::UnspentRead> HistoryServiceImpl::UnspentOf(
    const grpc::ServerContext* context, const chain::ScriptHash& scripthash) {
  if (std::optional<SharedUnspent> cached = unspents_.Find(scripthash)) {
    return UnspentRead{*cached, false};
  }
  return unspent_batcher_.Get(scripthash, [&](const std::vector<chain::ScriptHash>& batch) {
    return ReadUnspentsInOrder(context, batch);
  });
}

absl::StatusOr<std::vector<HistoryServiceImpl::UnspentRead>>
HistoryServiceImpl::ReadUnspentsInOrder(const grpc::ServerContext* context,
                                        const std::vector<chain::ScriptHash>& scripthashes) {
  const uint64_t observed = unspents_.Observe();
  std::vector<UnspentRead> reads(scripthashes.size());
  grpc::Status status = services::WithDatabaseStatements(
      context, database_, "listing unspent outputs", [&](pqxx::transaction_base& session) {
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
      });
  if (!status.ok()) return FromGrpcStatus(status);
  return reads;
}

grpc::Status HistoryServiceImpl::ListUnspent(grpc::ServerContext* context,
                                             const v1::ListUnspentRequest* request,
                                             v1::ListUnspentResponse* response) {
  auto scripthash = ParseScriptHash(request->script_hash());
  if (!scripthash.ok()) return ToGrpcStatus(scripthash.status());
  absl::StatusOr<UnspentRead> read = UnspentOf(context, *scripthash);
  if (!read.ok()) return ToGrpcStatus(read.status());
  if (read->too_large) {
    return grpc::Status(
        grpc::StatusCode::RESOURCE_EXHAUSTED,
        absl::StrCat("history too large: more than ", options_.max_history_entries, " entries"));
  }
  response->mutable_outputs()->Reserve(static_cast<int>(read->value->size()));
  for (const Unspent& output : *read->value) {
    v1::UnspentOutput* out = response->add_outputs();
    out->set_txid(Bytes(output.txid.internal()));
    out->set_vout(output.vout);
    out->set_height(output.height);
    out->set_value(output.value);
  }
  return grpc::Status::OK;
}

}  // namespace electrum::history
