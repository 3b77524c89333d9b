// A node's JSON-RPC endpoint as one URL, the form operators know from
// ElectrumX's DAEMON_URL: http://user:password@host:port/. The user and
// password may be percent-encoded (a password with '@' or ':' in it);
// without them the node's cookie file or separate flags authenticate.
#ifndef ELECTRUM_SERVICES_NODE_NODE_URL_H_
#define ELECTRUM_SERVICES_NODE_NODE_URL_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace electrum::node {

struct NodeUrl {
  std::string host;  // a name, an IPv4 address, or an IPv6 address without brackets
  uint16_t port = 0;
  std::string user;  // empty: no credentials in the URL
  std::string password;
};

// Parses `url`; `default_port` (the coin's RPC port) stands in for a
// missing port. The scheme may be omitted (http is assumed). INVALID_ARGUMENT
// says what is wrong and never repeats the password.
absl::StatusOr<NodeUrl> ParseNodeUrl(absl::string_view url, uint16_t default_port);

// `url` with the password replaced by "***", for logs and error messages.
std::string RedactNodeUrl(absl::string_view url);

}  // namespace electrum::node

#endif  // ELECTRUM_SERVICES_NODE_NODE_URL_H_
