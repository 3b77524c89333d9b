#include "tools/simnode/node.h"

#include <chrono>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "tools/simnode/block_assembler.h"

namespace electrum::simnode {

namespace {

// A data directory holds one coin's chain: <datadir>/coin records which.
absl::Status CheckDataDirCoin(const std::string& data_dir, const SimCoin& coin) {
  std::filesystem::create_directories(data_dir);
  const std::string path = data_dir + "/coin";
  std::string recorded;
  std::getline(std::ifstream(path) >> std::ws, recorded);
  if (recorded.empty()) {
    std::ofstream(path) << coin.flag_name << "\n";
    return absl::OkStatus();
  }
  if (recorded != coin.flag_name) {
    return absl::FailedPreconditionError(
        absl::StrCat(data_dir, " holds a ", recorded, " chain, not ", std::string(coin.flag_name)));
  }
  return absl::OkStatus();
}

// A block's identity hash from its first 80 bytes: SHA-256d for every block
// simnode mines or stores (only a Dash genesis differs, and it is neither).
absl::StatusOr<BlockHash> HeaderHashOf(chain::ByteSpan raw) {
  if (raw.size() < chain::kHeaderSize) {
    return absl::DataLossError("a block record shorter than its header");
  }
  ASSIGN_OR_RETURN(chain::BlockHeader header, chain::ParseHeader(raw.first(chain::kHeaderSize)));
  return header.Sha256dHash();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Node>> Node::Open(const NodeOptions& options, Notifier* notifier) {
  std::unique_ptr<Node> node(new Node());
  node->options_ = options;
  const SimCoin& coin = *options.coin;
  std::optional<BlockHash> genesis_hash;
  if (!coin.params->sha256d_block_hash) genesis_hash = coin.params->genesis_hash;
  ASSIGN_OR_RETURN(node->chain_,
                   Chain::Create(coin.genesis_block(), coin.params->block_format, genesis_hash));
  node->mempool_ = Mempool(coin.params->block_format.tx);
  if (!options.data_dir.empty()) {
    RETURN_IF_ERROR(CheckDataDirCoin(options.data_dir, coin));
    Chain& chain = *node->chain_;
    if (options.resident_blocks > 0) {
      Node* self = node.get();
      chain.KeepResident(options.resident_blocks,
                         [self](BlockStore::Location location) -> absl::StatusOr<Bytes> {
                           if (self->store_ == nullptr) {
                             return absl::UnavailableError("the chain log is still replaying");
                           }
                           return self->store_->Read(location);
                         });
    }
    ASSIGN_OR_RETURN(
        node->store_,
        BlockStore::Open(options.data_dir,
                         [&chain](StoreRecord type, Bytes payload,
                                  BlockStore::Location location) -> absl::Status {
                           switch (type) {
                             case StoreRecord::kBlock: {
                               ASSIGN_OR_RETURN(const BlockHash hash, HeaderHashOf(payload));
                               RETURN_IF_ERROR(chain.AcceptBlock(std::move(payload)).status());
                               chain.SetStored(hash, location);
                               return absl::OkStatus();
                             }
                             case StoreRecord::kInvalidate:
                             case StoreRecord::kReconsider: {
                               ASSIGN_OR_RETURN(BlockHash hash, BlockHash::FromInternal(payload));
                               return (type == StoreRecord::kInvalidate
                                           ? chain.InvalidateBlock(hash)
                                           : chain.ReconsiderBlock(hash))
                                   .status();
                             }
                           }
                           return absl::DataLossError("unknown record type");
                         }));
  }
  // Notifications start after replay: a restart announces nothing old.
  node->notifier_ = notifier;
  return node;
}

int64_t Node::Now() const {
  if (options_.mock_time != 0) return options_.mock_time;
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t Node::UptimeSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                          started_)
      .count();
}

absl::StatusOr<BlockStore::Location> Node::Persist(StoreRecord type, chain::ByteSpan payload) {
  if (store_ == nullptr) return BlockStore::Location{};
  return store_->Append(type, payload);
}

void Node::Publish(const ChainChange& change) {
  for (const BlockEntry* entry : change.disconnected) {
    if (notifier_) notifier_->BlockDisconnected(entry->hash);
  }
  for (const BlockEntry* entry : change.connected) {
    for (const auto& [txid, reason] : mempool_.RemoveForBlock(entry->block)) {
      // Core's sequence topic does not report removals for block inclusion.
      if (reason != RemovalReason::kBlock && notifier_) {
        notifier_->MempoolRemoved(txid, mempool_.sequence());
      }
    }
    if (notifier_) {
      for (const Transaction& tx : entry->block.transactions) {
        notifier_->Transaction(tx.txid, tx.raw);
      }
      notifier_->BlockConnected(entry->hash);
    }
  }
  if (notifier_ && (!change.connected.empty() || !change.disconnected.empty())) {
    notifier_->Tip(chain_->Tip()->hash, chain_->Tip()->raw);
  }
  // Transactions of disconnected blocks return to the mempool, like Core's
  // disconnect pool: oldest block first and in block order, so parents
  // re-enter before their children.
  for (auto block = change.disconnected.rbegin(); block != change.disconnected.rend(); ++block) {
    const auto& transactions = (*block)->block.transactions;
    for (size_t t = 1; t < transactions.size(); ++t) {
      Bytes raw(transactions[t].raw.begin(), transactions[t].raw.end());
      auto accepted = mempool_.Accept(std::move(raw), *chain_, Now(), 0);
      if (auto* entry = std::get_if<const MempoolEntry*>(&accepted); entry && notifier_) {
        notifier_->Transaction((*entry)->tx.txid, (*entry)->tx.raw);
        notifier_->MempoolAdded((*entry)->tx.txid, mempool_.sequence());
      }
    }
  }
  // Like Core's removeForReorg: what spends a coin that is gone must go too.
  if (!change.disconnected.empty()) {
    for (const TxId& txid : mempool_.RemoveUnspendable(*chain_)) {
      if (notifier_) notifier_->MempoolRemoved(txid, mempool_.sequence());
    }
  }
}

absl::StatusOr<BlockHash> Node::MineBlockWith(std::vector<Bytes> transactions, int64_t fees,
                                              const Bytes& coinbase_script) {
  const BlockEntry* tip = chain_->Tip();
  BlockTemplate block;
  block.prev_hash = tip->hash;
  block.height = tip->height + 1;
  block.time = static_cast<uint32_t>(std::max<int64_t>(Now(), chain_->MedianTimePast(tip) + 1));
  block.coinbase_script = coinbase_script;
  block.transactions = std::move(transactions);
  block.fees = fees;
  block.coin = options_.coin;
  Bytes raw = AssembleBlock(block);
  ASSIGN_OR_RETURN(BlockHash hash, HeaderHashOf(raw));
  // With a fixed clock, re-mining on a parent whose child was invalidated
  // would rebuild the very same block; a later timestamp makes it new.
  while (chain_->Find(hash) != nullptr) {
    ++block.time;
    raw = AssembleBlock(block);
    ASSIGN_OR_RETURN(hash, HeaderHashOf(raw));
  }
  ASSIGN_OR_RETURN(ChainChange change, chain_->AcceptBlock(raw));
  ASSIGN_OR_RETURN(const BlockStore::Location stored, Persist(StoreRecord::kBlock, raw));
  chain_->SetStored(hash, stored);
  Publish(change);
  return chain_->Tip()->hash;
}

absl::StatusOr<std::vector<BlockHash>> Node::Generate(int count, const Bytes& coinbase_script) {
  std::vector<BlockHash> hashes;
  for (int i = 0; i < count; ++i) {
    std::vector<Bytes> transactions;
    int64_t fees = 0;
    for (const MempoolEntry* entry : mempool_.Entries()) {
      transactions.push_back(entry->raw);
      fees += entry->fee;
    }
    ASSIGN_OR_RETURN(BlockHash hash, MineBlockWith(std::move(transactions), fees, coinbase_script));
    hashes.push_back(hash);
  }
  return hashes;
}

std::variant<TxId, RejectReason> Node::SubmitTransaction(Bytes raw, int64_t max_fee_rate_per_kvb) {
  auto accepted = mempool_.Accept(std::move(raw), *chain_, Now(), max_fee_rate_per_kvb);
  if (auto* reason = std::get_if<RejectReason>(&accepted)) return *reason;
  const MempoolEntry* entry = std::get<const MempoolEntry*>(accepted);
  if (notifier_) {
    notifier_->Transaction(entry->tx.txid, entry->tx.raw);
    notifier_->MempoolAdded(entry->tx.txid, mempool_.sequence());
  }
  return entry->tx.txid;
}

absl::Status Node::InvalidateBlock(const BlockHash& hash) {
  ASSIGN_OR_RETURN(ChainChange change, chain_->InvalidateBlock(hash));
  RETURN_IF_ERROR(Persist(StoreRecord::kInvalidate, hash.span()).status());
  Publish(change);
  return absl::OkStatus();
}

absl::Status Node::ReconsiderBlock(const BlockHash& hash) {
  ASSIGN_OR_RETURN(ChainChange change, chain_->ReconsiderBlock(hash));
  RETURN_IF_ERROR(Persist(StoreRecord::kReconsider, hash.span()).status());
  Publish(change);
  return absl::OkStatus();
}

}  // namespace electrum::simnode
