#include "gateway/protocol/arguments.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace electrum::gateway {
namespace {

std::string Arguments(size_t count) {
  return absl::StrCat(count, count == 1 ? " argument" : " arguments");
}

std::string QuotedList(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  for (std::string& name : names) name = absl::StrCat("\"", name, "\"");
  return absl::StrJoin(names, ", ");
}

}  // namespace

absl::StatusOr<std::vector<nlohmann::json>> BindArguments(const std::string& method,
                                                          const ParameterList& parameters,
                                                          const nlohmann::json& params) {
  const size_t count = parameters.names.size();
  std::vector<nlohmann::json> bound(count, nullptr);
  if (params.is_array()) {
    if (params.size() < parameters.required) {
      return absl::InvalidArgumentError(absl::StrCat(Arguments(params.size()),
                                                     " passed to method \"", method,
                                                     "\" but it requires ", parameters.required));
    }
    if (params.size() > count && !parameters.ignore_extra) {
      return absl::InvalidArgumentError(absl::StrCat(Arguments(params.size()), " passed to method ",
                                                     method, " taking at most ", count));
    }
    for (size_t i = 0; i < std::min(count, params.size()); ++i) bound[i] = params[i];
    return bound;
  }
  if (!params.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid request arguments for method \"", method, "\""));
  }
  std::vector<std::string> unknown;
  for (const auto& [name, value] : params.items()) {
    auto it = std::find(parameters.names.begin(), parameters.names.end(), name);
    if (it == parameters.names.end()) {
      unknown.push_back(name);
    } else {
      bound[it - parameters.names.begin()] = value;
    }
  }
  std::vector<std::string> missing;
  for (size_t i = 0; i < parameters.required; ++i) {
    if (!params.contains(parameters.names[i])) missing.push_back(parameters.names[i]);
  }
  if (!missing.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("method \"", method, "\" requires parameter",
                                                   missing.size() == 1 ? " " : "s ",
                                                   QuotedList(missing)));
  }
  if (!unknown.empty() && !parameters.ignore_extra) {
    return absl::InvalidArgumentError(
        absl::StrCat("method \"", method, "\" does not take parameter",
                     unknown.size() == 1 ? " " : "s ", QuotedList(unknown)));
  }
  return bound;
}

}  // namespace electrum::gateway
