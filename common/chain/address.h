// Addresses <-> output scripts for a coin's prefixes: P2PKH and P2SH
// (Base58Check), segwit v0 and v1+ (Bech32 / Bech32m).
#ifndef ELECTRUM_COMMON_CHAIN_ADDRESS_H_
#define ELECTRUM_COMMON_CHAIN_ADDRESS_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/chain/bytes.h"
#include "common/chain/coins.h"

namespace electrum::chain {

absl::StatusOr<Bytes> AddressToScript(const AddressPrefixes& prefixes, std::string_view address);

// NotFound for scripts that have no address form (P2PK, OP_RETURN, ...).
absl::StatusOr<std::string> ScriptToAddress(const AddressPrefixes& prefixes, ByteSpan script);

}  // namespace electrum::chain

#endif  // ELECTRUM_COMMON_CHAIN_ADDRESS_H_
