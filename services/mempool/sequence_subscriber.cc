#include "services/mempool/sequence_subscriber.h"

#include <vector>

#include "services/common/serve.h"
#include "spdlog/spdlog.h"

namespace electrum::mempool {

SequenceSubscriber::SequenceSubscriber(const std::string& endpoint) {
  if (endpoint.empty()) return;
  socket_.emplace(context_, zmq::socket_type::sub);
  socket_->set(zmq::sockopt::subscribe, "sequence");
  socket_->set(zmq::sockopt::linger, 0);
  socket_->connect(endpoint);
}

void SequenceSubscriber::Drain(SequenceEvents& events) {
  while (true) {
    // [topic, body, 4-byte message counter]
    std::vector<zmq::message_t> parts;
    zmq::message_t part;
    if (!socket_->recv(part, zmq::recv_flags::dontwait)) return;
    parts.push_back(std::move(part));
    while (parts.back().more()) {
      zmq::message_t next;
      if (!socket_->recv(next, zmq::recv_flags::none)) break;
      parts.push_back(std::move(next));
    }
    if (parts.size() < 2) continue;
    auto event = ParseSequenceEvent(
        chain::ByteSpan(static_cast<const uint8_t*>(parts[1].data()), parts[1].size()));
    if (!event.ok()) {
      spdlog::warn("node ZMQ sequence: {}; resyncing the whole mempool", event.status().ToString());
      events.Add(SequenceEvent{.kind = SequenceEvent::Kind::kBlockConnected});
      continue;
    }
    events.Add(*event);
  }
}

void SequenceSubscriber::Wait(std::chrono::milliseconds interval, const std::atomic<bool>& stop,
                              SequenceEvents& events) {
  if (!socket_) {
    services::SleepUnlessStopped(stop, interval);
    return;
  }
  zmq::pollitem_t item{socket_->handle(), 0, ZMQ_POLLIN, 0};
  try {
    if (zmq::poll(&item, 1, interval) > 0) Drain(events);
  } catch (const zmq::error_t&) {
    // Interrupted by a signal: the caller's loop checks `stop`.
  }
}

}  // namespace electrum::mempool
