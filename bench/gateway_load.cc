// Load client for the gateway benchmarks, over real TCP (Electrum protocol):
//   --mode=throughput  C connections each keeping W requests in flight for
//                      --seconds; prints replies per second.
//   --mode=latency     one connection, one request at a time; p50/p99.
//   --mode=sessions    opens N negotiated sessions and holds them until
//                      stdin closes (the driver measures the gateway's RSS).
//   --mode=notify      N sessions subscribed to headers; prints "ready",
//                      then reports when each got its first notification
//                      (CLOCK_MONOTONIC ns, comparable with the driver's).
// Prints one JSON object on stdout.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "boost/asio/connect.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/read_until.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/streambuf.hpp"
#include "boost/asio/write.hpp"
#include "nlohmann/json.hpp"

ABSL_FLAG(std::string, mode, "throughput", "throughput | latency | sessions | notify");
ABSL_FLAG(int, port, 50001, "Gateway TCP port");
ABSL_FLAG(int, connections, 4, "Connections (throughput) or sessions (sessions, notify)");
ABSL_FLAG(int, window, 64, "Requests in flight per connection (throughput)");
ABSL_FLAG(double, seconds, 5, "Duration (throughput)");
ABSL_FLAG(int, requests, 2000, "Requests (latency)");
ABSL_FLAG(std::string, request,
          R"({"jsonrpc":"2.0","id":1,"method":"blockchain.block.header","params":[5]})",
          "The request sent (one line)");
ABSL_FLAG(double, notify_timeout_s, 30, "How long to wait for notifications");

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

const std::string kVersion =
    R"({"jsonrpc":"2.0","id":0,"method":"server.version","params":["bench",["1.4","1.6"]]})"
    "\n";

tcp::socket Connect(asio::io_context& io) {
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"),
                               static_cast<uint16_t>(absl::GetFlag(FLAGS_port))));
  socket.set_option(tcp::no_delay(true));
  return socket;
}

void Negotiate(tcp::socket& socket, asio::streambuf& buffer) {
  asio::write(socket, asio::buffer(kVersion));
  asio::read_until(socket, buffer, '\n');
  buffer.consume(buffer.size());
}

struct Connection {
  tcp::socket socket;
  std::vector<char> incoming = std::vector<char>(1 << 16);
  std::string outgoing;
  int64_t replies = 0;
};

nlohmann::json Throughput() {
  asio::io_context io;
  const std::string line = absl::GetFlag(FLAGS_request) + "\n";
  const int window = absl::GetFlag(FLAGS_window);
  std::vector<std::unique_ptr<Connection>> connections;
  for (int i = 0; i < absl::GetFlag(FLAGS_connections); ++i) {
    auto connection = std::make_unique<Connection>(Connection{Connect(io)});
    asio::streambuf buffer;
    Negotiate(connection->socket, buffer);
    connections.push_back(std::move(connection));
  }
  bool running = true;
  int64_t measured_replies = 0;
  // Each reply read lets one more request go out, keeping `window` in flight.
  std::function<void(Connection&)> read_more = [&](Connection& connection) {
    Connection* pointer = &connection;
    connection.socket.async_read_some(
        asio::buffer(connection.incoming), [&, pointer](boost::system::error_code error, size_t n) {
          Connection& c = *pointer;
          if (error) return;
          const int64_t lines = std::count(c.incoming.begin(), c.incoming.begin() + n, '\n');
          c.replies += lines;
          if (running) measured_replies += lines;
          if (!running) return;
          auto more = std::make_shared<std::string>();
          for (int64_t i = 0; i < lines; ++i) *more += line;
          asio::async_write(c.socket, asio::buffer(*more), [more](auto, auto) {});
          read_more(c);
        });
  };
  std::string first;
  for (int i = 0; i < window; ++i) first += line;
  for (auto& connection : connections) {
    asio::write(connection->socket, asio::buffer(first));
    read_more(*connection);
  }
  asio::steady_timer warmup(io, std::chrono::milliseconds(500));
  Clock::time_point started;
  asio::steady_timer finish(io);
  warmup.async_wait([&](auto) {
    measured_replies = 0;
    started = Clock::now();
    finish.expires_after(std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(absl::GetFlag(FLAGS_seconds))));
    finish.async_wait([&](auto) {
      running = false;
      for (auto& connection : connections) connection->socket.close();
    });
  });
  io.run();
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return {{"replies", measured_replies},
          {"seconds", seconds},
          {"requests_per_second", static_cast<double>(measured_replies) / seconds}};
}

