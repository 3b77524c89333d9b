#include "storage/chain_index/packed_txids.h"

namespace electrum::storage {

std::vector<uint8_t> PackedTxids(const chain::Block& block) {
  std::vector<uint8_t> txids;
  txids.reserve(block.transactions.size() * chain::TxId::kSize);
  for (const chain::Transaction& tx : block.transactions) {
    txids.insert(txids.end(), tx.txid.span().begin(), tx.txid.span().end());
  }
  return txids;
}

}  // namespace electrum::storage
