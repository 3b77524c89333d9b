// Load client for the gateway benchmarks, over real TCP (Electrum protocol):
//   --mode=throughput  C connections each keeping W requests in flight for
//                      --seconds; prints replies per second. With
//                      --requests_file the lines are sent in turn, and with
//                      --once each line once (the run ends when all are
//                      answered): a cold pass over many script hashes.
//   --mode=latency     one connection, one request at a time; p50/p99.
//   --mode=wallet      a wallet sync, see WalletSync().
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
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "boost/asio/buffers_iterator.hpp"
#include "boost/asio/co_spawn.hpp"
#include "boost/asio/connect.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/read_until.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/streambuf.hpp"
#include "boost/asio/use_awaitable.hpp"
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
ABSL_FLAG(std::string, requests_file, "",
          "Requests sent in turn, one per line (instead of --request)");
ABSL_FLAG(bool, once, false, "Throughput: send each line of --requests_file once, then stop");
ABSL_FLAG(double, notify_timeout_s, 30, "How long to wait for notifications");
ABSL_FLAG(std::string, scripthashes_file, "",
          "Wallet: one '<script hash hex> <1 if used, 0 if not>' per line, 20 per session");

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

// The request lines (newline-terminated) the modes send in turn.
std::vector<std::string> RequestLines() {
  std::vector<std::string> lines;
  const std::string path = absl::GetFlag(FLAGS_requests_file);
  if (path.empty()) {
    lines.push_back(absl::GetFlag(FLAGS_request) + "\n");
    return lines;
  }
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line + "\n");
  }
  if (lines.empty()) {
    std::cerr << "no requests in " << path << "\n";
    std::exit(2);
  }
  return lines;
}

struct Connection {
  tcp::socket socket;
  std::vector<char> incoming = std::vector<char>(1 << 16);
  std::string partial;  // a reply not yet complete
  int64_t replies = 0;
  int64_t errors = 0;
  size_t next = 0;  // the next line to send (without --once)
};

// Counts the complete replies in `chunk` and those that are errors.
int64_t CountReplies(Connection& connection, std::string_view chunk) {
  int64_t lines = 0;
  size_t start = 0;
  for (size_t newline; (newline = chunk.find('\n', start)) != std::string_view::npos;
       start = newline + 1) {
    connection.partial.append(chunk.substr(start, newline - start));
    if (connection.partial.find("\"error\":{") != std::string::npos) ++connection.errors;
    connection.partial.clear();
    ++lines;
  }
  connection.partial.append(chunk.substr(start));
  return lines;
}

nlohmann::json Throughput() {
  asio::io_context io;
  const std::vector<std::string> lines = RequestLines();
  const bool once = absl::GetFlag(FLAGS_once);
  const int window = absl::GetFlag(FLAGS_window);
  std::vector<std::unique_ptr<Connection>> connections;
  for (int i = 0; i < absl::GetFlag(FLAGS_connections); ++i) {
    auto connection = std::make_unique<Connection>(Connection{Connect(io)});
    connection->next = lines.size() * i / absl::GetFlag(FLAGS_connections);
    asio::streambuf buffer;
    Negotiate(connection->socket, buffer);
    connections.push_back(std::move(connection));
  }
  bool running = true;
  int64_t measured_replies = 0;
  size_t sent_once = 0;  // lines handed out (with --once)
  int64_t outstanding = 0;
  // Appends up to `count` requests for `c`; false when --once ran out.
  auto take = [&](Connection& c, int64_t count, std::string& out) {
    for (int64_t i = 0; i < count; ++i) {
      if (once) {
        if (sent_once == lines.size()) return;
        out += lines[sent_once++];
      } else {
        out += lines[c.next];
        c.next = (c.next + 1) % lines.size();
      }
      ++outstanding;
    }
  };
  asio::steady_timer warmup(io);
  asio::steady_timer finish(io);
  auto stop = [&] {
    running = false;
    warmup.cancel();
    finish.cancel();
    for (auto& connection : connections) connection->socket.close();
  };
  // Each reply read lets one more request go out, keeping `window` in flight.
  std::function<void(Connection&)> read_more = [&](Connection& connection) {
    Connection* pointer = &connection;
    connection.socket.async_read_some(
        asio::buffer(connection.incoming), [&, pointer](boost::system::error_code error, size_t n) {
          Connection& c = *pointer;
          if (error) return;
          const int64_t replies = CountReplies(c, std::string_view(c.incoming.data(), n));
          c.replies += replies;
          outstanding -= replies;
          if (running) measured_replies += replies;
          if (!running) return;
          auto more = std::make_shared<std::string>();
          take(c, replies, *more);
          if (once && outstanding == 0) return stop();
          if (!more->empty())
            asio::async_write(c.socket, asio::buffer(*more), [more](auto, auto) {});
          read_more(c);
        });
  };
  for (auto& connection : connections) {
    std::string first;
    take(*connection, window, first);
    asio::write(connection->socket, asio::buffer(first));
    read_more(*connection);
  }
  // A pass over distinct requests is measured from the start; repeated
  // requests after a warm-up.
  warmup.expires_after(std::chrono::milliseconds(once ? 0 : 500));
  Clock::time_point started = Clock::now();
  warmup.async_wait([&](boost::system::error_code error) {
    if (error) return;
    if (!once) {
      measured_replies = 0;
      for (auto& connection : connections) connection->errors = 0;
      started = Clock::now();
    }
    finish.expires_after(std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(absl::GetFlag(FLAGS_seconds))));
    finish.async_wait([&](boost::system::error_code error) {
      if (!error && running) stop();
    });
  });
  io.run();
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  int64_t errors = 0;
  for (const auto& connection : connections) errors += connection->errors;
  return {{"replies", measured_replies},
          {"errors", errors},
          {"seconds", seconds},
          {"requests_per_second", static_cast<double>(measured_replies) / seconds}};
}

