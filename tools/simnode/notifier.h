// What simnode announces as its chain and mempool change (ZMQ in the real
// node; tests can record it).
#ifndef ELECTRUM_TOOLS_SIMNODE_NOTIFIER_H_
#define ELECTRUM_TOOLS_SIMNODE_NOTIFIER_H_

#include <cstdint>

#include "common/chain/bytes.h"
#include "common/chain/hash_types.h"

namespace electrum::simnode {

class Notifier {
 public:
  virtual ~Notifier() = default;
  // hashtx / rawtx: a transaction entered the mempool or a connected block.
  virtual void Transaction(const chain::TxId& txid, chain::ByteSpan raw) = 0;
  // hashblock / rawblock: the new tip.
  virtual void Tip(const chain::BlockHash& hash, chain::ByteSpan raw) = 0;
  // sequence: 'C' block connected, 'D' disconnected.
  virtual void BlockConnected(const chain::BlockHash& hash) = 0;
  virtual void BlockDisconnected(const chain::BlockHash& hash) = 0;
  // sequence: 'A' added to / 'R' removed from the mempool, with the mempool
  // sequence number after the change.
  virtual void MempoolAdded(const chain::TxId& txid, uint64_t mempool_sequence) = 0;
  virtual void MempoolRemoved(const chain::TxId& txid, uint64_t mempool_sequence) = 0;
};

}  // namespace electrum::simnode

#endif  // ELECTRUM_TOOLS_SIMNODE_NOTIFIER_H_
