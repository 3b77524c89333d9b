// Waits for the next node announcement on a ZMQ topic (hashblock,
// sequence, ...) or a poll interval, whichever comes first; with no endpoint
// it just sleeps the interval. Writer loops use it between passes.
#ifndef ELECTRUM_SERVICES_COMMON_ZMQ_WAKEUP_H_
#define ELECTRUM_SERVICES_COMMON_ZMQ_WAKEUP_H_

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

#include "zmq.hpp"

namespace electrum::services {

class ZmqWakeup {
 public:
  // `endpoint` empty: polling only.
  ZmqWakeup(const std::string& endpoint, const std::string& topic);

  // Returns after a message (everything queued is drained: one pass covers
  // them all), after `interval`, or soon after `stop` is set.
  void Wait(std::chrono::milliseconds interval, const std::atomic<bool>& stop);

 private:
  zmq::context_t context_;
  std::optional<zmq::socket_t> socket_;
};

}  // namespace electrum::services

#endif  // ELECTRUM_SERVICES_COMMON_ZMQ_WAKEUP_H_