nlohmann::json Latency() {
  asio::io_context io;
  tcp::socket socket = Connect(io);
  asio::streambuf buffer;
  Negotiate(socket, buffer);
  const std::vector<std::string> lines = RequestLines();
  std::vector<double> micros;
  const int requests = absl::GetFlag(FLAGS_requests);
  size_t reply_bytes = 0;
  for (int i = 0; i < requests + 100; ++i) {
    const auto begin = Clock::now();
    asio::write(socket, asio::buffer(lines[i % lines.size()]));
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

// The requests of one wallet's sync: after server.version it subscribes its
// 20 script hashes, then asks the used ones' histories and unspent outputs,
// each step pipelined (as Electrum does). Reads until `replies` answers
// (lines with an id; notifications are skipped), counting errors.
asio::awaitable<void> ReadReplies(tcp::socket& socket, asio::streambuf& buffer, int replies,
                                  int64_t& errors) {
  while (replies > 0) {
    const size_t n = co_await asio::async_read_until(socket, buffer, '\n', asio::use_awaitable);
    std::string line(asio::buffers_begin(buffer.data()), asio::buffers_begin(buffer.data()) + n);
    buffer.consume(n);
    if (line.find("\"id\":") == std::string::npos) continue;
    if (line.find("\"error\":{") != std::string::npos) ++errors;
    --replies;
  }
}

struct WalletScriptHash {
  std::string hex;
  bool used = false;
};

asio::awaitable<void> SyncWallet(asio::io_context& io, std::vector<WalletScriptHash> hashes,
                                 std::vector<tcp::socket>& open, int64_t& errors, int& remaining) {
  tcp::socket socket(io);
  co_await socket.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"),
                                              static_cast<uint16_t>(absl::GetFlag(FLAGS_port))),
                                asio::use_awaitable);
  socket.set_option(tcp::no_delay(true));
  asio::streambuf buffer;
  auto call = [](int id, const std::string& method, const std::string& hex) {
    return absl::StrCat(R"({"jsonrpc":"2.0","id":)", id, R"(,"method":")", method,
                        R"(","params":[")", hex, "\"]}\n");
  };
  std::string subscribe = kVersion;
  for (size_t i = 0; i < hashes.size(); ++i) {
    subscribe += call(i + 1, "blockchain.scripthash.subscribe", hashes[i].hex);
  }
  co_await asio::async_write(socket, asio::buffer(subscribe), asio::use_awaitable);
  co_await ReadReplies(socket, buffer, hashes.size() + 1, errors);
  std::string queries;
  int asked = 0;
  for (const WalletScriptHash& hash : hashes) {
    if (!hash.used) continue;
    queries += call(100 + asked++, "blockchain.scripthash.get_history", hash.hex);
    queries += call(100 + asked++, "blockchain.scripthash.listunspent", hash.hex);
  }
  co_await asio::async_write(socket, asio::buffer(queries), asio::use_awaitable);
  co_await ReadReplies(socket, buffer, asked, errors);
  open.push_back(std::move(socket));  // held until the driver has measured
  if (--remaining == 0) io.stop();
}

// --connections wallets sync at once; prints the time until the last is
// done, then holds the sessions until stdin closes.
nlohmann::json WalletSync() {
  std::vector<WalletScriptHash> all;
  std::ifstream in(absl::GetFlag(FLAGS_scripthashes_file));
  for (WalletScriptHash hash; in >> hash.hex >> hash.used;) all.push_back(hash);
  const int wallets = absl::GetFlag(FLAGS_connections);
  if (all.size() < static_cast<size_t>(wallets) * 20) {
    std::cerr << "--scripthashes_file has " << all.size() << " lines, need " << wallets * 20
              << "\n";
    std::exit(2);
  }
  asio::io_context io;
  std::vector<tcp::socket> open;
  int64_t errors = 0;
  int remaining = wallets;
  const auto started = Clock::now();
  for (int w = 0; w < wallets; ++w) {
    std::vector<WalletScriptHash> hashes(all.begin() + w * 20, all.begin() + w * 20 + 20);
    asio::co_spawn(io, SyncWallet(io, std::move(hashes), open, errors, remaining),
                   [](std::exception_ptr failure) {
                     if (failure) std::rethrow_exception(failure);
                   });
  }
  io.run();
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  std::cout << nlohmann::json{{"wallets", wallets}, {"errors", errors}, {"seconds", seconds}}.dump()
            << std::endl;
  std::string ignored;
  std::getline(std::cin, ignored);
  return {{"closed", open.size()}};
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
  } else if (mode == "wallet") {
    result = WalletSync();
  } else {
    std::cerr << "unknown --mode " << mode << "\n";
    return 2;
  }
  std::cout << result.dump() << std::endl;
  return 0;
}
