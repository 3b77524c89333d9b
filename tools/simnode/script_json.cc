#include "tools/simnode/script_json.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "common/chain/address.h"
#include "common/crypto/hex.h"

namespace electrum::simnode {
namespace {

constexpr uint8_t kOpPushData1 = 0x4c, kOpPushData2 = 0x4d, kOpPushData4 = 0x4e;

std::string OpName(uint8_t opcode) {
  if (opcode == 0x00) return "0";
  if (opcode == 0x4f) return "-1";
  if (opcode >= 0x51 && opcode <= 0x60) return std::to_string(opcode - 0x50);
  static const std::pair<uint8_t, const char*> kNames[] = {
      {0x50, "OP_RESERVED"},
      {0x61, "OP_NOP"},
      {0x62, "OP_VER"},
      {0x63, "OP_IF"},
      {0x64, "OP_NOTIF"},
      {0x65, "OP_VERIF"},
      {0x66, "OP_VERNOTIF"},
      {0x67, "OP_ELSE"},
      {0x68, "OP_ENDIF"},
      {0x69, "OP_VERIFY"},
      {0x6a, "OP_RETURN"},
      {0x6b, "OP_TOALTSTACK"},
      {0x6c, "OP_FROMALTSTACK"},
      {0x6d, "OP_2DROP"},
      {0x6e, "OP_2DUP"},
      {0x6f, "OP_3DUP"},
      {0x70, "OP_2OVER"},
      {0x71, "OP_2ROT"},
      {0x72, "OP_2SWAP"},
      {0x73, "OP_IFDUP"},
      {0x74, "OP_DEPTH"},
      {0x75, "OP_DROP"},
      {0x76, "OP_DUP"},
      {0x77, "OP_NIP"},
      {0x78, "OP_OVER"},
      {0x79, "OP_PICK"},
      {0x7a, "OP_ROLL"},
      {0x7b, "OP_ROT"},
      {0x7c, "OP_SWAP"},
      {0x7d, "OP_TUCK"},
      {0x82, "OP_SIZE"},
      {0x87, "OP_EQUAL"},
      {0x88, "OP_EQUALVERIFY"},
      {0x8b, "OP_1ADD"},
      {0x8c, "OP_1SUB"},
      {0x8f, "OP_NEGATE"},
      {0x90, "OP_ABS"},
      {0x91, "OP_NOT"},
      {0x92, "OP_0NOTEQUAL"},
      {0x93, "OP_ADD"},
      {0x94, "OP_SUB"},
      {0x9a, "OP_BOOLAND"},
      {0x9b, "OP_BOOLOR"},
      {0x9c, "OP_NUMEQUAL"},
      {0x9d, "OP_NUMEQUALVERIFY"},
      {0x9e, "OP_NUMNOTEQUAL"},
      {0x9f, "OP_LESSTHAN"},
      {0xa0, "OP_GREATERTHAN"},
      {0xa1, "OP_LESSTHANOREQUAL"},
      {0xa2, "OP_GREATERTHANOREQUAL"},
      {0xa3, "OP_MIN"},
      {0xa4, "OP_MAX"},
      {0xa5, "OP_WITHIN"},
      {0xa6, "OP_RIPEMD160"},
      {0xa7, "OP_SHA1"},
      {0xa8, "OP_SHA256"},
      {0xa9, "OP_HASH160"},
      {0xaa, "OP_HASH256"},
      {0xab, "OP_CODESEPARATOR"},
      {0xac, "OP_CHECKSIG"},
      {0xad, "OP_CHECKSIGVERIFY"},
      {0xae, "OP_CHECKMULTISIG"},
      {0xaf, "OP_CHECKMULTISIGVERIFY"},
      {0xb0, "OP_NOP1"},
      {0xb1, "OP_CHECKLOCKTIMEVERIFY"},
      {0xb2, "OP_CHECKSEQUENCEVERIFY"},
      {0xba, "OP_CHECKSIGADD"},
  };
  for (const auto& [code, name] : kNames) {
    if (code == opcode) return name;
  }
  if (opcode >= 0xb3 && opcode <= 0xb9) return absl::StrCat("OP_NOP", opcode - 0xb3 + 4);
  return "OP_UNKNOWN";
}

// Core's CScriptNum decoding of a push of at most 4 bytes.
int64_t ScriptNumber(chain::ByteSpan bytes) {
  if (bytes.empty()) return 0;
  int64_t result = 0;
  for (size_t i = 0; i < bytes.size(); ++i) result |= static_cast<int64_t>(bytes[i]) << (8 * i);
  if (bytes.back() & 0x80) {
    return -(result & ~(static_cast<int64_t>(0x80) << (8 * (bytes.size() - 1))));
  }
  return result;
}

bool IsWitnessProgram(chain::ByteSpan script, int* version, size_t* size) {
  if (script.size() < 4 || script.size() > 42) return false;
  if (script[0] != 0x00 && (script[0] < 0x51 || script[0] > 0x60)) return false;
  if (script[1] + 2u != script.size()) return false;
  *version = script[0] == 0 ? 0 : script[0] - 0x50;
  *size = script[1];
  return true;
}

}  // namespace

std::string ScriptAsm(chain::ByteSpan script) {
  std::string out;
  size_t position = 0;
  while (position < script.size()) {
    if (!out.empty()) out += ' ';
    uint8_t opcode = script[position++];
    if (opcode > kOpPushData4 || (opcode == 0)) {
      out += OpName(opcode);
      continue;
    }
    size_t size = opcode;
    size_t length_bytes = opcode == kOpPushData1   ? 1
                          : opcode == kOpPushData2 ? 2
                          : opcode == kOpPushData4 ? 4
                                                   : 0;
    if (position + length_bytes > script.size()) return out + "[error]";
    if (length_bytes > 0) {
      size = 0;
      for (size_t i = 0; i < length_bytes; ++i) size |= size_t{script[position + i]} << (8 * i);
      position += length_bytes;
    }
    if (size > script.size() - position) return out + "[error]";
    chain::ByteSpan data = script.subspan(position, size);
    position += size;
    out += size <= 4 ? std::to_string(ScriptNumber(data)) : ToHex(data);
  }
  return out;
}

std::string ScriptType(chain::ByteSpan script) {
  int version = 0;
  size_t size = 0;
  if (script.size() == 25 && script[0] == 0x76 && script[1] == 0xa9 && script[2] == 20 &&
      script[23] == 0x88 && script[24] == 0xac) {
    return "pubkeyhash";
  }
  if (script.size() == 23 && script[0] == 0xa9 && script[1] == 20 && script[22] == 0x87) {
    return "scripthash";
  }
  if (IsWitnessProgram(script, &version, &size)) {
    if (version == 0 && size == 20) return "witness_v0_keyhash";
    if (version == 0 && size == 32) return "witness_v0_scripthash";
    if (version == 1 && size == 32) return "witness_v1_taproot";
    if (version != 0) return "witness_unknown";
    return "nonstandard";
  }
  if (!script.empty() && script[0] == 0x6a) return "nulldata";
  if ((script.size() == 35 && script[0] == 33 && script[34] == 0xac) ||
      (script.size() == 67 && script[0] == 65 && script[66] == 0xac)) {
    return "pubkey";
  }
  if (script.size() >= 37 && script.back() == 0xae) return "multisig";
  return "nonstandard";
}

std::string WithDescriptorChecksum(const std::string& descriptor) {
  static constexpr char kInputCharset[] =
      "0123456789()[],'/*abcdefgh@:$%{}IJKLMNOPQRSTUVWXYZ&+-.;<=>?!^_|~ijklmnopqrstuvwxyzABCDEFGH`#"
      "\"\\ ";
  static constexpr char kChecksumCharset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  static constexpr uint64_t kGenerator[] = {0xf5dee51989, 0xa9fdca3312, 0x1bab10e32d, 0x3706b1677a,
                                            0x644d626ffd};
  uint64_t checksum = 1;
  auto feed = [&](uint64_t value) {
    uint64_t top = checksum >> 35;
    checksum = ((checksum & 0x7ffffffff) << 5) ^ value;
    for (int i = 0; i < 5; ++i) {
      if ((top >> i) & 1) checksum ^= kGenerator[i];
    }
  };
  int group_count = 0, groups = 0;
  for (char c : descriptor) {
    const char* found = std::char_traits<char>::find(kInputCharset, sizeof(kInputCharset) - 1, c);
    if (found == nullptr) return descriptor;  // not describable; Core would refuse it too
    int position = static_cast<int>(found - kInputCharset);
    feed(position & 31);
    groups = groups * 3 + (position >> 5);
    if (++group_count == 3) {
      feed(groups);
      groups = 0;
      group_count = 0;
    }
  }
  if (group_count > 0) feed(groups);
  for (int i = 0; i < 8; ++i) feed(0);
  checksum ^= 1;
  std::string out = descriptor + "#";
  for (int i = 0; i < 8; ++i) out += kChecksumCharset[(checksum >> (5 * (7 - i))) & 31];
  return out;
}

nlohmann::json ScriptPubKeyJson(chain::ByteSpan script, const chain::AddressPrefixes& prefixes) {
  nlohmann::json out;
  out["asm"] = ScriptAsm(script);
  const std::string type = ScriptType(script);
  absl::StatusOr<std::string> address = chain::ScriptToAddress(prefixes, script);
  if (address.ok()) {
    out["desc"] = WithDescriptorChecksum("addr(" + *address + ")");
  } else if (type == "pubkey") {
    out["desc"] = WithDescriptorChecksum("pk(" + ToHex(script.subspan(1, script[0])) + ")");
  } else {
    out["desc"] = WithDescriptorChecksum("raw(" + ToHex(script) + ")");
  }
  out["hex"] = ToHex(script);
  if (address.ok()) out["address"] = *address;
  out["type"] = type;
  return out;
}

}  // namespace electrum::simnode
