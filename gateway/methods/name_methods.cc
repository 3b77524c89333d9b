// blockchain.name.get_value_proof (spec §6.3), offered by name-index coins
// from protocol 1.4.3: a name's history, newest first, each entry with its
// transaction and merkle proof, down to the checkpoint or the name's
// expiry gap.
#include "absl/strings/str_cat.h"
#include "common/crypto/hex.h"
#include "gateway/methods/handler_support.h"
#include "gateway/protocol/argument_types.h"

namespace electrum::gateway {
namespace {

using Arguments = std::vector<nlohmann::json>;
using Reply = boost::asio::awaitable<absl::StatusOr<MethodResult>>;

struct NameHistoryEntry {
  std::string txid;  // internal byte order
  int32_t height = 0;
  uint64_t fee = 0;
};

boost::asio::awaitable<absl::StatusOr<nlohmann::json>> ProvedEntry(CallContext& context,
                                                                   const NameHistoryEntry& entry) {
  v1::GetTransactionRequest request;
  request.set_txid(entry.txid);
  auto tx = co_await Ask(context, context.gateway.upstream->blockchain->async(),
                         &BlockchainAsync::GetTransaction, request);
  if (!tx.ok()) co_return tx.status();
  nlohmann::json out = {
      {"tx", ToHex(chain::ByteSpan(reinterpret_cast<const uint8_t*>(tx->raw().data()),
                                   tx->raw().size()))},
      {"height", entry.height}};
  if (entry.height <= 0) {
    // In the mempool: no block to prove it against yet.
    out["fee"] = entry.fee;
    co_return out;
  }
  v1::GetTransactionMerkleRequest merkle_request;
  merkle_request.set_txid(entry.txid);
  merkle_request.set_block_height(static_cast<uint32_t>(entry.height));
  auto merkle = co_await Ask(context, context.gateway.upstream->blockchain->async(),
                             &BlockchainAsync::GetTransactionMerkle, merkle_request);
  if (!merkle.ok()) co_return merkle.status();
  nlohmann::json branch = nlohmann::json::array();
  for (const std::string& sibling : merkle->proof().branch()) branch.push_back(DisplayHex(sibling));
  out["tx_merkle"] = {{"merkle", std::move(branch)}, {"pos", merkle->proof().position()}};
  co_return out;
}

Reply GetValueProof(CallContext& context, const Arguments& arguments) {
  absl::StatusOr<chain::ScriptHash> scripthash = ScriptHashArgument(arguments[0]);
  if (!scripthash.ok()) co_return scripthash.status();
  absl::StatusOr<int64_t> checkpoint =
      arguments[1].is_null() ? absl::StatusOr<int64_t>(0) : HeightArgument(arguments[1]);
  if (!checkpoint.ok()) co_return checkpoint.status();
  const size_t max_entries = context.gateway.limits.max_name_proof_entries;
  absl::StatusOr<v1::GetHistoryResponse> history = co_await AskHistory(context, *scripthash);
  if (!history.ok()) co_return history.status();
  const int count = history->heights_size();
  const int32_t expiration = context.gateway.coin->name_expiration_blocks;
  nlohmann::json entries = nlohmann::json::array();
  std::optional<int32_t> newer_height;
  for (int i = count - 1; i >= 0; --i) {
    const NameHistoryEntry entry{history->txids().substr(static_cast<size_t>(i) * 32, 32),
                                 history->heights(i),
                                 i < history->fees_size() ? history->fees(i) : 0};
    // An older entry separated by more than the expiry period belongs to an
    // earlier, expired registration of the name.
    if (expiration > 0 && newer_height && entry.height > 0 &&
        entry.height < *newer_height - expiration) {
      break;
    }
    if (entries.size() >= max_entries) {
      co_return absl::InvalidArgumentError(absl::StrCat("name history longer than ", max_entries,
                                                        " entries within the expiry period"));
    }
    context.extra_cost += 0.5;
    absl::StatusOr<nlohmann::json> proved = co_await ProvedEntry(context, entry);
    if (!proved.ok()) co_return proved.status();
    const bool under_checkpoint = entry.height > 0 && entry.height <= *checkpoint;
    if (under_checkpoint) {
      absl::StatusOr<nlohmann::json> header = HeaderWithProof(context, entry.height, *checkpoint);
      if (!header.ok()) co_return header.status();
      (*proved)["header"] = std::move(*header);
    }
    entries.push_back(std::move(*proved));
    if (under_checkpoint) break;
    if (entry.height > 0) newer_height = entry.height;
  }
  // Keyed by the script hash as the client wrote it.
  co_return nlohmann::json{{arguments[0].get<std::string>(), std::move(entries)}};
}

}  // namespace

void AddNameMethods(MethodTable& table) {
  table.Add({"blockchain.name.get_value_proof",
             ProtocolVersion({1, 4, 3}),
             std::nullopt,
             {{"scripthash", "cp_height"}, 1},
             1.0,
             GetValueProof});
}

}  // namespace electrum::gateway
