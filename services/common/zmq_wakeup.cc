#include "services/common/zmq_wakeup.h"

#include "services/common/serve.h"

namespace electrum::services {

ZmqWakeup::ZmqWakeup(const std::string& endpoint, const std::string& topic) {
  if (endpoint.empty()) return;
  socket_.emplace(context_, zmq::socket_type::sub);
  socket_->set(zmq::sockopt::subscribe, topic);
  socket_->set(zmq::sockopt::linger, 0);
  socket_->connect(endpoint);
}

void ZmqWakeup::Wait(std::chrono::milliseconds interval, const std::atomic<bool>& stop) {
  if (!socket_) {
    SleepUnlessStopped(stop, interval);
    return;
  }
  zmq::pollitem_t item{socket_->handle(), 0, ZMQ_POLLIN, 0};
  try {
    if (zmq::poll(&item, 1, interval) > 0) {
      zmq::message_t part;
      while (socket_->recv(part, zmq::recv_flags::dontwait)) {
      }
    }
  } catch (const zmq::error_t&) {
    // Interrupted by a signal: the caller's loop checks `stop`.
  }
}

}  // namespace electrum::services
