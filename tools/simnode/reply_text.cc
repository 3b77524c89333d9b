#include "tools/simnode/reply_text.h"

#include <string_view>

namespace electrum::simnode {
namespace {

using nlohmann::json;

// A long string that needs no escaping (a block or transaction in hex).
bool IsPlainLongString(const json& value) {
  constexpr size_t kLong = 4096;
  if (!value.is_string()) return false;
  const std::string& text = value.get_ref<const std::string&>();
  if (text.size() < kLong) return false;
  for (const char c : text) {
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
  }
  return true;
}

}  // namespace

std::string ReplyText(json& reply) {
  if (!reply.is_object() || !reply.contains("result") || !IsPlainLongString(reply["result"])) {
    return reply.dump();
  }
  std::string result = std::move(reply["result"].get_ref<std::string&>());
  reply["result"] = "";
  std::string text = reply.dump();
  constexpr std::string_view kEmptyResult = "\"result\":\"\"";
  const size_t at = text.find(kEmptyResult);
  text.insert(at + kEmptyResult.size() - 1, result);
  return text;
}

}  // namespace electrum::simnode
