// blockchain.transaction.* (spec §3.21, §3.23–§3.25), served by the
// blockchain service.
#include "absl/strings/str_cat.h"
#include "common/crypto/hex.h"
#include "common/text/thousands.h"
#include "gateway/jsonrpc/shown_value.h"
#include "gateway/methods/handler_support.h"
#include "gateway/protocol/argument_types.h"

namespace electrum::gateway {
namespace {

using Arguments = std::vector<nlohmann::json>;
using Reply = boost::asio::awaitable<absl::StatusOr<MethodResult>>;

// ElectrumX takes true/false, and 0/1 as Python does.
absl::StatusOr<bool> BooleanArgument(const nlohmann::json& value, const char* name) {
  if (value.is_null()) return false;
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_number_integer() && (value == 0 || value == 1)) return value == 1;
  return absl::InvalidArgumentError(absl::StrCat("\"", name, "\" must be a boolean"));
}

// The node refused what was broadcast (as opposed to failing to answer).
bool IsRejection(const absl::Status& status) {
  return status.code() == absl::StatusCode::kInvalidArgument ||
         status.code() == absl::StatusCode::kFailedPrecondition;
}

nlohmann::json Branch(const v1::TransactionMerkleProof& proof) {
  nlohmann::json branch = nlohmann::json::array();
  for (const std::string& sibling : proof.branch()) branch.push_back(DisplayHex(sibling));
  return branch;
}

Reply Broadcast(CallContext& context, const Arguments& arguments) {
  absl::StatusOr<std::vector<uint8_t>> raw = HexStringArgument(arguments[0]);
  if (!raw.ok()) co_return raw.status();
  const std::string& hex = arguments[0].get_ref<const std::string&>();
  context.extra_cost += static_cast<double>(hex.size()) / 5000;
  v1::BroadcastTransactionRequest request;
  request.set_raw(std::string(raw->begin(), raw->end()));
  auto sent = co_await Ask(context, context.gateway.upstream->blockchain->async(),
                           &BlockchainAsync::BroadcastTransaction, request);
  if (!sent.ok()) {
    if (!IsRejection(sent.status())) co_return sent.status();
    co_return absl::InvalidArgumentError(
        absl::StrCat("the transaction was rejected by network rules.\n\n", sent.status().message(),
                     "\n[", hex, "]"));
  }
  co_return nlohmann::json(DisplayHex(sent->txid()));
}

Reply BroadcastPackage(CallContext& context, const Arguments& arguments) {
  const nlohmann::json& list = arguments[0];
  if (!list.is_array()) {
    co_return absl::InvalidArgumentError(ShownArgument(list) + " should be a list");
  }
  absl::StatusOr<bool> verbose = BooleanArgument(arguments[1], "verbose");
  if (!verbose.ok()) co_return verbose.status();
  v1::BroadcastPackageRequest request;
  for (const nlohmann::json& hex : list) {
    absl::StatusOr<std::vector<uint8_t>> raw = HexStringArgument(hex);
    if (!raw.ok()) co_return raw.status();
    request.add_raw(std::string(raw->begin(), raw->end()));
    context.extra_cost += static_cast<double>(hex.get_ref<const std::string&>().size()) / 5000;
  }
  auto sent = co_await Ask(context, context.gateway.upstream->blockchain->async(),
                           &BlockchainAsync::BroadcastPackage, request);
  if (!sent.ok()) {
    if (!IsRejection(sent.status())) co_return sent.status();
    co_return absl::InvalidArgumentError(absl::StrCat(
        "the tx package was rejected by network rules.\n\n", sent.status().message(), "."));
  }
  nlohmann::json result = nlohmann::json::parse(sent->result_json(), nullptr, false);
  if (result.is_discarded()) co_return absl::InternalError("node sent invalid package JSON");
  if (*verbose) co_return result;
  nlohmann::json answer = {{"success", result.value("package_msg", "") == "success"}};
  nlohmann::json errors = nlohmann::json::array();
  if (result.contains("tx-results") && result["tx-results"].is_object()) {
    for (const auto& [wtxid, outcome] : result["tx-results"].items()) {
      if (outcome.is_object() && outcome.contains("error")) {
        errors.push_back({{"txid", outcome.value("txid", "")}, {"error", outcome["error"]}});
      }
    }
  }
  if (!errors.empty()) answer["errors"] = std::move(errors);
  co_return answer;
}

Reply GetTransaction(CallContext& context, const Arguments& arguments) {
  absl::StatusOr<chain::TxId> txid = TxHashArgument(arguments[0]);
  if (!txid.ok()) co_return txid.status();
  absl::StatusOr<bool> verbose = BooleanArgument(arguments[1], "verbose");
  if (!verbose.ok()) co_return verbose.status();
  v1::GetTransactionRequest request;
  request.set_txid(InternalBytes(*txid));
  request.set_verbose(*verbose);
  auto transaction = co_await Ask(context, context.gateway.upstream->blockchain->async(),
                                  &BlockchainAsync::GetTransaction, request);
  if (!transaction.ok()) co_return transaction.status();
  if (*verbose) {
    nlohmann::json parsed = nlohmann::json::parse(transaction->verbose_json(), nullptr, false);
    if (parsed.is_discarded()) co_return absl::InternalError("node sent invalid verbose JSON");
    co_return parsed;
  }
  const std::string& raw = transaction->raw();
  co_return nlohmann::json(
      ToHex(chain::ByteSpan(reinterpret_cast<const uint8_t*>(raw.data()), raw.size())));
}

Reply GetMerkle(CallContext& context, const Arguments& arguments) {
  absl::StatusOr<chain::TxId> txid = TxHashArgument(arguments[0]);
  if (!txid.ok()) co_return txid.status();
  absl::StatusOr<int64_t> height = HeightArgument(arguments[1]);
  if (!height.ok()) co_return height.status();
  if (*height > context.gateway.headers->tip_height()) {
    co_return absl::InvalidArgumentError(
        absl::StrCat("height ", WithThousands(*height), " out of range"));
  }
  v1::GetTransactionMerkleRequest request;
  request.set_txid(InternalBytes(*txid));
  request.set_block_height(static_cast<uint32_t>(*height));
  auto merkle = co_await Ask(context, context.gateway.upstream->blockchain->async(),
                             &BlockchainAsync::GetTransactionMerkle, request);
  if (!merkle.ok()) co_return merkle.status();
  context.extra_cost += 0.25 + 0.0001 * (1 << merkle->proof().branch_size());
  co_return nlohmann::json{{"block_height", merkle->proof().block_height()},
                           {"merkle", Branch(merkle->proof())},
                           {"pos", merkle->proof().position()}};
}

Reply IdFromPosition(CallContext& context, const Arguments& arguments) {
  // ElectrumX checks tx_pos before height.
  absl::StatusOr<int64_t> position = HeightArgument(arguments[1]);
  if (!position.ok()) co_return position.status();
  absl::StatusOr<int64_t> height = HeightArgument(arguments[0]);
  if (!height.ok()) co_return height.status();
  absl::StatusOr<bool> merkle = BooleanArgument(arguments[2], "merkle");
  if (!merkle.ok()) co_return merkle.status();
  if (*height > context.gateway.headers->tip_height() || *position > UINT32_MAX) {
    co_return absl::InvalidArgumentError(
        absl::StrCat("no tx at position ", WithThousands(*position), " in block at height ",
                     WithThousands(*height)));
  }
  v1::GetTransactionAtPositionRequest request;
  request.set_block_height(static_cast<uint32_t>(*height));
  request.set_position(static_cast<uint32_t>(*position));
  request.set_include_proof(*merkle);
  auto found = co_await Ask(context, context.gateway.upstream->blockchain->async(),
                            &BlockchainAsync::GetTransactionAtPosition, request);
  if (!found.ok()) co_return found.status();
  if (!*merkle) co_return nlohmann::json(DisplayHex(found->txid()));
  co_return nlohmann::json{{"tx_hash", DisplayHex(found->txid())},
                           {"merkle", Branch(found->proof())}};
}

}  // namespace

void AddTransactionMethods(MethodTable& table) {
  const ProtocolVersion any({1, 4});
  table.Add(
      {"blockchain.transaction.broadcast", any, std::nullopt, {{"raw_tx"}, 1}, 0.25, Broadcast});
  table.Add({"blockchain.transaction.broadcast_package",
             ProtocolVersion({1, 6}),
             std::nullopt,
             {{"raw_txs", "verbose"}, 1},
             0.25,
             BroadcastPackage});
  table.Add({"blockchain.transaction.get",
             any,
             std::nullopt,
             {{"tx_hash", "verbose"}, 1},
             1.0,
             GetTransaction});
  table.Add({"blockchain.transaction.get_merkle",
             any,
             std::nullopt,
             {{"tx_hash", "height"}, 2},
             0.1,
             GetMerkle});
  table.Add({"blockchain.transaction.id_from_pos",
             any,
             std::nullopt,
             {{"height", "tx_pos", "merkle"}, 2},
             0.35,
             IdFromPosition});
}

}  // namespace electrum::gateway
