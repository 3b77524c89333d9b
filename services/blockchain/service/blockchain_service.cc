#include "services/blockchain/service/blockchain_service.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "common/chain/electrum_hashes.h"
#include "common/chain/merkle.h"
#include "common/crypto/hex.h"
#include "common/grpc/status_conversion.h"
#include "common/status/status_macros.h"
#include "common/text/thousands.h"
#include "pqxx/pqxx"
#include "services/common/database_call.h"
#include "storage/chain_index/chain_reads.h"

namespace electrum::blockchain {
namespace {

grpc::Status InvalidArgument(const std::string& message) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, message);
}

void Fill(const CachedHeader& header, v1::BlockHeader* out) {
  out->set_height(static_cast<uint32_t>(header.height));
  out->set_hash(header.hash.internal().data(), chain::BlockHash::kSize);
  out->set_raw(header.raw.data(), header.raw.size());
  if (!header.pow_data.empty()) out->set_pow_data(header.pow_data);
}

template <typename Tag>
std::string Bytes(const chain::Hash256<Tag>& hash) {
  return std::string(reinterpret_cast<const char*>(hash.internal().data()), hash.kSize);
}

absl::StatusOr<chain::TxId> ParseTxid(const std::string& bytes) {
  auto txid = chain::TxId::FromInternal(
      chain::ByteSpan(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  if (!txid.ok()) return absl::InvalidArgumentError("txid must be 32 bytes");
  return txid;
}

void FillProof(const chain::MerkleBranch& branch, uint32_t checkpoint_height,
               v1::HeaderCheckpointProof* proof) {
  proof->set_checkpoint_height(checkpoint_height);
  proof->set_root(Bytes(branch.root));
  for (const auto& sibling : branch.siblings) proof->add_branch(Bytes(sibling));
}

// Satoshis per kvB from a node's coin-per-kvB number.
uint64_t SatoshisPerKvb(double coins_per_kvb) {
  return static_cast<uint64_t>(std::llround(coins_per_kvb * 1e8));
}

}  // namespace

BlockchainServiceImpl::BlockchainServiceImpl(BlockchainServiceOptions options,
                                             const HeaderCache& headers, TipFeed& tips,
                                             storage::ConnectionPool& database,
                                             services::NodeClientPool& node)
    : options_(options),
      headers_(headers),
      tips_(tips),
      database_(database),
      node_(node),
      transactions_(options.transaction_cache_entries),
      blocking_(options.blocking_threads, options.blocking_queue_max) {}

void BlockchainServiceImpl::OnTipChanged() {
  std::lock_guard<std::mutex> lock(fees_mutex_);
  fees_.clear();
}

grpc::Status BlockchainServiceImpl::ServeGetTip(const grpc::ServerContextBase*,
                                                const v1::GetTipRequest*,
                                                v1::GetTipResponse* response) {
  std::optional<CachedHeader> tip = headers_.Tip();
  if (!tip) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the index is empty (syncing)");
  Fill(*tip, response->mutable_tip());
  return grpc::Status::OK;
}

grpc::Status BlockchainServiceImpl::ServeGetHeader(const grpc::ServerContextBase*,
                                                   const v1::GetHeaderRequest* request,
                                                   v1::GetHeaderResponse* response) {
  const int32_t tip = headers_.tip_height();
  const int64_t height = request->height();
  const int64_t checkpoint = request->checkpoint_height();
  if (height > tip)
    return InvalidArgument(absl::StrCat("height ", WithThousands(height), " out of range"));
  if (checkpoint != 0 && !(height <= checkpoint && checkpoint <= tip)) {
    return InvalidArgument(absl::StrCat("require header height ", WithThousands(height),
                                        " <= cp_height ", WithThousands(checkpoint),
                                        " <= chain height ", WithThousands(tip)));
  }
  std::optional<CachedHeader> header = headers_.At(static_cast<int32_t>(height));
  if (!header)
    return InvalidArgument(absl::StrCat("height ", WithThousands(height), " out of range"));
  Fill(*header, response->mutable_header());
  if (checkpoint != 0) {
    auto branch =
        headers_.CheckpointProof(static_cast<int32_t>(height), static_cast<int32_t>(checkpoint));
    if (!branch.ok()) return ToGrpcStatus(branch.status());
    FillProof(*branch, static_cast<uint32_t>(checkpoint), response->mutable_proof());
  }
  return grpc::Status::OK;
}

grpc::Status BlockchainServiceImpl::ServeGetHeaders(const grpc::ServerContextBase*,
                                                    const v1::GetHeadersRequest* request,
                                                    v1::GetHeadersResponse* response) {
  const int32_t tip = headers_.tip_height();
  const int64_t start = request->start_height();
  const int64_t count = std::min<int64_t>(request->count(), options_.max_headers);
  const int64_t available = std::max<int64_t>(0, std::min<int64_t>(count, tip + 1 - start));
  const int64_t checkpoint = request->checkpoint_height();
  response->set_max_count(options_.max_headers);
  if (available > 0 && checkpoint != 0) {
    const int64_t last = start + available - 1;
    if (!(last <= checkpoint && checkpoint <= tip)) {
      return InvalidArgument(absl::StrCat("require header height ", WithThousands(last),
                                          " <= cp_height ", WithThousands(checkpoint),
                                          " <= chain height ", WithThousands(tip)));
    }
  }
  if (available == 0) return grpc::Status::OK;
  for (const CachedHeader& header :
       headers_.Range(static_cast<int32_t>(start), static_cast<int32_t>(available))) {
    Fill(header, response->add_headers());
  }
  if (checkpoint != 0) {
    auto branch =
        headers_.CheckpointProof(static_cast<int32_t>(start + response->headers_size() - 1),
                                 static_cast<int32_t>(checkpoint));
    if (!branch.ok()) return ToGrpcStatus(branch.status());
    FillProof(*branch, static_cast<uint32_t>(checkpoint), response->mutable_proof());
  }
  return grpc::Status::OK;
}

grpc::Status BlockchainServiceImpl::SubscribeHeaders(grpc::ServerContext* context,
                                                     const v1::SubscribeHeadersRequest*,
                                                     grpc::ServerWriter<v1::HeadersEvent>* writer) {
  // The current tip first, then every change after it. The header cache
  // may hold a new tip a moment before its event is published: that event
  // then repeats the tip already sent, and is left out.
  uint64_t sent = 0;
  std::optional<chain::BlockHash> sent_tip;
  if (std::optional<TipEvent> latest = tips_.Latest()) sent = latest->sequence;
  if (std::optional<CachedHeader> tip = headers_.Tip()) {
    v1::HeadersEvent event;
    Fill(*tip, event.mutable_tip());
    if (!writer->Write(event)) return grpc::Status::OK;
    sent_tip = tip->hash;
  }
  while (!context->IsCancelled()) {
    std::optional<TipEvent> next = tips_.WaitAfter(sent, options_.stream_poll);
    if (!next) continue;
    sent = next->sequence;
    if (!next->change.reorg_from_height && sent_tip == next->change.tip.hash) continue;
    sent_tip = next->change.tip.hash;
    v1::HeadersEvent event;
    Fill(next->change.tip, event.mutable_tip());
    if (next->change.reorg_from_height) {
      event.set_reorg_from_height(static_cast<uint32_t>(*next->change.reorg_from_height));
    }
    if (!writer->Write(event)) break;
  }
  return grpc::Status::OK;
}

grpc::Status BlockchainServiceImpl::ReadTxidsOf(const grpc::ServerContextBase* context,
                                                int32_t height, std::vector<chain::TxId>& txids) {
  return services::WithDatabase(context, database_, "reading a block's transactions",
                                [&](pqxx::transaction_base& session) -> absl::Status {
                                  ASSIGN_OR_RETURN(txids, storage::ReadBlockTxids(session, height));
                                  return absl::OkStatus();
                                });
}

grpc::Status BlockchainServiceImpl::ServeGetTransaction(const grpc::ServerContextBase* context,
                                                        const v1::GetTransactionRequest* request,
                                                        v1::GetTransactionResponse* response) {
  absl::StatusOr<chain::TxId> txid = ParseTxid(request->txid());
  if (!txid.ok()) return ToGrpcStatus(txid.status());
  if (!request->verbose()) {
    if (std::optional<std::string> raw = transactions_.Get(*txid)) {
      response->set_raw(*raw);
      return grpc::Status::OK;
    }
  }
  std::optional<int32_t> height;
  grpc::Status looked_up = services::WithDatabase(
      context, database_, "looking up a transaction",
      [&](pqxx::transaction_base& session) -> absl::Status {
        ASSIGN_OR_RETURN(height, storage::ReadTransactionHeight(session, *txid));
        return absl::OkStatus();
      });
  if (!looked_up.ok()) return looked_up;
  // Confirmed: name the block so the node finds it without -txindex.
  nlohmann::json params = {txid->ToDisplayHex(), request->verbose()};
  if (height) {
    std::optional<CachedHeader> block = headers_.At(*height);
    if (block) params.push_back(block->hash.ToDisplayHex());
    response->set_block_height(static_cast<uint32_t>(*height));
  }
  absl::StatusOr<nlohmann::json> reply = node_.With<absl::StatusOr<nlohmann::json>>(
      [&](node::BitcoindClient& client) { return client.Call("getrawtransaction", params); });
  if (!reply.ok()) return ToGrpcStatus(reply.status());
  const std::string hex = request->verbose()
                              ? reply->value("hex", "")
                              : (reply->is_string() ? reply->get<std::string>() : "");
  absl::StatusOr<std::vector<uint8_t>> raw = FromHex(hex);
  if (!raw.ok())
    return grpc::Status(grpc::StatusCode::INTERNAL, "node returned a non-hex transaction");
  response->set_raw(std::string(raw->begin(), raw->end()));
  if (request->verbose()) response->set_verbose_json(reply->dump());
  if (height) transactions_.Put(*txid, response->raw());
  return grpc::Status::OK;
}

grpc::Status BlockchainServiceImpl::ServeGetTransactionMerkle(
    const grpc::ServerContextBase* context, const v1::GetTransactionMerkleRequest* request,
    v1::GetTransactionMerkleResponse* response) {
  absl::StatusOr<chain::TxId> txid = ParseTxid(request->txid());
  if (!txid.ok()) return ToGrpcStatus(txid.status());
  const int64_t height = request->block_height();
  if (height > headers_.tip_height()) {
    return InvalidArgument(absl::StrCat("height ", WithThousands(height), " out of range"));
  }
  std::vector<chain::TxId> txids;
  if (grpc::Status read = ReadTxidsOf(context, static_cast<int32_t>(height), txids); !read.ok()) {
    return read;
  }
  auto position = std::find(txids.begin(), txids.end(), *txid);
  if (position == txids.end()) {
    return InvalidArgument(absl::StrCat("tx ", txid->ToDisplayHex(), " not in block at height ",
                                        WithThousands(height)));
  }
  const size_t index = position - txids.begin();
  std::vector<chain::MerkleHash> leaves;
  for (const chain::TxId& id : txids) leaves.emplace_back(id.internal());
  auto branch = chain::ComputeMerkleBranch(std::move(leaves), index);
  if (!branch.ok()) return ToGrpcStatus(branch.status());
  v1::TransactionMerkleProof* proof = response->mutable_proof();
  proof->set_block_height(static_cast<uint32_t>(height));
  proof->set_position(static_cast<uint32_t>(index));
  for (const auto& sibling : branch->siblings) proof->add_branch(Bytes(sibling));
  return grpc::Status::OK;
}

grpc::Status BlockchainServiceImpl::ServeGetTransactionAtPosition(
    const grpc::ServerContextBase* context, const v1::GetTransactionAtPositionRequest* request,
    v1::GetTransactionAtPositionResponse* response) {
  const int64_t height = request->block_height();
  const int64_t position = request->position();
  const std::string missing = absl::StrCat("no tx at position ", WithThousands(position),
                                           " in block at height ", WithThousands(height));
  if (height > headers_.tip_height()) return InvalidArgument(missing);
  std::vector<chain::TxId> txids;
  if (grpc::Status read = ReadTxidsOf(context, static_cast<int32_t>(height), txids); !read.ok()) {
    return read;
  }
  if (position >= static_cast<int64_t>(txids.size())) return InvalidArgument(missing);
  response->set_txid(Bytes(txids[position]));
  if (request->include_proof()) {
    std::vector<chain::MerkleHash> leaves;
    for (const chain::TxId& id : txids) leaves.emplace_back(id.internal());
    auto branch = chain::ComputeMerkleBranch(std::move(leaves), static_cast<size_t>(position));
    if (!branch.ok()) return ToGrpcStatus(branch.status());
    v1::TransactionMerkleProof* proof = response->mutable_proof();
    proof->set_block_height(static_cast<uint32_t>(height));
    proof->set_position(static_cast<uint32_t>(position));
    for (const auto& sibling : branch->siblings) proof->add_branch(Bytes(sibling));
  }
  return grpc::Status::OK;
}

grpc::Status BlockchainServiceImpl::ServeEstimateFee(const grpc::ServerContextBase*,
                                                     const v1::EstimateFeeRequest* request,
                                                     v1::EstimateFeeResponse* response) {
  const std::string& mode = request->mode();
  if (!mode.empty() && mode != "CONSERVATIVE" && mode != "ECONOMICAL") {
    return InvalidArgument("unknown estimatefee mode: " + mode);
  }
  const auto key = std::make_pair(request->target_blocks(), mode);
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard<std::mutex> lock(fees_mutex_);
    auto it = fees_.find(key);
    if (it != fees_.end() && it->second.expires > now) {
      if (it->second.sat_per_kvb) response->set_fee_rate_sat_per_kvb(*it->second.sat_per_kvb);
      return grpc::Status::OK;
    }
  }
  nlohmann::json params = {request->target_blocks()};
  if (!mode.empty()) params.push_back(mode);
  absl::StatusOr<nlohmann::json> reply = node_.With<absl::StatusOr<nlohmann::json>>(
      [&](node::BitcoindClient& client) { return client.Call("estimatesmartfee", params); });
  if (!reply.ok()) return ToGrpcStatus(reply.status());
  CachedFee fee{std::nullopt, now + options_.fee_cache_ttl};
  if (reply->contains("feerate") && (*reply)["feerate"].is_number()) {
    fee.sat_per_kvb = SatoshisPerKvb((*reply)["feerate"].get<double>());
    response->set_fee_rate_sat_per_kvb(*fee.sat_per_kvb);
  }
  std::lock_guard<std::mutex> lock(fees_mutex_);
  fees_[key] = fee;
  return grpc::Status::OK;
}

