// Receives the node's ZMQ `sequence` messages into SequenceEvents. With no
// endpoint configured it only sleeps (the mirror then polls with full
// passes).
#ifndef ELECTRUM_SERVICES_MEMPOOL_SEQUENCE_SUBSCRIBER_H_
#define ELECTRUM_SERVICES_MEMPOOL_SEQUENCE_SUBSCRIBER_H_

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

#include "services/mempool/sequence_events.h"
#include "zmq.hpp"

namespace electrum::mempool {

class SequenceSubscriber {
 public:
  explicit SequenceSubscriber(const std::string& endpoint);

  bool connected() const { return socket_.has_value(); }

  // Waits up to `interval` for messages (returns soon after the first one,
  // having taken everything queued) and adds them to `events`. A malformed
  // message asks `events` for a full resync.
  void Wait(std::chrono::milliseconds interval, const std::atomic<bool>& stop,
            SequenceEvents& events);

 private:
  void Drain(SequenceEvents& events);

  zmq::context_t context_;
  std::optional<zmq::socket_t> socket_;
};

}  // namespace electrum::mempool

#endif  // ELECTRUM_SERVICES_MEMPOOL_SEQUENCE_SUBSCRIBER_H_
