#include "common/chain/base58.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/crypto/sha256.h"

namespace electrum::chain {
namespace {

constexpr char kAlphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

int DigitValue(char c) {
  const char* found = std::find(kAlphabet, kAlphabet + 58, c);
  return found == kAlphabet + 58 ? -1 : static_cast<int>(found - kAlphabet);
}

}  // namespace

std::string Base58Encode(ByteSpan data) {
  size_t zeros = 0;
  while (zeros < data.size() && data[zeros] == 0) ++zeros;
  // Base-58 digits, least significant first.
  std::vector<uint8_t> digits;
  for (size_t i = zeros; i < data.size(); ++i) {
    int carry = data[i];
    for (uint8_t& digit : digits) {
      carry += digit << 8;
      digit = static_cast<uint8_t>(carry % 58);
      carry /= 58;
    }
    while (carry > 0) {
      digits.push_back(static_cast<uint8_t>(carry % 58));
      carry /= 58;
    }
  }
  std::string out(zeros, '1');
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) out.push_back(kAlphabet[*it]);
  return out;
}

absl::StatusOr<Bytes> Base58Decode(std::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError("empty base58 string");
  if (text.size() > kMaxBase58Length) {
    return absl::InvalidArgumentError(
        absl::StrCat("base58 string longer than ", kMaxBase58Length, " characters"));
  }
  size_t ones = 0;
  while (ones < text.size() && text[ones] == '1') ++ones;
  // Base-256 bytes, least significant first.
  std::vector<uint8_t> bytes;
  for (size_t i = ones; i < text.size(); ++i) {
    int carry = DigitValue(text[i]);
    if (carry < 0) {
      return absl::InvalidArgumentError(absl::StrCat("invalid base58 character at offset ", i));
    }
    for (uint8_t& byte : bytes) {
      carry += byte * 58;
      byte = static_cast<uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push_back(static_cast<uint8_t>(carry & 0xff));
      carry >>= 8;
    }
  }
  Bytes out(ones, 0);
  out.insert(out.end(), bytes.rbegin(), bytes.rend());
  return out;
}

std::string Base58CheckEncode(ByteSpan payload) {
  Bytes data(payload.begin(), payload.end());
  Sha256Digest checksum = Sha256d(payload);
  data.insert(data.end(), checksum.begin(), checksum.begin() + 4);
  return Base58Encode(data);
}

absl::StatusOr<Bytes> Base58CheckDecode(std::string_view text) {
  absl::StatusOr<Bytes> data = Base58Decode(text);
  if (!data.ok()) return data.status();
  if (data->size() < 4) return absl::InvalidArgumentError("base58check string too short");
  ByteSpan payload(data->data(), data->size() - 4);
  Sha256Digest checksum = Sha256d(payload);
  if (!std::equal(checksum.begin(), checksum.begin() + 4, data->end() - 4)) {
    return absl::InvalidArgumentError("base58check checksum mismatch");
  }
  data->resize(data->size() - 4);
  return data;
}

}  // namespace electrum::chain
