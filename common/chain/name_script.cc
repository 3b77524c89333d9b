#include "common/chain/name_script.h"

#include <vector>

#include "common/chain/byte_reader.h"

namespace electrum::chain {
namespace {

constexpr uint8_t kOpNameNew = 0x51;          // OP_1
constexpr uint8_t kOpNameFirstUpdate = 0x52;  // OP_2
constexpr uint8_t kOpNameUpdate = 0x53;       // OP_3
constexpr uint8_t kOpPushData1 = 0x4c, kOpPushData2 = 0x4d, kOpPushData4 = 0x4e;
constexpr uint8_t kOpDrop = 0x75, kOp2Drop = 0x6d;

// Reads one data push (OP_0, direct push, PUSHDATA1/2/4).
std::optional<ByteSpan> ReadPush(ByteReader& reader) {
  uint8_t opcode = reader.ReadU8();
  size_t size = 0;
  if (opcode < kOpPushData1) {
    size = opcode;
  } else if (opcode == kOpPushData1) {
    size = reader.ReadU8();
  } else if (opcode == kOpPushData2) {
    size = reader.ReadU16();
  } else if (opcode == kOpPushData4) {
    size = reader.ReadU32();
  } else {
    return std::nullopt;
  }
  ByteSpan data = reader.ReadBytes(size);
  if (!reader.ok()) return std::nullopt;
  return data;
}

}  // namespace

std::optional<NameScript> ParseNameScript(ByteSpan script) {
  if (script.empty()) return std::nullopt;
  ByteReader reader(script);
  NameScript parsed;
  size_t push_count = 0;
  std::vector<uint8_t> drops;
  switch (reader.ReadU8()) {
    case kOpNameNew:
      parsed.op = NameOp::kNew;
      push_count = 1;
      drops = {kOp2Drop};
      break;
    case kOpNameFirstUpdate:
      parsed.op = NameOp::kFirstUpdate;
      push_count = 3;
      drops = {kOp2Drop, kOp2Drop};
      break;
    case kOpNameUpdate:
      parsed.op = NameOp::kUpdate;
      push_count = 2;
      drops = {kOp2Drop, kOpDrop};
      break;
    default:
      return std::nullopt;
  }
  std::vector<ByteSpan> pushes;
  for (size_t i = 0; i < push_count; ++i) {
    std::optional<ByteSpan> push = ReadPush(reader);
    if (!push) return std::nullopt;
    pushes.push_back(*push);
  }
  for (uint8_t drop : drops) {
    if (reader.ReadU8() != drop || !reader.ok()) return std::nullopt;
  }
  switch (parsed.op) {
    case NameOp::kNew:
      parsed.commitment = pushes[0];
      break;
    case NameOp::kFirstUpdate:  // name, rand, value
      parsed.name = pushes[0];
      parsed.value = pushes[2];
      break;
    case NameOp::kUpdate:
      parsed.name = pushes[0];
      parsed.value = pushes[1];
      break;
  }
  parsed.address_script = script.subspan(reader.position());
  return parsed;
}

}  // namespace electrum::chain
