#include "tools/simnode/tx_builder.h"

#include "common/chain/byte_writer.h"
#include "common/chain/standard_scripts.h"

namespace electrum::simnode {
namespace {

constexpr size_t kSignatureSize = 72;
constexpr size_t kPublicKeySize = 33;
constexpr uint32_t kSequenceFinalRbf = 0xfffffffd;

Bytes Placeholder(size_t size, uint8_t fill) { return Bytes(size, fill); }

}  // namespace

Bytes BuildTransaction(const std::vector<TxInputSpec>& inputs,
                       const std::vector<TxOutputSpec>& outputs, uint32_t lock_time,
                       int32_t version) {
  bool any_witness = false;
  for (const TxInputSpec& input : inputs) any_witness |= input.segwit;
  Bytes out;
  chain::ByteWriter writer(&out);
  writer.WriteI32(version);
  if (any_witness) {
    writer.WriteU8(0);
    writer.WriteU8(1);
  }
  writer.WriteCompactSize(inputs.size());
  for (const TxInputSpec& input : inputs) {
    writer.WriteBytes(input.outpoint.txid.span());
    writer.WriteU32(input.outpoint.index);
    if (input.segwit) {
      writer.WriteCompactSize(0);
    } else {
      Bytes script_sig;
      script_sig.push_back(kSignatureSize);
      Bytes signature = Placeholder(kSignatureSize, 0x30);
      script_sig.insert(script_sig.end(), signature.begin(), signature.end());
      script_sig.push_back(kPublicKeySize);
      Bytes key = Placeholder(kPublicKeySize, 0x02);
      script_sig.insert(script_sig.end(), key.begin(), key.end());
      writer.WriteVarBytes(script_sig);
    }
    writer.WriteU32(kSequenceFinalRbf);
  }
  writer.WriteCompactSize(outputs.size());
  for (const TxOutputSpec& output : outputs) {
    writer.WriteI64(output.value);
    writer.WriteVarBytes(output.script_pubkey);
  }
  if (any_witness) {
    for (const TxInputSpec& input : inputs) {
      if (!input.segwit) {
        writer.WriteCompactSize(0);
        continue;
      }
      writer.WriteCompactSize(2);
      writer.WriteVarBytes(Placeholder(kSignatureSize, 0x30));
      writer.WriteVarBytes(Placeholder(kPublicKeySize, 0x02));
    }
  }
  writer.WriteU32(lock_time);
  return out;
}

Bytes P2wpkhScript(const Bytes& hash160) { return chain::WitnessProgramScript(0, hash160); }
Bytes P2wshScript(const Bytes& hash256) { return chain::WitnessProgramScript(0, hash256); }
Bytes P2trScript(const Bytes& key32) { return chain::WitnessProgramScript(1, key32); }
Bytes OpReturnScript(const Bytes& data) {
  Bytes script = {0x6a, static_cast<uint8_t>(data.size())};
  script.insert(script.end(), data.begin(), data.end());
  return script;
}

namespace {

// A minimal data push (direct up to 75 bytes, then PUSHDATA1).
void Push(Bytes& script, const Bytes& data) {
  if (data.size() > 75) script.push_back(0x4c);
  script.push_back(static_cast<uint8_t>(data.size()));
  script.insert(script.end(), data.begin(), data.end());
}

constexpr uint8_t kOpNameFirstUpdate = 0x52, kOpNameUpdate = 0x53, kOp2Drop = 0x6d, kOpDrop = 0x75;

}  // namespace

Bytes NameFirstUpdateScript(const Bytes& name, const Bytes& salt, const Bytes& value,
                            const Bytes& owner_script) {
  Bytes script = {kOpNameFirstUpdate};
  Push(script, name);
  Push(script, salt);
  Push(script, value);
  script.push_back(kOp2Drop);
  script.push_back(kOp2Drop);
  script.insert(script.end(), owner_script.begin(), owner_script.end());
  return script;
}

Bytes NameUpdateScript(const Bytes& name, const Bytes& value, const Bytes& owner_script) {
  Bytes script = {kOpNameUpdate};
  Push(script, name);
  Push(script, value);
  script.push_back(kOp2Drop);
  script.push_back(kOpDrop);
  script.insert(script.end(), owner_script.begin(), owner_script.end());
  return script;
}

}  // namespace electrum::simnode
