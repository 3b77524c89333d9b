#include "tools/simnode/zmq_publisher.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "zmq.hpp"

namespace electrum::simnode {
namespace {

chain::Bytes Reversed(const std::array<uint8_t, 32>& internal) {
  return chain::Bytes(internal.rbegin(), internal.rend());
}

}  // namespace

struct ZmqPublisher::Impl {
  zmq::context_t context{1};
  // Endpoint -> socket; topic -> endpoint.
  std::map<std::string, std::unique_ptr<zmq::socket_t>> sockets;
  std::map<std::string, std::string> topics;
  std::map<std::string, uint32_t> sequences;

  void Send(const std::string& topic, chain::ByteSpan body) {
    auto found = topics.find(topic);
    if (found == topics.end()) return;
    zmq::socket_t& socket = *sockets.at(found->second);
    uint32_t sequence = sequences[topic]++;
    uint8_t sequence_bytes[4] = {
        static_cast<uint8_t>(sequence), static_cast<uint8_t>(sequence >> 8),
        static_cast<uint8_t>(sequence >> 16), static_cast<uint8_t>(sequence >> 24)};
    // A PUB socket never blocks: past the high-water mark it drops whole
    // messages for that subscriber, so the three parts go out together.
    socket.send(zmq::buffer(topic), zmq::send_flags::sndmore);
    socket.send(zmq::buffer(body.data(), body.size()), zmq::send_flags::sndmore);
    socket.send(zmq::buffer(sequence_bytes, 4), zmq::send_flags::none);
  }

  void SendSequence(const std::array<uint8_t, 32>& hash, char label,
                    std::optional<uint64_t> mempool_sequence) {
    chain::Bytes body = Reversed(hash);
    body.push_back(static_cast<uint8_t>(label));
    if (mempool_sequence) {
      for (int i = 0; i < 8; ++i)
        body.push_back(static_cast<uint8_t>(*mempool_sequence >> (8 * i)));
    }
    Send("sequence", body);
  }
};

absl::StatusOr<std::unique_ptr<ZmqPublisher>> ZmqPublisher::Create(
    const std::map<std::string, std::string>& addresses) {
  auto impl = std::make_unique<Impl>();
  static const char* const kTopics[] = {"hashblock", "rawblock", "hashtx", "rawtx", "sequence"};
  for (const auto& [topic, address] : addresses) {
    if (std::find_if(std::begin(kTopics), std::end(kTopics),
                     [&](const char* known) { return topic == known; }) == std::end(kTopics)) {
      return absl::InvalidArgumentError("unknown ZMQ topic " + topic);
    }
    impl->topics[topic] = address;
    if (impl->sockets.contains(address)) continue;
    auto socket = std::make_unique<zmq::socket_t>(impl->context, zmq::socket_type::pub);
    socket->set(zmq::sockopt::sndhwm, 1000);
    socket->set(zmq::sockopt::linger, 0);
    try {
      socket->bind(address);
    } catch (const zmq::error_t& error) {
      return absl::UnavailableError(absl::StrCat("cannot bind ZMQ ", address, ": ", error.what()));
    }
    impl->sockets[address] = std::move(socket);
  }
  return std::unique_ptr<ZmqPublisher>(new ZmqPublisher(std::move(impl)));
}

ZmqPublisher::ZmqPublisher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ZmqPublisher::~ZmqPublisher() = default;

void ZmqPublisher::Transaction(const chain::TxId& txid, chain::ByteSpan raw) {
  impl_->Send("hashtx", Reversed(txid.internal()));
  impl_->Send("rawtx", raw);
}

void ZmqPublisher::Tip(const chain::BlockHash& hash, chain::ByteSpan raw) {
  impl_->Send("hashblock", Reversed(hash.internal()));
  impl_->Send("rawblock", raw);
}

void ZmqPublisher::BlockConnected(const chain::BlockHash& hash) {
  impl_->SendSequence(hash.internal(), 'C', std::nullopt);
}

void ZmqPublisher::BlockDisconnected(const chain::BlockHash& hash) {
  impl_->SendSequence(hash.internal(), 'D', std::nullopt);
}

void ZmqPublisher::MempoolAdded(const chain::TxId& txid, uint64_t mempool_sequence) {
  impl_->SendSequence(txid.internal(), 'A', mempool_sequence);
}

void ZmqPublisher::MempoolRemoved(const chain::TxId& txid, uint64_t mempool_sequence) {
  impl_->SendSequence(txid.internal(), 'R', mempool_sequence);
}

}  // namespace electrum::simnode