nlohmann::json Latency() {
  asio::io_context io;
  tcp::socket socket = Connect(io);
  asio::streambuf buffer;
  Negotiate(socket, buffer);
  const std::string line = absl::GetFlag(FLAGS_request) + "\n";
  std::vector<double> micros;
  const int requests = absl::GetFlag(FLAGS_requests);
  size_t reply_bytes = 0;
  for (int i = 0; i < requests + 100; ++i) {
    const auto begin = Clock::now();
    asio::write(socket, asio::buffer(line));
    const size_t n = asio::read_until(socket, buffer, '\n');
    const auto end = Clock::now();
    reply_bytes = n;
    buffer.consume(n);
    if (i >= 100) micros.push_back(std::chrono::duration<double, std::micro>(end - begin).count());
  }
  std::sort(micros.begin(), micros.end());
  auto at = [&](double q) { return micros[static_cast<size_t>(q * (micros.size() - 1))]; };
  return {{"requests", requests},
          {"reply_bytes", reply_bytes},
          {"p50_us", at(0.5)},
          {"p90_us", at(0.9)},
          {"p99_us", at(0.99)}};
}

nlohmann::json Sessions() {
  asio::io_context io;
  std::vector<tcp::socket> sockets;
  asio::streambuf buffer;
  for (int i = 0; i < absl::GetFlag(FLAGS_connections); ++i) {
    sockets.push_back(Connect(io));
    Negotiate(sockets.back(), buffer);
  }
  std::cout << "ready" << std::endl;
  std::string ignored;
  std::getline(std::cin, ignored);
  return {{"sessions", sockets.size()}};
}

int64_t MonotonicNanos() {
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<int64_t>(now.tv_sec) * 1000000000 + now.tv_nsec;
}

nlohmann::json Notify() {
  asio::io_context io;
  struct Subscriber {
    explicit Subscriber(tcp::socket s) : socket(std::move(s)) {}
    tcp::socket socket;
    asio::streambuf buffer;
    int64_t notified_ns = 0;
  };
  const std::string subscribe =
      R"({"jsonrpc":"2.0","id":1,"method":"blockchain.headers.subscribe","params":[]})"
      "\n";
  std::vector<std::unique_ptr<Subscriber>> subscribers;
  for (int i = 0; i < absl::GetFlag(FLAGS_connections); ++i) {
    auto subscriber = std::make_unique<Subscriber>(Connect(io));
    Negotiate(subscriber->socket, subscriber->buffer);
    asio::write(subscriber->socket, asio::buffer(subscribe));
    const size_t n = asio::read_until(subscriber->socket, subscriber->buffer, '\n');
    subscriber->buffer.consume(n);
    subscribers.push_back(std::move(subscriber));
  }
  int remaining = static_cast<int>(subscribers.size());
  for (auto& subscriber : subscribers) {
    Subscriber& s = *subscriber;
    asio::async_read_until(s.socket, s.buffer, '\n', [&](boost::system::error_code error, size_t) {
      if (!error) s.notified_ns = MonotonicNanos();
      if (--remaining == 0) io.stop();
    });
  }
  asio::steady_timer timeout(
      io, std::chrono::duration_cast<Clock::duration>(
              std::chrono::duration<double>(absl::GetFlag(FLAGS_notify_timeout_s))));
  timeout.async_wait([&](boost::system::error_code error) {
    if (!error) io.stop();
  });
  std::cout << "ready" << std::endl;
  io.run();
  int64_t first = 0, last = 0, notified = 0;
  for (const auto& subscriber : subscribers) {
    if (subscriber->notified_ns == 0) continue;
    ++notified;
    first = first == 0 ? subscriber->notified_ns : std::min(first, subscriber->notified_ns);
    last = std::max(last, subscriber->notified_ns);
  }
  return {{"sessions", subscribers.size()},
          {"notified", notified},
          {"first_notified_ns", first},
          {"last_notified_ns", last}};
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string mode = absl::GetFlag(FLAGS_mode);
  nlohmann::json result;
  if (mode == "throughput") {
    result = Throughput();
  } else if (mode == "latency") {
    result = Latency();
  } else if (mode == "sessions") {
    result = Sessions();
  } else if (mode == "notify") {
    result = Notify();
  } else {
    std::cerr << "unknown --mode " << mode << "\n";
    return 2;
  }
  std::cout << result.dump() << std::endl;
  return 0;
}
