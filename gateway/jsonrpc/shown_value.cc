#include "gateway/jsonrpc/shown_value.h"

namespace electrum::gateway {
namespace {

constexpr size_t kMaxShown = 100;

std::string Cut(std::string text) {
  if (text.size() > kMaxShown) text = text.substr(0, kMaxShown) + "...";
  return text;
}

}  // namespace

std::string ShownJson(const nlohmann::json& value) {
  return Cut(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string ShownArgument(const nlohmann::json& value) {
  return value.is_string() ? Cut(value.get<std::string>()) : ShownJson(value);
}

}  // namespace electrum::gateway
