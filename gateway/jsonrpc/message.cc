#include "gateway/jsonrpc/message.h"

#include "absl/strings/str_cat.h"
#include "gateway/jsonrpc/shown_value.h"

namespace electrum::gateway {
namespace {

using nlohmann::json;

Rejected Reject(json id, RpcErrorCode code, std::string message) {
  return Rejected{std::move(id), RpcError{code, std::move(message)}};
}

bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      ++i;
      continue;
    }
    size_t length = 0;
    uint32_t code = 0;
    if ((byte & 0xE0) == 0xC0) {
      length = 2;
      code = byte & 0x1F;
    } else if ((byte & 0xF0) == 0xE0) {
      length = 3;
      code = byte & 0x0F;
    } else if ((byte & 0xF8) == 0xF0) {
      length = 4;
      code = byte & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    static constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kSmallest[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

// Deepest array/object nesting, counted outside strings; stops counting
// once past `limit`.
int NestingDepth(std::string_view text, int limit) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

Dialect DialectOf(const json& object) {
  if (!object.is_object()) return Dialect::kLoose;
  auto it = object.find("jsonrpc");
  if (it != object.end() && *it == "2.0") return Dialect::kJsonRpc20;
  if (it != object.end() && *it == "1.0") return Dialect::kJsonRpc10;
  return Dialect::kLoose;
}

MessageItem ParseItem(json& value, Dialect dialect) {
  if (!value.is_object()) {
    return Reject(nullptr, RpcErrorCode::kInvalidRequest, "request object must be a dictionary");
  }
  json id = nullptr;
  if (auto it = value.find("id"); it != value.end()) {
    if (!it->is_null() && !it->is_string() && !it->is_number()) {
      return Reject(nullptr, RpcErrorCode::kInvalidRequest,
                    absl::StrCat("invalid \"id\": ", ShownJson(*it)));
    }
    id = std::move(*it);
  }
  if (dialect == Dialect::kJsonRpc20) {
    auto version = value.find("jsonrpc");
    if (version == value.end() || *version != "2.0") {
      return Reject(std::move(id), RpcErrorCode::kInvalidRequest, "\"jsonrpc\" is not \"2.0\"");
    }
  }
  auto method = value.find("method");
  if (method == value.end()) {
    return Reject(std::move(id), RpcErrorCode::kInvalidRequest, "request has no \"method\"");
  }
  if (!method->is_string()) {
    return Reject(std::move(id), RpcErrorCode::kMethodNotFound, "method must be a string");
  }
  json params = json::array();
  if (auto it = value.find("params"); it != value.end()) {
    const bool allowed = it->is_array() || (it->is_object() && dialect != Dialect::kJsonRpc10);
    if (!allowed) {
      return Reject(std::move(id), RpcErrorCode::kInvalidArgs,
                    absl::StrCat("invalid request arguments: ", ShownJson(*it)));
    }
    params = std::move(*it);
  }
  Call call;
  call.notification = id.is_null();
  call.id = std::move(id);
  call.method = method->get<std::string>();
  call.params = std::move(params);
  return call;
}

Message WholeRejected(RpcErrorCode code, std::string message) {
  Message rejected;
  rejected.items.push_back(Reject(nullptr, code, std::move(message)));
  return rejected;
}

}  // namespace

Message ParseMessage(std::string_view text, Dialect& dialect, const ParseLimits& limits) {
  if (!IsValidUtf8(text)) {
    return WholeRejected(RpcErrorCode::kParseError, "messages must be encoded in UTF-8");
  }
  if (NestingDepth(text, limits.max_depth) > limits.max_depth) {
    return WholeRejected(RpcErrorCode::kParseError,
                         absl::StrCat("invalid JSON: nested deeper than ", limits.max_depth));
  }
  json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return WholeRejected(RpcErrorCode::kParseError, "invalid JSON");
  if (!value.is_object() && !value.is_array()) {
    return WholeRejected(RpcErrorCode::kInvalidRequest, "request object must be a dictionary");
  }
  if (dialect == Dialect::kUndetermined) {
    if (value.is_object()) {
      dialect = DialectOf(value);
    } else {
      dialect = Dialect::kLoose;
      for (const json& member : value) {
        if (DialectOf(member) == Dialect::kJsonRpc20) dialect = Dialect::kJsonRpc20;
      }
    }
  }
  Message message;
  if (value.is_object()) {
    message.items.push_back(ParseItem(value, dialect));
    return message;
  }
  if (dialect == Dialect::kJsonRpc10) {
    return WholeRejected(RpcErrorCode::kInvalidRequest, "JSON-RPC 1.0 does not allow batches");
  }
  if (value.empty()) return WholeRejected(RpcErrorCode::kInvalidRequest, "batch is empty");
  if (value.size() > limits.max_batch) {
    return WholeRejected(RpcErrorCode::kInvalidRequest,
                         absl::StrCat("batch of ", value.size(), " requests is over the limit of ",
                                      limits.max_batch));
  }
  message.batch = true;
  message.items.reserve(value.size());
  for (json& member : value) message.items.push_back(ParseItem(member, dialect));
  return message;
}

namespace {

// {"jsonrpc":"2.0","<member>":<value>,"id":<id>}
std::string Reply(std::string_view member, std::string_view value, const json& id) {
  std::string out;
  out.reserve(value.size() + 48);
  out += R"({"jsonrpc":"2.0",")";
  out += member;
  out += "\":";
  out += value;
  out += R"(,"id":)";
  out += id.dump();
  out += '}';
  return out;
}

}  // namespace

std::string EncodeResult(const json& id, const json& result) {
  return Reply("result", result.dump(-1, ' ', false, json::error_handler_t::replace), id);
}

std::string EncodeEncodedResult(const json& id, std::string_view result) {
  return Reply("result", result, id);
}

std::string EncodeError(const json& id, const RpcError& error) {
  const json value = {{"code", static_cast<int>(error.code)}, {"message", error.message}};
  return Reply("error", value.dump(-1, ' ', false, json::error_handler_t::replace), id);
}

std::string EncodeNotification(std::string_view method, const json& params) {
  std::string out = R"({"jsonrpc":"2.0","method":)";
  out += json(std::string(method)).dump();
  out += R"(,"params":)";
  out += params.dump(-1, ' ', false, json::error_handler_t::replace);
  out += '}';
  return out;
}

}  // namespace electrum::gateway
