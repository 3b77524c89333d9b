#include "common/chain/standard_scripts.h"

namespace electrum::chain {
namespace {

constexpr uint8_t kOpDup = 0x76, kOpHash160 = 0xa9, kOpEqualVerify = 0x88, kOpCheckSig = 0xac,
                  kOpEqual = 0x87, kOp0 = 0x00, kOp1 = 0x51;

}  // namespace

Bytes P2pkhScript(ByteSpan hash160) {
  Bytes script = {kOpDup, kOpHash160, static_cast<uint8_t>(hash160.size())};
  script.insert(script.end(), hash160.begin(), hash160.end());
  script.push_back(kOpEqualVerify);
  script.push_back(kOpCheckSig);
  return script;
}

Bytes P2shScript(ByteSpan hash160) {
  Bytes script = {kOpHash160, static_cast<uint8_t>(hash160.size())};
  script.insert(script.end(), hash160.begin(), hash160.end());
  script.push_back(kOpEqual);
  return script;
}

Bytes WitnessProgramScript(int version, ByteSpan program) {
  Bytes script = {static_cast<uint8_t>(version == 0 ? kOp0 : kOp1 + version - 1),
                  static_cast<uint8_t>(program.size())};
  script.insert(script.end(), program.begin(), program.end());
  return script;
}

}  // namespace electrum::chain