grpc::Status BlockchainServiceImpl::ServeGetRelayFee(const grpc::ServerContextBase*,
                                                     const v1::GetRelayFeeRequest*,
                                                     v1::GetRelayFeeResponse* response) {
  const auto key = std::make_pair(0u, std::string("relayfee"));
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard<std::mutex> lock(fees_mutex_);
    auto it = fees_.find(key);
    if (it != fees_.end() && it->second.expires > now && it->second.sat_per_kvb) {
      response->set_fee_rate_sat_per_kvb(*it->second.sat_per_kvb);
      return grpc::Status::OK;
    }
  }
  absl::StatusOr<nlohmann::json> reply =
      node_.With<absl::StatusOr<nlohmann::json>>([&](node::BitcoindClient& client) {
        return client.Call("getnetworkinfo", nlohmann::json::array());
      });
  if (!reply.ok()) return ToGrpcStatus(reply.status());
  if (!reply->contains("relayfee") || !(*reply)["relayfee"].is_number()) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "node's getnetworkinfo has no relayfee");
  }
  const uint64_t fee = SatoshisPerKvb((*reply)["relayfee"].get<double>());
  response->set_fee_rate_sat_per_kvb(fee);
  std::lock_guard<std::mutex> lock(fees_mutex_);
  fees_[key] = CachedFee{fee, now + options_.fee_cache_ttl};
  return grpc::Status::OK;
}

