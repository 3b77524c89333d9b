#include "common/chain/address.h"

#include "absl/strings/str_cat.h"
#include "common/chain/base58.h"
#include "common/chain/bech32.h"
#include "common/chain/standard_scripts.h"

namespace electrum::chain {
namespace {

constexpr uint8_t kOpDup = 0x76, kOpHash160 = 0xa9, kOpEqualVerify = 0x88, kOpCheckSig = 0xac,
                  kOpEqual = 0x87, kOp0 = 0x00, kOp1 = 0x51;

}  // namespace

absl::StatusOr<Bytes> AddressToScript(const AddressPrefixes& prefixes, std::string_view address) {
  if (!prefixes.bech32_hrp.empty()) {
    std::string lowered(address.substr(0, prefixes.bech32_hrp.size() + 1));
    for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lowered == absl::StrCat(std::string(prefixes.bech32_hrp), "1")) {
      absl::StatusOr<SegwitProgram> program = DecodeSegwitAddress(prefixes.bech32_hrp, address);
      if (!program.ok()) return program.status();
      return WitnessProgramScript(program->version, program->program);
    }
  }
  absl::StatusOr<Bytes> payload = Base58CheckDecode(address);
  if (!payload.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid address: ", std::string(payload.status().message())));
  }
  if (payload->size() != 21) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid address: payload of ", payload->size(), " bytes"));
  }
  ByteSpan hash160(payload->data() + 1, 20);
  if ((*payload)[0] == prefixes.p2pkh) return P2pkhScript(hash160);
  if ((*payload)[0] == prefixes.p2sh) return P2shScript(hash160);
  return absl::InvalidArgumentError(
      absl::StrCat("address version byte ", (*payload)[0], " is not this coin's"));
}

absl::StatusOr<std::string> ScriptToAddress(const AddressPrefixes& prefixes, ByteSpan script) {
  auto with_version = [](uint8_t version, ByteSpan hash160) {
    Bytes payload = {version};
    payload.insert(payload.end(), hash160.begin(), hash160.end());
    return Base58CheckEncode(payload);
  };
  if (script.size() == 25 && script[0] == kOpDup && script[1] == kOpHash160 && script[2] == 20 &&
      script[23] == kOpEqualVerify && script[24] == kOpCheckSig) {
    return with_version(prefixes.p2pkh, script.subspan(3, 20));
  }
  if (script.size() == 23 && script[0] == kOpHash160 && script[1] == 20 && script[22] == kOpEqual) {
    return with_version(prefixes.p2sh, script.subspan(2, 20));
  }
  const bool witness_version_op =
      script.size() >= 4 && (script[0] == kOp0 || (script[0] >= kOp1 && script[0] <= 0x60));
  if (!prefixes.bech32_hrp.empty() && witness_version_op && script[1] + 2u == script.size()) {
    SegwitProgram program{.version = script[0] == kOp0 ? 0 : script[0] - kOp1 + 1,
                          .program = Bytes(script.begin() + 2, script.end())};
    return EncodeSegwitAddress(prefixes.bech32_hrp, program);
  }
  return absl::NotFoundError("script has no address form");
}

}  // namespace electrum::chain
