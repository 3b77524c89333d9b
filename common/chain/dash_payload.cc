#include "common/chain/dash_payload.h"

#include "absl/strings/str_cat.h"
#include "common/chain/byte_reader.h"

namespace electrum::chain {
namespace {

constexpr size_t kBlsPublicKeySize = 48;
constexpr size_t kBlsSignatureSize = 96;
constexpr size_t kKeyIdSize = 20;
constexpr size_t kIpAddressSize = 16;
// ProRegTx / ProUpServTx type for Evo (platform) masternodes.
constexpr uint64_t kEvoMasternodeType = 1;

// Appends fields while reading; the reader's sticky error covers them all.
class FieldReader {
 public:
  explicit FieldReader(ByteSpan payload) : reader_(payload) {}

  uint64_t U16(const char* name) { return Add(name, reader_.ReadU16()); }
  uint64_t U32(const char* name) { return Add(name, reader_.ReadU32()); }
  uint64_t I64(const char* name) { return Add(name, static_cast<uint64_t>(reader_.ReadI64())); }
  uint64_t CompactSize(const char* name) { return Add(name, reader_.ReadCompactSize()); }
  // Network byte order, as Dash serializes service ports.
  uint64_t PortBigEndian(const char* name) {
    uint16_t little = reader_.ReadU16();
    return Add(name, static_cast<uint16_t>((little >> 8) | (little << 8)));
  }
  void Fixed(const char* name, size_t size) { AddBytes(name, reader_.ReadBytes(size)); }
  void Var(const char* name) { AddBytes(name, reader_.ReadVarBytes()); }

  absl::StatusOr<std::vector<DashPayloadField>> Finish() {
    if (reader_.ok() && !reader_.AtEnd()) reader_.Fail("trailing bytes after the payload");
    if (!reader_.ok()) return reader_.status();
    return std::move(fields_);
  }

 private:
  uint64_t Add(const char* name, uint64_t value) {
    fields_.push_back({name, value});
    return value;
  }
  void AddBytes(const char* name, ByteSpan bytes) {
    fields_.push_back({name, Bytes(bytes.begin(), bytes.end())});
  }

  ByteReader reader_;
  std::vector<DashPayloadField> fields_;
};

void ReadPlatformFields(FieldReader& fields) {
  fields.Fixed("platformNodeID", kKeyIdSize);
  fields.U16("platformP2PPort");
  fields.U16("platformHTTPPort");
}

void ReadProRegTx(FieldReader& fields) {
  uint64_t version = fields.U16("version");
  uint64_t type = fields.U16("type");
  fields.U16("mode");
  fields.Fixed("collateralOutpoint.hash", 32);
  fields.U32("collateralOutpoint.index");
  fields.Fixed("ipAddress", kIpAddressSize);
  fields.PortBigEndian("port");
  fields.Fixed("KeyIdOwner", kKeyIdSize);
  fields.Fixed("PubKeyOperator", kBlsPublicKeySize);
  fields.Fixed("KeyIdVoting", kKeyIdSize);
  fields.U16("operatorReward");
  fields.Var("scriptPayout");
  fields.Fixed("inputsHash", 32);
  if (version >= 2 && type == kEvoMasternodeType) ReadPlatformFields(fields);
  fields.Var("payloadSig");
}

void ReadProUpServTx(FieldReader& fields) {
  uint64_t version = fields.U16("version");
  uint64_t type = version >= 2 ? fields.U16("type") : 0;
  fields.Fixed("proTxHash", 32);
  fields.Fixed("ipAddress", kIpAddressSize);
  fields.PortBigEndian("port");
  fields.Var("scriptOperatorPayout");
  fields.Fixed("inputsHash", 32);
  if (version >= 2 && type == kEvoMasternodeType) ReadPlatformFields(fields);
  fields.Fixed("payloadSig", kBlsSignatureSize);
}

void ReadProUpRegTx(FieldReader& fields) {
  fields.U16("version");
  fields.Fixed("proTxHash", 32);
  fields.U16("mode");
  fields.Fixed("PubKeyOperator", kBlsPublicKeySize);
  fields.Fixed("KeyIdVoting", kKeyIdSize);
  fields.Var("scriptPayout");
  fields.Fixed("inputsHash", 32);
  fields.Var("payloadSig");
}

void ReadProUpRevTx(FieldReader& fields) {
  fields.U16("version");
  fields.Fixed("proTxHash", 32);
  fields.U16("reason");
  fields.Fixed("inputsHash", 32);
  fields.Fixed("payloadSig", kBlsSignatureSize);
}

void ReadCbTx(FieldReader& fields) {
  uint64_t version = fields.U16("version");
  fields.U32("height");
  fields.Fixed("merkleRootMNList", 32);
  if (version >= 2) fields.Fixed("merkleRootQuorums", 32);
  if (version >= 3) {
    fields.CompactSize("bestCLHeightDiff");
    fields.Fixed("bestCLSignature", kBlsSignatureSize);
    fields.I64("assetLockedAmount");
  }
}

}  // namespace

absl::StatusOr<std::vector<DashPayloadField>> DecodeDashPayload(uint16_t type, ByteSpan payload) {
  FieldReader fields(payload);
  switch (static_cast<DashTxType>(type)) {
    case DashTxType::kProRegTx:
      ReadProRegTx(fields);
      break;
    case DashTxType::kProUpServTx:
      ReadProUpServTx(fields);
      break;
    case DashTxType::kProUpRegTx:
      ReadProUpRegTx(fields);
      break;
    case DashTxType::kProUpRevTx:
      ReadProUpRevTx(fields);
      break;
    case DashTxType::kCbTx:
      ReadCbTx(fields);
      break;
    default:
      return absl::NotFoundError(
          absl::StrCat("no decoder for Dash special transaction type ", type));
  }
  return fields.Finish();
}

}  // namespace electrum::chain