grpc::Status BlockchainServiceImpl::ServeBroadcastPackage(
    const grpc::ServerContextBase*, const v1::BroadcastPackageRequest* request,
    v1::BroadcastPackageResponse* response) {
  if (request->raw().empty()) return InvalidArgument("empty package");
  nlohmann::json package = nlohmann::json::array();
  for (const std::string& raw : request->raw()) {
    package.push_back(
        ToHex(chain::ByteSpan(reinterpret_cast<const uint8_t*>(raw.data()), raw.size())));
  }
  absl::StatusOr<nlohmann::json> reply =
      node_.With<absl::StatusOr<nlohmann::json>>([&](node::BitcoindClient& client) {
        return client.Call("submitpackage", nlohmann::json::array({package}));
      });
  if (!reply.ok()) {
    if (std::optional<std::string> reason = node::NodeRpcMessage(reply.status())) {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, *reason);
    }
    return ToGrpcStatus(reply.status());
  }
  if (!reply->is_object()) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "node's submitpackage answer is not an object");
  }
  response->set_result_json(reply->dump());
  return grpc::Status::OK;
}

grpc::Status BlockchainServiceImpl::ServeGetMempoolFees(const grpc::ServerContextBase*,
                                                        const v1::GetMempoolFeesRequest*,
                                                        v1::GetMempoolFeesResponse* response) {
  absl::StatusOr<nlohmann::json> reply =
      node_.With<absl::StatusOr<nlohmann::json>>([&](node::BitcoindClient& client) {
        return client.Call("getmempoolinfo", nlohmann::json::array());
      });
  if (!reply.ok()) return ToGrpcStatus(reply.status());
  for (const char* field : {"mempoolminfee", "minrelaytxfee", "incrementalrelayfee"}) {
    if (!reply->contains(field) || !(*reply)[field].is_number()) {
      return grpc::Status(grpc::StatusCode::INTERNAL,
                          absl::StrCat("node's getmempoolinfo has no ", field));
    }
  }
  response->set_mempool_min_fee_sat_per_kvb(SatoshisPerKvb((*reply)["mempoolminfee"]));
  response->set_min_relay_tx_fee_sat_per_kvb(SatoshisPerKvb((*reply)["minrelaytxfee"]));
  response->set_incremental_relay_fee_sat_per_kvb(SatoshisPerKvb((*reply)["incrementalrelayfee"]));
  return grpc::Status::OK;
}

