#include "gateway/protocol/argument_types.h"

#include <cmath>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/crypto/hex.h"
#include "gateway/jsonrpc/shown_value.h"

namespace electrum::gateway {
namespace {

absl::Status Invalid(const nlohmann::json& value, const char* what) {
  return absl::InvalidArgumentError(absl::StrCat(ShownArgument(value), what));
}

// 64 hex digits in display order (the parser checks length and digits).
template <typename Hash>
absl::StatusOr<Hash> HashArgument(const nlohmann::json& value, const char* what) {
  if (value.is_string()) {
    auto parsed = Hash::FromDisplayHex(value.get_ref<const std::string&>());
    if (parsed.ok()) return *parsed;
  }
  return Invalid(value, what);
}

}  // namespace

absl::StatusOr<chain::ScriptHash> ScriptHashArgument(const nlohmann::json& value) {
  return HashArgument<chain::ScriptHash>(value, " is not a valid script hash");
}

absl::StatusOr<chain::TxId> TxHashArgument(const nlohmann::json& value) {
  return HashArgument<chain::TxId>(value, " should be a transaction hash");
}

absl::StatusOr<uint64_t> NonNegativeIntegerArgument(const nlohmann::json& value) {
  constexpr const char* kWhat = " should be a non-negative integer";
  if (value.is_boolean()) return value.get<bool>() ? 1 : 0;
  if (value.is_number_unsigned()) return value.get<uint64_t>();
  if (value.is_number_integer()) {
    const int64_t number = value.get<int64_t>();
    if (number < 0) return Invalid(value, kWhat);
    return static_cast<uint64_t>(number);
  }
  if (value.is_number_float()) {
    // Truncated toward zero, as int() does; -0.5 becomes 0.
    const double number = std::trunc(value.get<double>());
    if (!std::isfinite(number) || number < 0 ||
        number >= static_cast<double>(std::numeric_limits<uint64_t>::max())) {
      return Invalid(value, kWhat);
    }
    return static_cast<uint64_t>(number);
  }
  if (value.is_string()) {
    // int() accepts surrounding whitespace, a sign and underscores between
    // digits; only the plain forms matter in practice.
    std::string text(absl::StripAsciiWhitespace(value.get<std::string>()));
    if (!text.empty() && text[0] == '+') text.erase(0, 1);
    uint64_t number = 0;
    if (!text.empty() && text[0] != '-' && absl::SimpleAtoi(text, &number)) return number;
  }
  return Invalid(value, kWhat);
}

absl::StatusOr<std::vector<uint8_t>> HexStringArgument(const nlohmann::json& value) {
  if (value.is_string()) {
    // FromHex refuses odd lengths and anything but hex digits.
    auto bytes = FromHex(value.get_ref<const std::string&>());
    if (bytes.ok()) return *bytes;
  }
  return Invalid(value, " should be a hex string");
}

}  // namespace electrum::gateway
