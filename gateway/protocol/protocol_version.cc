#include "gateway/protocol/protocol_version.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gateway/jsonrpc/shown_value.h"

namespace electrum::gateway {
namespace {

// Parts beyond this are not a version anyone speaks; refusing them keeps
// a hostile argument from costing memory.
constexpr size_t kMaxParts = 8;

}  // namespace

ProtocolVersion::ProtocolVersion(std::vector<int> parts) : parts_(std::move(parts)) {
  if (parts_.empty()) parts_ = {0};
}

ProtocolVersion ProtocolVersion::Parse(const nlohmann::json& value) {
  if (!value.is_string()) return ProtocolVersion();
  const std::string& text = value.get_ref<const std::string&>();
  if (text.size() > 64) return ProtocolVersion();
  std::vector<int> parts;
  for (absl::string_view part : absl::StrSplit(text, '.')) {
    if (part.empty() || part.size() > 6 || parts.size() == kMaxParts ||
        !std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return ProtocolVersion();
    }
    int number = 0;
    for (char c : part) number = number * 10 + (c - '0');
    parts.push_back(number);
  }
  return ProtocolVersion(std::move(parts));
}

std::string ProtocolVersion::ToString() const {
  std::string text = absl::StrJoin(parts_, ".");
  if (parts_.size() == 1) text += ".0";
  return text;
}

absl::StatusOr<ProtocolVersion> NegotiateVersion(const nlohmann::json& requested,
                                                 const VersionRange& server) {
  ProtocolVersion client_min = server.min;
  ProtocolVersion client_max = server.min;
  if (requested.is_array() && requested.size() == 2) {
    client_min = ProtocolVersion::Parse(requested[0]);
    client_max = ProtocolVersion::Parse(requested[1]);
  } else if (!requested.is_null()) {
    client_min = client_max = ProtocolVersion::Parse(requested);
  }
  const ProtocolVersion chosen = std::min(client_max, server.max);
  if (!chosen.valid() || !client_min.valid() || chosen < std::max(client_min, server.min)) {
    return absl::FailedPreconditionError(
        absl::StrCat("unsupported protocol version: ", ShownArgument(requested)));
  }
  return chosen;
}

}  // namespace electrum::gateway