grpc::Status BlockchainServiceImpl::ServeBroadcastTransaction(
    const grpc::ServerContextBase*, const v1::BroadcastTransactionRequest* request,
    v1::BroadcastTransactionResponse* response) {
  if (request->raw().empty()) return InvalidArgument("empty transaction");
  const std::string hex = ToHex(chain::ByteSpan(
      reinterpret_cast<const uint8_t*>(request->raw().data()), request->raw().size()));
  absl::StatusOr<nlohmann::json> reply =
      node_.With<absl::StatusOr<nlohmann::json>>([&](node::BitcoindClient& client) {
        return client.Call("sendrawtransaction", nlohmann::json::array({hex}));
      });
  if (!reply.ok()) {
    // A rejection's text is what the wallet shows: pass it on verbatim.
    if (std::optional<std::string> reason = node::NodeRpcMessage(reply.status())) {
      const auto code = reply.status().code() == absl::StatusCode::kInvalidArgument
                            ? grpc::StatusCode::INVALID_ARGUMENT
                            : grpc::StatusCode::FAILED_PRECONDITION;
      return grpc::Status(code, *reason);
    }
    return ToGrpcStatus(reply.status());
  }
  auto txid = reply->is_string() ? chain::TxId::FromDisplayHex(reply->get<std::string>())
                                 : absl::StatusOr<chain::TxId>(absl::InternalError(""));
  if (!txid.ok()) return grpc::Status(grpc::StatusCode::INTERNAL, "node returned no txid");
  response->set_txid(Bytes(*txid));
  return grpc::Status::OK;
}

grpc::Status BlockchainServiceImpl::ServeGetChainInfo(const grpc::ServerContextBase*,
                                                      const v1::GetChainInfoRequest*,
                                                      v1::GetChainInfoResponse* response) {
  response->set_coin(std::string(options_.coin->name));
  response->set_network(std::string(options_.coin->network));
  response->set_genesis_hash(Bytes(options_.coin->genesis_hash));
  response->set_hash_function(std::string(options_.coin->block_hash_function));
  response->set_pruned_below_height(0);
  return grpc::Status::OK;
}

}  // namespace electrum::blockchain
