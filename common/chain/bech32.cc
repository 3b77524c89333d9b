#include "common/chain/bech32.h"

#include <cctype>
#include <vector>

#include "absl/strings/str_cat.h"

namespace electrum::chain {
namespace {

constexpr char kCharset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr uint32_t kBech32Constant = 1;
constexpr uint32_t kBech32mConstant = 0x2bc830a3;
// BIP 173's limit on a whole address.
constexpr size_t kMaxAddressLength = 90;

uint32_t PolyMod(const std::vector<uint8_t>& values) {
  static constexpr uint32_t kGenerator[] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd,
                                            0x2a1462b3};
  uint32_t checksum = 1;
  for (uint8_t value : values) {
    uint8_t top = static_cast<uint8_t>(checksum >> 25);
    checksum = ((checksum & 0x1ffffff) << 5) ^ value;
    for (int i = 0; i < 5; ++i) {
      if ((top >> i) & 1) checksum ^= kGenerator[i];
    }
  }
  return checksum;
}

std::vector<uint8_t> ExpandHrp(std::string_view hrp) {
  std::vector<uint8_t> out;
  for (char c : hrp) out.push_back(static_cast<uint8_t>(c) >> 5);
  out.push_back(0);
  for (char c : hrp) out.push_back(static_cast<uint8_t>(c) & 31);
  return out;
}

// Regroups bits; `pad` adds zero bits at the end (encoding), otherwise the
// leftover bits must be zero padding (decoding).
bool ConvertBits(const std::vector<uint8_t>& in, int from, int to, bool pad,
                 std::vector<uint8_t>* out) {
  uint32_t accumulator = 0;
  int bits = 0;
  const uint32_t max_value = (1u << to) - 1;
  for (uint8_t value : in) {
    if ((value >> from) != 0) return false;
    accumulator = (accumulator << from) | value;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out->push_back(static_cast<uint8_t>((accumulator >> bits) & max_value));
    }
  }
  if (pad) {
    if (bits > 0) out->push_back(static_cast<uint8_t>((accumulator << (to - bits)) & max_value));
  } else if (bits >= from || ((accumulator << (to - bits)) & max_value) != 0) {
    return false;
  }
  return true;
}

absl::Status CheckProgram(int version, size_t size) {
  if (version < 0 || version > 16) {
    return absl::InvalidArgumentError(absl::StrCat("invalid segwit version ", version));
  }
  if (size < 2 || size > 40) {
    return absl::InvalidArgumentError(absl::StrCat("invalid witness program length ", size));
  }
  if (version == 0 && size != 20 && size != 32) {
    return absl::InvalidArgumentError(
        absl::StrCat("segwit v0 program must be 20 or 32 bytes, got ", size));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> EncodeSegwitAddress(std::string_view hrp,
                                                const SegwitProgram& program) {
  absl::Status valid = CheckProgram(program.version, program.program.size());
  if (!valid.ok()) return valid;
  std::vector<uint8_t> data = {static_cast<uint8_t>(program.version)};
  ConvertBits(program.program, 8, 5, true, &data);
  std::vector<uint8_t> values = ExpandHrp(hrp);
  values.insert(values.end(), data.begin(), data.end());
  values.resize(values.size() + 6, 0);
  uint32_t constant = program.version == 0 ? kBech32Constant : kBech32mConstant;
  uint32_t checksum = PolyMod(values) ^ constant;
  std::string out = absl::StrCat(std::string(hrp), "1");
  for (uint8_t value : data) out.push_back(kCharset[value]);
  for (int i = 0; i < 6; ++i) out.push_back(kCharset[(checksum >> (5 * (5 - i))) & 31]);
  return out;
}

absl::StatusOr<SegwitProgram> DecodeSegwitAddress(std::string_view hrp, std::string_view address) {
  if (address.size() > kMaxAddressLength) {
    return absl::InvalidArgumentError("bech32 address too long");
  }
  bool lower = false, upper = false;
  std::string text;
  for (char c : address) {
    if (c < 33 || c > 126) return absl::InvalidArgumentError("invalid bech32 character");
    lower |= std::islower(static_cast<unsigned char>(c)) != 0;
    upper |= std::isupper(static_cast<unsigned char>(c)) != 0;
    text.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (lower && upper) return absl::InvalidArgumentError("mixed-case bech32 address");
  size_t separator = text.rfind('1');
  if (separator == std::string::npos || separator == 0 || separator + 7 > text.size()) {
    return absl::InvalidArgumentError("malformed bech32 address");
  }
  if (text.substr(0, separator) != hrp) {
    return absl::InvalidArgumentError(
        absl::StrCat("address prefix is not '", std::string(hrp), "'"));
  }
  std::vector<uint8_t> data;
  for (size_t i = separator + 1; i < text.size(); ++i) {
    const char* found = std::char_traits<char>::find(kCharset, 32, text[i]);
    if (found == nullptr) return absl::InvalidArgumentError("invalid bech32 character");
    data.push_back(static_cast<uint8_t>(found - kCharset));
  }
  std::vector<uint8_t> values = ExpandHrp(hrp);
  values.insert(values.end(), data.begin(), data.end());
  uint32_t residue = PolyMod(values);
  data.resize(data.size() - 6);
  if (data.empty()) return absl::InvalidArgumentError("bech32 address without data");
  SegwitProgram program;
  program.version = data[0];
  uint32_t expected = program.version == 0 ? kBech32Constant : kBech32mConstant;
  if (residue != expected) return absl::InvalidArgumentError("bech32 checksum mismatch");
  std::vector<uint8_t> five_bit(data.begin() + 1, data.end());
  if (!ConvertBits(five_bit, 5, 8, false, &program.program)) {
    return absl::InvalidArgumentError("invalid bech32 padding");
  }
  absl::Status valid = CheckProgram(program.version, program.program.size());
  if (!valid.ok()) return valid;
  return program;
}

}  // namespace electrum::chain
