// Bech32 (BIP 173) and Bech32m (BIP 350) segwit addresses.
#ifndef ELECTRUM_COMMON_CHAIN_BECH32_H_
#define ELECTRUM_COMMON_CHAIN_BECH32_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/chain/bytes.h"

namespace electrum::chain {

struct SegwitProgram {
  int version = 0;
  Bytes program;
};

// Version 0 uses Bech32, versions 1..16 Bech32m. Fails on an invalid program
// length for the version.
absl::StatusOr<std::string> EncodeSegwitAddress(std::string_view hrp, const SegwitProgram& program);

// Checks the human-readable part, checksum variant, version and program
// length (BIP 173/350 rules), case-insensitively but not mixed-case.
absl::StatusOr<SegwitProgram> DecodeSegwitAddress(std::string_view hrp, std::string_view address);

}  // namespace electrum::chain

#endif  // ELECTRUM_COMMON_CHAIN_BECH32_H_
