#include "tools/simnode/rpc_params.h"

#include "absl/strings/str_cat.h"

namespace electrum::simnode {
namespace {

std::string TypeName(const nlohmann::json& value) {
  if (value.is_string()) return "string";
  if (value.is_number()) return "number";
  if (value.is_boolean()) return "bool";
  if (value.is_object()) return "object";
  if (value.is_array()) return "array";
  return "null";
}

[[noreturn]] void WrongType(const nlohmann::json& value, const char* expected) {
  ThrowRpcError(kRpcTypeError, absl::StrCat("JSON value of type ", TypeName(value),
                                            " is not of expected type ", expected));
}

}  // namespace

RpcParams::RpcParams(const nlohmann::json& params, std::vector<std::string> names)
    : names_(std::move(names)) {
  if (params.is_array()) {
    if (params.size() > names_.size()) {
      ThrowRpcError(kRpcMiscError, absl::StrCat("too many parameters (", params.size(), " > ",
                                                names_.size(), ")"));
    }
    values_.assign(params.begin(), params.end());
  } else if (params.is_object()) {
    values_.resize(names_.size());
    for (const auto& [key, value] : params.items()) {
      auto found = std::find(names_.begin(), names_.end(), key);
      if (found == names_.end()) ThrowRpcError(kRpcMiscError, "Unknown named parameter " + key);
      values_[found - names_.begin()] = value;
    }
  } else if (!params.is_null()) {
    ThrowRpcError(kRpcInvalidRequest, "Params must be an array or object");
  }
  while (!values_.empty() && values_.back().is_null()) values_.pop_back();
}

bool RpcParams::Has(size_t index) const {
  return index < values_.size() && !values_[index].is_null();
}

const nlohmann::json& RpcParams::Get(size_t index) const {
  if (!Has(index)) Missing(index);
  return values_[index];
}

void RpcParams::Missing(size_t index) const {
  ThrowRpcError(kRpcMiscError, absl::StrCat("Missing required parameter \"", names_[index], "\""));
}

int64_t RpcParams::Int(size_t index, std::optional<int64_t> fallback) const {
  if (!Has(index)) {
    if (fallback) return *fallback;
    Missing(index);
  }
  const nlohmann::json& value = values_[index];
  if (!value.is_number_integer()) WrongType(value, "number");
  return value.get<int64_t>();
}

bool RpcParams::Bool(size_t index, std::optional<bool> fallback) const {
  if (!Has(index)) {
    if (fallback) return *fallback;
    Missing(index);
  }
  const nlohmann::json& value = values_[index];
  // Core accepts 0/1 for the old verbose flags.
  if (value.is_number_integer()) return value.get<int64_t>() != 0;
  if (!value.is_boolean()) WrongType(value, "bool");
  return value.get<bool>();
}

std::string RpcParams::String(size_t index, std::optional<std::string> fallback) const {
  if (!Has(index)) {
    if (fallback) return *fallback;
    Missing(index);
  }
  const nlohmann::json& value = values_[index];
  if (!value.is_string()) WrongType(value, "string");
  return value.get<std::string>();
}

std::array<uint8_t, 32> RpcParams::Hash(size_t index) const {
  std::string text = String(index);
  const std::string& name = names_[index];
  if (text.size() != 64) {
    ThrowRpcError(kRpcInvalidParameter, absl::StrCat(name, " must be of length 64 (not ",
                                                     text.size(), ", for '", text, "')"));
  }
  auto parsed = chain::InternalFromDisplayHex(text);
  if (!parsed.ok()) {
    ThrowRpcError(kRpcInvalidParameter,
                  absl::StrCat(name, " must be hexadecimal string (not '", text, "')"));
  }
  return *parsed;
}

chain::TxId RpcParams::TxId(size_t index) const { return chain::TxId(Hash(index)); }
chain::BlockHash RpcParams::BlockHash(size_t index) const { return chain::BlockHash(Hash(index)); }

}  // namespace electrum::simnode
