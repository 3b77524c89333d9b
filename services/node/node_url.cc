#include "services/node/node_url.h"

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/status/status_macros.h"

namespace electrum::node {
namespace {

absl::Status Invalid(absl::string_view url, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("node URL '", RedactNodeUrl(url), "': ", what,
                                                 " (expected http://user:password@host:port/)"));
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = absl::ascii_tolower(static_cast<unsigned char>(c));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// RFC 3986 percent-decoding; nullopt on a broken escape.
std::optional<std::string> PercentDecode(absl::string_view text) {
  std::string decoded;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      decoded += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = HexValue(text[i + 1]);
    const int low = HexValue(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    decoded += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return decoded;
}

// Splits "scheme://rest" and checks the scheme; returns the rest.
absl::StatusOr<absl::string_view> AfterScheme(absl::string_view url) {
  const size_t separator = url.find("://");
  if (separator == absl::string_view::npos) return url;
  const std::string scheme = absl::AsciiStrToLower(url.substr(0, separator));
  if (scheme == "https") {
    return Invalid(url, "https is not supported: nodes serve JSON-RPC over plain http");
  }
  if (scheme != "http") return Invalid(url, absl::StrCat("unknown scheme '", scheme, "'"));
  return url.substr(separator + 3);
}

absl::Status ParseHostPort(absl::string_view url, absl::string_view host_port,
                           uint16_t default_port, NodeUrl& parsed) {
  std::optional<absl::string_view> port_text;
  if (absl::ConsumePrefix(&host_port, "[")) {
    const size_t close = host_port.find(']');
    if (close == absl::string_view::npos) return Invalid(url, "unclosed '[' in the host");
    parsed.host = std::string(host_port.substr(0, close));
    absl::string_view rest = host_port.substr(close + 1);
    if (absl::ConsumePrefix(&rest, ":")) {
      port_text = rest;
    } else if (!rest.empty()) {
      return Invalid(url, "unexpected text after the IPv6 address");
    }
  } else {
    const size_t colon = host_port.find(':');
    if (colon != absl::string_view::npos && host_port.rfind(':') != colon) {
      return Invalid(url, "an IPv6 address must be written in brackets, e.g. [::1]:8332");
    }
    parsed.host = std::string(host_port.substr(0, colon));
    if (colon != absl::string_view::npos) port_text = host_port.substr(colon + 1);
  }
  if (parsed.host.empty()) return Invalid(url, "no host");
  if (!port_text) {
    parsed.port = default_port;
    return absl::OkStatus();
  }
  uint32_t port = 0;
  if (!absl::SimpleAtoi(*port_text, &port) || port == 0 || port > 65535) {
    return Invalid(url, absl::StrCat("port '", *port_text, "' is not a number from 1 to 65535"));
  }
  parsed.port = static_cast<uint16_t>(port);
  return absl::OkStatus();
}

absl::Status ParseCredentials(absl::string_view url, absl::string_view user_info, NodeUrl& parsed) {
  const size_t colon = user_info.find(':');
  if (colon == absl::string_view::npos || colon == 0) {
    return Invalid(url, "credentials need both a user and a password (user:password@)");
  }
  std::optional<std::string> user = PercentDecode(user_info.substr(0, colon));
  std::optional<std::string> password = PercentDecode(user_info.substr(colon + 1));
  if (!user || !password) return Invalid(url, "a broken %-escape in the user or password");
  parsed.user = std::move(*user);
  parsed.password = std::move(*password);
  return absl::OkStatus();
}

}  // namespace

// A host never holds '@', so the last one ends the credentials, even when
// an unencoded password holds '/', '?' or '@'.
std::string RedactNodeUrl(absl::string_view url) {
  const size_t scheme = url.find("://");
  const size_t start = scheme == absl::string_view::npos ? 0 : scheme + 3;
  const size_t at = url.rfind('@');
  if (at == absl::string_view::npos || at < start) return std::string(url);
  const size_t colon = url.find(':', start);
  if (colon == absl::string_view::npos || colon > at) return std::string(url);
  return absl::StrCat(url.substr(0, colon + 1), "***", url.substr(at));
}

absl::StatusOr<NodeUrl> ParseNodeUrl(absl::string_view url, uint16_t default_port) {
  ASSIGN_OR_RETURN(absl::string_view rest, AfterScheme(url));
  NodeUrl parsed;
  if (const size_t at = rest.rfind('@'); at != absl::string_view::npos) {
    RETURN_IF_ERROR(ParseCredentials(url, rest.substr(0, at), parsed));
    rest.remove_prefix(at + 1);
  }
  const size_t path = rest.find_first_of("/?#");
  if (path != absl::string_view::npos && rest.substr(path) != "/") {
    return Invalid(url, "a path, query or fragment is not supported");
  }
  RETURN_IF_ERROR(ParseHostPort(url, rest.substr(0, path), default_port, parsed));
  return parsed;
}

}  // namespace electrum::node
