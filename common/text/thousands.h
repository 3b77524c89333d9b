// Integers with thousands separators ("1,234,567"), as ElectrumX writes
// heights and positions in its error messages ("{:,d}").
#ifndef ELECTRUM_COMMON_TEXT_THOUSANDS_H_
#define ELECTRUM_COMMON_TEXT_THOUSANDS_H_

#include <cstdint>
#include <string>

namespace electrum {

inline std::string WithThousands(int64_t value) {
  std::string digits =
      std::to_string(value < 0 ? -static_cast<uint64_t>(value) : static_cast<uint64_t>(value));
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

}  // namespace electrum

#endif  // ELECTRUM_COMMON_TEXT_THOUSANDS_H_
