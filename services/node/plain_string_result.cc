#include "services/node/plain_string_result.h"

#include <algorithm>

namespace electrum::node {
namespace {

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// The value after `"key"` and its colon, whitespace skipped; npos when the
// key is absent. Inside a JSON string every quote is escaped, so an
// unescaped `"key"` followed by a colon is always a key.
size_t ValueOf(std::string_view body, std::string_view quoted_key) {
  size_t at = body.find(quoted_key);
  while (at != std::string_view::npos) {
    size_t next = at + quoted_key.size();
    while (next < body.size() && IsJsonSpace(body[next])) ++next;
    if (next < body.size() && body[next] == ':') {
      ++next;
      while (next < body.size() && IsJsonSpace(body[next])) ++next;
      return next;
    }
    at = body.find(quoted_key, at + 1);
  }
  return std::string_view::npos;
}

}  // namespace

std::optional<std::string_view> HexStringResult(std::string_view body) {
  size_t start = 0;
  while (start < body.size() && IsJsonSpace(body[start])) ++start;
  if (start == body.size() || body[start] != '{') return std::nullopt;
  // The error first: with one, the result is null and nested objects may
  // hold anything.
  const size_t error = ValueOf(body, "\"error\"");
  if (error == std::string_view::npos || body.substr(error, 4) != "null") return std::nullopt;
  const size_t value = ValueOf(body, "\"result\"");
  if (value == std::string_view::npos || body[value] != '"') return std::nullopt;
  const size_t end = body.find('"', value + 1);
  if (end == std::string_view::npos) return std::nullopt;
  const std::string_view hex = body.substr(value + 1, end - value - 1);
  if (!std::all_of(hex.begin(), hex.end(), IsHexDigit)) return std::nullopt;
  return hex;
}

}  // namespace electrum::node
