#include "common/config/foreign_variables.h"

#include <arpa/inet.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace electrum {
namespace {

// Read by run, tools/test.sh, tools/localpg, the fuzzers, benchmarks and
// tests; never by a component.
constexpr std::array<absl::string_view, 7> kScriptVariables = {
    "ELECTRUM_BENCH_BLOCK",   "ELECTRUM_DATA_DIR",           "ELECTRUM_FUZZ_SECONDS",
    "ELECTRUM_PG_BIN",        "ELECTRUM_PG_START_TIMEOUT_S", "ELECTRUM_TEST_PG_DSN",
    "ELECTRUM_WALLET_BINARY",
};

bool IsPortNumber(absl::string_view text) {
  uint32_t port = 0;
  return absl::SimpleAtoi(text, &port) && port > 0 && port <= 65535;
}

bool IsIpAddress(absl::string_view text) {
  const std::string address(text);
  unsigned char buffer[16];
  return inet_pton(AF_INET, address.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, address.c_str(), buffer) == 1;
}

bool IsProtocol(absl::string_view text) { return text == "tcp" || text == "udp" || text == "sctp"; }

// "tcp://10.0.0.7:50001" (IPv6 in brackets).
bool IsLinkAddress(absl::string_view value) {
  for (absl::string_view scheme : {"tcp://", "udp://", "sctp://"}) {
    if (!absl::ConsumePrefix(&value, scheme)) continue;
    const size_t colon = value.rfind(':');
    if (colon == absl::string_view::npos || !IsPortNumber(value.substr(colon + 1))) return false;
    absl::string_view host = value.substr(0, colon);
    if (absl::ConsumePrefix(&host, "[") && !absl::ConsumeSuffix(&host, "]")) return false;
    return IsIpAddress(host);
  }
  return false;
}

bool IsUpperName(absl::string_view part) {
  if (part.empty()) return false;
  for (char c : part) {
    if (!absl::ascii_isupper(static_cast<unsigned char>(c)) &&
        !absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

// The end of a link variable, after the service's name (which holds
// underscores too: electrum-gateway-admin -> ELECTRUM_GATEWAY_ADMIN_...).
// `parts` is the whole name split at '_', so parts[0] is ELECTRUM and
// every suffix has at least one name part before it.
bool IsLinkSuffix(const std::vector<absl::string_view>& parts, absl::string_view value) {
  const size_t n = parts.size();
  auto at = [&](size_t from_end) { return parts[n - 1 - from_end]; };
  // <S>_SERVICE_HOST=<ip>, <S>_SERVICE_PORT=<port>
  if (n >= 3 && at(1) == "SERVICE" && at(0) == "HOST") return IsIpAddress(value);
  if (n >= 3 && at(1) == "SERVICE" && at(0) == "PORT") return IsPortNumber(value);
  // <S>_SERVICE_PORT_<PORT_NAME>=<port> (the port's name may hold '_').
  for (size_t i = 1; i + 2 < n; ++i) {
    if (parts[i] == "SERVICE" && parts[i + 1] == "PORT") return IsPortNumber(value);
  }
  // <S>_PORT_<port>_<PROTO>_{PROTO,PORT,ADDR}=tcp, <port>, <ip>
  if (n >= 5 && at(3) == "PORT" && IsPortNumber(at(2)) &&
      IsProtocol(absl::AsciiStrToLower(at(1)))) {
    if (at(0) == "PROTO") return IsProtocol(value);
    if (at(0) == "PORT") return IsPortNumber(value);
    if (at(0) == "ADDR") return IsIpAddress(value);
  }
  // <S>_PORT_<port>_<PROTO>=tcp://<ip>:<port>
  if (n >= 4 && at(2) == "PORT" && IsPortNumber(at(1)) && IsProtocol(absl::AsciiStrToLower(at(0))))
    return IsLinkAddress(value);
  // <S>_PORT=tcp://<ip>:<port>
  if (n >= 2 && at(0) == "PORT") return IsLinkAddress(value);
  return false;
}

}  // namespace

bool IsScriptVariable(absl::string_view variable) {
  for (absl::string_view known : kScriptVariables) {
    if (variable == known) return true;
  }
  return false;
}

bool IsServiceLinkVariable(absl::string_view variable, absl::string_view value) {
  if (!absl::StartsWith(variable, "ELECTRUM_")) return false;
  std::vector<absl::string_view> parts = absl::StrSplit(variable, '_');
  for (absl::string_view part : parts) {
    if (!IsUpperName(part)) return false;
  }
  return IsLinkSuffix(parts, value);
}

}  // namespace electrum
