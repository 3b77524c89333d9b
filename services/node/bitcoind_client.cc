#include "services/node/bitcoind_client.h"

#include <fstream>
#include <optional>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "common/crypto/base64.h"
#include "common/crypto/hex.h"
#include "services/node/plain_string_result.h"

namespace electrum::node {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

absl::StatusCode CodeForRpcError(int code) {
  switch (code) {
    case -5:
      return absl::StatusCode::kNotFound;
    case -3:
    case -8:
    case -32602:
      return absl::StatusCode::kInvalidArgument;
    case -28:
      return absl::StatusCode::kUnavailable;
    case -25:
    case -26:
    case -27:
      return absl::StatusCode::kFailedPrecondition;
    default:
      return absl::StatusCode::kInternal;
  }
}

}  // namespace

struct BitcoindClient::Connection {
  asio::io_context io;
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;

  // Runs one asynchronous operation to its end. The stream's expiry
  // (expires_after) bounds only asynchronous operations: a synchronous
  // read from a node that accepted and never answered waited forever.
  template <typename Start>
  beast::error_code Run(Start start) {
    beast::error_code result;
    start([&result](beast::error_code error, auto&&...) { result = error; });
    io.restart();
    io.run();
    return result;
  }
};

BitcoindClient::BitcoindClient(BitcoindOptions options) : options_(std::move(options)) {}
BitcoindClient::~BitcoindClient() = default;

absl::StatusOr<nlohmann::json> BitcoindClient::Call(const std::string& method,
                                                    const nlohmann::json& params) {
  absl::StatusOr<Reply> reply = Post(method, params);
  if (!reply.ok()) return reply.status();
  return ResultOf(method, *reply);
}

absl::StatusOr<BitcoindClient::Reply> BitcoindClient::Post(const std::string& method,
                                                           const nlohmann::json& params) {
  const std::string where = absl::StrCat(options_.host, ":", options_.port);
  std::string credentials = absl::StrCat(options_.user, ":", options_.password);
  if (!options_.cookie_file.empty()) {
    std::ifstream cookie(options_.cookie_file);
    if (!std::getline(cookie, credentials)) {
      return absl::UnavailableError(
          absl::StrCat("node cookie file ", options_.cookie_file, " is not readable (yet)"));
    }
  }
  http::request<http::string_body> request(http::verb::post, "/", 11);
  request.set(http::field::host, options_.host);
  request.set(http::field::authorization, "Basic " + Base64Encode(credentials));
  request.set(http::field::content_type, "application/json");
  request.keep_alive(true);
  request.body() =
      nlohmann::json{{"jsonrpc", "1.0"}, {"id", next_id_++}, {"method", method}, {"params", params}}
          .dump();
  request.prepare_payload();

  std::optional<http::response_parser<http::string_body>> parser;
  beast::error_code error;
  // One retry on a fresh connection: a kept-alive socket may have been closed
  // by the node since the last call.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (connection_ == nullptr) {
      connection_ = std::make_unique<Connection>();
      connection_->stream.expires_after(options_.timeout);
      asio::ip::tcp::resolver resolver(connection_->io);
      auto endpoints = resolver.resolve(options_.host, std::to_string(options_.port), error);
      if (!error) {
        error = connection_->Run(
            [&](auto handler) { connection_->stream.async_connect(endpoints, handler); });
      }
      if (error) {
        connection_.reset();
        return absl::UnavailableError(
            absl::StrCat("node unreachable at ", where, ": ", error.message()));
      }
    }
    connection_->stream.expires_after(options_.timeout);
    error = connection_->Run(
        [&](auto handler) { http::async_write(connection_->stream, request, handler); });
    if (!error) {
      parser.emplace();
      parser->body_limit(options_.max_response_bytes);
      error = connection_->Run([&](auto handler) {
        http::async_read(connection_->stream, connection_->buffer, *parser, handler);
      });
    }
    if (!error) break;
    connection_.reset();
    // A node that does not answer in time is not asked again: that would
    // double the wait.
    if (error == beast::error::timeout) {
      return absl::UnavailableError(absl::StrCat("node at ", where, " did not answer ", method,
                                                 " within ", options_.timeout.count(), " ms"));
    }
    if (attempt == 1) {
      return absl::UnavailableError(
          absl::StrCat("node at ", where, " failed during ", method, ": ", error.message()));
    }
  }
  const auto& response = parser->get();
  if (!response.keep_alive()) connection_.reset();
  if (response.result() == http::status::unauthorized) {
    return absl::PermissionDeniedError(
        absl::StrCat("node at ", where, " refused the RPC credentials"));
  }
  const int http_status = response.result_int();
  return Reply{http_status, std::move(parser->release().body())};
}

absl::StatusOr<nlohmann::json> BitcoindClient::ResultOf(const std::string& method,
                                                        const Reply& raw) const {
  nlohmann::json reply = nlohmann::json::parse(raw.body, nullptr, false);
  if (reply.is_discarded() || !reply.is_object()) {
    return absl::InternalError(absl::StrCat("node at ", options_.host, ":", options_.port,
                                            " answered ", method, " with HTTP ", raw.http_status,
                                            " and no JSON-RPC reply"));
  }
  if (reply.contains("error") && !reply["error"].is_null()) {
    const auto& rpc_error = reply["error"];
    const int code = rpc_error.value("code", 0);
    const std::string message = rpc_error.value("message", "");
    absl::Status status(CodeForRpcError(code),
                        absl::StrCat("node: ", message, " (", method, ", code ", code, ")"));
    status.SetPayload(kNodeMessagePayload, absl::Cord(message));
    return status;
  }
  return reply["result"];
}

std::optional<std::string> NodeRpcMessage(const absl::Status& status) {
  auto message = status.GetPayload(kNodeMessagePayload);
  if (!message) return std::nullopt;
  return std::string(*message);
}

absl::StatusOr<int32_t> BitcoindClient::GetBlockCount() {
  absl::StatusOr<nlohmann::json> result = Call("getblockcount", nlohmann::json::array());
  if (!result.ok()) return result.status();
  if (!result->is_number_integer()) return absl::InternalError("getblockcount: not a number");
  return result->get<int32_t>();
}

absl::StatusOr<chain::BlockHash> BitcoindClient::GetBlockHash(int32_t height) {
  absl::StatusOr<nlohmann::json> result = Call("getblockhash", {height});
  if (!result.ok()) return result.status();
  if (!result->is_string()) return absl::InternalError("getblockhash: not a string");
  return chain::BlockHash::FromDisplayHex(result->get<std::string>());
}

absl::StatusOr<chain::Bytes> BitcoindClient::GetBlock(const chain::BlockHash& hash) {
  const nlohmann::json params = {hash.ToDisplayHex(), 0};
  absl::StatusOr<Reply> reply = Post("getblock", params);
  if (!reply.ok()) return reply.status();
  // Megabytes of hex: taken straight from the reply when it is the usual one.
  if (std::optional<std::string_view> hex = HexStringResult(reply->body)) return FromHex(*hex);
  absl::StatusOr<nlohmann::json> result = ResultOf("getblock", *reply);
  if (!result.ok()) return result.status();
  if (!result->is_string()) return absl::InternalError("getblock: not a hex string");
  return FromHex(result->get<std::string>());
}

}  // namespace electrum::node
