// Bitcoin Core's JSON view of an output script: asm, desc (with checksum),
// hex, address and type.
#ifndef ELECTRUM_TOOLS_SIMNODE_SCRIPT_JSON_H_
#define ELECTRUM_TOOLS_SIMNODE_SCRIPT_JSON_H_

#include <string>

#include "common/chain/bytes.h"
#include "common/chain/coins.h"
#include "nlohmann/json.hpp"

namespace electrum::simnode {

// Core's ScriptToAsmStr (without signature-hash decoding).
std::string ScriptAsm(chain::ByteSpan script);

// Core's standard type names: pubkeyhash, scripthash, witness_v0_keyhash,
// witness_v0_scripthash, witness_v1_taproot, witness_unknown, nulldata,
// pubkey, multisig, nonstandard.
std::string ScriptType(chain::ByteSpan script);

// Appends "#" and the 8-character descriptor checksum.
std::string WithDescriptorChecksum(const std::string& descriptor);

// {"asm", "desc", "hex", "address" (when it has one), "type"}.
nlohmann::json ScriptPubKeyJson(chain::ByteSpan script, const chain::AddressPrefixes& prefixes);

}  // namespace electrum::simnode

#endif  // ELECTRUM_TOOLS_SIMNODE_SCRIPT_JSON_H_
