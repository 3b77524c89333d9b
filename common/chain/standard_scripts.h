// Output scripts of the standard address types.
#ifndef ELECTRUM_COMMON_CHAIN_STANDARD_SCRIPTS_H_
#define ELECTRUM_COMMON_CHAIN_STANDARD_SCRIPTS_H_

#include "common/chain/bytes.h"

namespace electrum::chain {

// OP_DUP OP_HASH160 <20 bytes> OP_EQUALVERIFY OP_CHECKSIG
Bytes P2pkhScript(ByteSpan hash160);
// OP_HASH160 <20 bytes> OP_EQUAL
Bytes P2shScript(ByteSpan hash160);
// OP_0 / OP_1..OP_16 <program>: segwit v0 (P2WPKH, P2WSH) and v1+ (P2TR).
Bytes WitnessProgramScript(int version, ByteSpan program);

}  // namespace electrum::chain

#endif  // ELECTRUM_COMMON_CHAIN_STANDARD_SCRIPTS_H_
