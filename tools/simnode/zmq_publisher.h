// Bitcoin Core's ZMQ notifications: per topic a PUB socket (topics that share
// an address share a socket), three-part messages [topic, body, sequence]
// where the sequence is a little-endian uint32 counted per topic. Hashes in
// bodies are in display (reversed) byte order, as Core sends them.
#ifndef ELECTRUM_TOOLS_SIMNODE_ZMQ_PUBLISHER_H_
#define ELECTRUM_TOOLS_SIMNODE_ZMQ_PUBLISHER_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "tools/simnode/notifier.h"

namespace electrum::simnode {

class ZmqPublisher : public Notifier {
 public:
  // `addresses`: topic ("hashblock", "rawblock", "hashtx", "rawtx",
  // "sequence") -> endpoint such as "tcp://127.0.0.1:28332".
  static absl::StatusOr<std::unique_ptr<ZmqPublisher>> Create(
      const std::map<std::string, std::string>& addresses);
  ~ZmqPublisher() override;

  void Transaction(const chain::TxId& txid, chain::ByteSpan raw) override;
  void Tip(const chain::BlockHash& hash, chain::ByteSpan raw) override;
  void BlockConnected(const chain::BlockHash& hash) override;
  void BlockDisconnected(const chain::BlockHash& hash) override;
  void MempoolAdded(const chain::TxId& txid, uint64_t mempool_sequence) override;
  void MempoolRemoved(const chain::TxId& txid, uint64_t mempool_sequence) override;

 private:
  struct Impl;
  explicit ZmqPublisher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace electrum::simnode

#endif  // ELECTRUM_TOOLS_SIMNODE_ZMQ_PUBLISHER_H_
