#include "tools/simnode/json_rpc_envelope.h"

#include <optional>

#include "tools/simnode/reply_text.h"

namespace electrum::simnode {
namespace {

using nlohmann::json;

int HttpStatusFor(int code) {
  if (code == kRpcInvalidRequest) return 400;
  if (code == kRpcMethodNotFound) return 404;
  return 500;
}

json ErrorObject(const RpcError& error) {
  return {{"code", error.code}, {"message", error.message}};
}

struct SingleReply {
  // Nothing for a JSON-RPC 2.0 notification.
  std::optional<json> reply;
  int http_status = 200;
};

SingleReply HandleOne(const json& request, RpcDispatcher& dispatcher, bool warming_up) {
  if (!request.is_object()) {
    return {json{{"result", nullptr},
                 {"error", ErrorObject({kRpcInvalidRequest, "Invalid Request object"})},
                 {"id", nullptr}},
            400};
  }
  const json id = request.contains("id") ? request["id"] : json(nullptr);
  const bool v2 = request.value("jsonrpc", "") == "2.0";
  RpcOutcome outcome = RpcError{kRpcInvalidRequest, "Missing method"};
  if (request.contains("method")) {
    if (!request["method"].is_string()) {
      outcome = RpcError{kRpcInvalidRequest, "Method must be a string"};
    } else if (warming_up) {
      outcome = RpcError{kRpcInWarmup, "Loading block index…"};
    } else {
      outcome = dispatcher.Call(request["method"].get<std::string>(),
                                request.contains("params") ? request["params"] : json(nullptr));
    }
  }
  if (v2 && !request.contains("id")) return {std::nullopt, 200};
  json reply;
  int status = 200;
  if (auto* error = std::get_if<RpcError>(&outcome)) {
    if (v2) {
      reply = {{"jsonrpc", "2.0"}, {"error", ErrorObject(*error)}, {"id", id}};
    } else {
      reply = {{"result", nullptr}, {"error", ErrorObject(*error)}, {"id", id}};
      status = HttpStatusFor(error->code);
    }
  } else {
    // Moved in, not copied: a block in hex is megabytes.
    reply = v2 ? json{{"jsonrpc", "2.0"}, {"id", id}} : json{{"error", nullptr}, {"id", id}};
    reply["result"] = std::move(std::get<json>(outcome));
  }
  return {std::move(reply), status};
}

}  // namespace

HttpReply HandleJsonRpcBody(const std::string& body, RpcDispatcher& dispatcher, bool warming_up) {
  json request = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (request.is_discarded()) {
    return {500, json{{"result", nullptr},
                      {"error", ErrorObject({kRpcParseError, "Parse error"})},
                      {"id", nullptr}}
                     .dump(-1, ' ', false, json::error_handler_t::replace)};
  }
  if (request.is_array()) {
    json replies = json::array();
    for (const json& element : request) {
      SingleReply one = HandleOne(element, dispatcher, warming_up);
      if (one.reply) replies.push_back(std::move(*one.reply));
    }
    return {200, replies.dump(-1, ' ', false, json::error_handler_t::replace)};
  }
  SingleReply one = HandleOne(request, dispatcher, warming_up);
  if (!one.reply) return {204, ""};
  return {one.http_status, ReplyText(*one.reply)};
}

}  // namespace electrum::simnode
