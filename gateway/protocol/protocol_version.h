// Electrum protocol versions (spec §2.2) and server.version negotiation
// (§2.3): versions are dotted integer tuples compared lexicographically, a
// prefix being smaller; the negotiated tuple is rendered back as the reply.
#ifndef ELECTRUM_GATEWAY_PROTOCOL_PROTOCOL_VERSION_H_
#define ELECTRUM_GATEWAY_PROTOCOL_PROTOCOL_VERSION_H_

#include <compare>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace electrum::gateway {

class ProtocolVersion {
 public:
  // The invalid version (0): what anything unparsable becomes.
  ProtocolVersion() : parts_{0} {}
  explicit ProtocolVersion(std::vector<int> parts);

  // "1.4.2" → (1,4,2); anything but dot-separated decimal integers (or a
  // non-string) → the invalid version.
  static ProtocolVersion Parse(const nlohmann::json& value);

  bool valid() const { return !(parts_.size() == 1 && parts_[0] == 0); }
  // Joined by dots; one part gets ".0" appended ("1" → "1.0").
  std::string ToString() const;

  friend std::strong_ordering operator<=>(const ProtocolVersion& a, const ProtocolVersion& b) {
    return a.parts_ <=> b.parts_;
  }
  friend bool operator==(const ProtocolVersion& a, const ProtocolVersion& b) = default;

 private:
  std::vector<int> parts_;
};

struct VersionRange {
  ProtocolVersion min;
  ProtocolVersion max;
};

// The protocol both sides speak, from server.version's `protocol_version`
// argument: absent/null → the server minimum; a 2-element array → a
// [min, max] range; anything else → that one version. FAILED_PRECONDITION
// with "unsupported protocol version: <argument>" when there is none (the
// session must then be closed).
absl::StatusOr<ProtocolVersion> NegotiateVersion(const nlohmann::json& requested,
                                                 const VersionRange& server);

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_PROTOCOL_PROTOCOL_VERSION_H_
