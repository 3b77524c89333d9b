#include "common/chain/transaction.h"

#include "common/chain/byte_writer.h"
#include "common/chain/read_hash.h"
#include "common/crypto/sha256.h"

namespace electrum::chain {
namespace {

constexpr uint8_t kWitnessFlag = 0x01;
constexpr uint8_t kMwebFlag = 0x08;
// Smallest serialized input: 32 + 4 + 1 (empty script) + 4.
constexpr size_t kMinInputSize = 41;
// Smallest serialized output: 8 + 1 (empty script).
constexpr size_t kMinOutputSize = 9;

void ReadInputs(ByteReader& reader, std::vector<TxInput>& inputs, uint64_t count) {
  inputs.resize(count);
  for (TxInput& input : inputs) {
    input.prev_txid = ReadHash<TxId>(reader);
    input.prev_index = reader.ReadU32();
    input.script_sig = reader.ReadVarBytes();
    input.sequence = reader.ReadU32();
  }
}

void ReadOutputs(ByteReader& reader, std::vector<TxOutput>& outputs) {
  outputs.resize(reader.ReadCount(kMinOutputSize));
  for (TxOutput& output : outputs) {
    output.value = reader.ReadI64();
    output.script_pubkey = reader.ReadVarBytes();
  }
}

void ReadWitnesses(ByteReader& reader, std::vector<TxInput>& inputs) {
  bool any_item = false;
  for (TxInput& input : inputs) {
    input.witness.resize(reader.ReadCount(1));
    for (ByteSpan& item : input.witness) {
      item = reader.ReadVarBytes();
      any_item = true;
    }
  }
  // Bitcoin Core rejects a witness flag with nothing behind it.
  if (reader.ok() && !any_item) reader.Fail("superfluous witness record");
}

TxId ComputeTxid(const Transaction& tx) {
  if (tx.flags == 0) return TxId(Sha256d(tx.raw));
  // Without marker, flag, witnesses and MWEB data.
  Sha256dHasher hasher;
  hasher.Add(tx.raw.first(4))
      .Add(tx.raw.subspan(tx.body_begin, tx.body_end - tx.body_begin))
      .Add(tx.raw.last(4));
  return TxId(hasher.Finish());
}

}  // namespace

TxId Transaction::ComputeWtxid() const { return flags == 0 ? txid : TxId(Sha256d(raw)); }

size_t Transaction::Weight() const {
  // Without witness: version, body (inputs, outputs), lock time, and the
  // Dash payload when there is one.
  size_t base_size = flags == 0 ? raw.size() : 4 + (body_end - body_begin) + 4;
  return base_size * 3 + raw.size();
}

Transaction ReadTransaction(ByteReader& reader, const TxFormat& format) {
  Transaction tx;
  const size_t start = reader.position();
  uint32_t version_field = reader.ReadU32();
  tx.version = static_cast<int32_t>(version_field);
  if (format.dash_special && (version_field & 0xffff) >= 3) {
    tx.version = static_cast<int32_t>(version_field & 0xffff);
    tx.dash_type = static_cast<uint16_t>(version_field >> 16);
  }

  tx.body_begin = reader.position() - start;
  uint64_t input_count = reader.ReadCount(kMinInputSize);
  if (reader.ok() && input_count == 0) {
    // BIP 144: an empty input list is the marker; the flag byte follows.
    tx.flags = reader.ReadU8();
    const uint8_t known = kWitnessFlag | (format.litecoin_mweb ? kMwebFlag : 0);
    if (reader.ok() && (tx.flags == 0 || (tx.flags & ~known) != 0)) {
      reader.Fail("unknown transaction optional data (flag byte)");
    }
    tx.body_begin = reader.position() - start;
    input_count = reader.ReadCount(kMinInputSize);
  }
  ReadInputs(reader, tx.inputs, input_count);
  ReadOutputs(reader, tx.outputs);
  tx.body_end = reader.position() - start;

  if (tx.flags & kWitnessFlag) ReadWitnesses(reader, tx.inputs);
  if (tx.flags & kMwebFlag) {
    // A HogEx carries an empty MWEB marker; full MWEB transactions live in
    // the block's extension data, not in the transaction list.
    if (reader.ReadU8() != 0 && reader.ok()) {
      reader.Fail("MWEB transaction bodies are not supported");
    }
    if (reader.ok() && tx.outputs.empty()) reader.Fail("HogEx transaction without outputs");
    tx.is_hogex = true;
  }
  tx.lock_time = reader.ReadU32();
  if (tx.dash_type != 0) tx.dash_payload = reader.ReadVarBytes();
  if (!reader.ok()) return tx;

  tx.raw = reader.SpanFrom(start);
  tx.txid = ComputeTxid(tx);
  return tx;
}

absl::StatusOr<Transaction> ParseTransaction(ByteSpan data, const TxFormat& format) {
  ByteReader reader(data);
  Transaction tx = ReadTransaction(reader, format);
  if (reader.ok() && !reader.AtEnd()) reader.Fail("trailing bytes after the transaction");
  if (!reader.ok()) return reader.status();
  return tx;
}

Bytes SerializeTransaction(const Transaction& tx) {
  Bytes out;
  out.reserve(tx.raw.size());
  ByteWriter writer(&out);
  if (tx.dash_type != 0) {
    writer.WriteU32(static_cast<uint32_t>(tx.dash_type) << 16 | static_cast<uint16_t>(tx.version));
  } else {
    writer.WriteI32(tx.version);
  }
  if (tx.flags != 0) {
    writer.WriteU8(0);
    writer.WriteU8(tx.flags);
  }
  writer.WriteCompactSize(tx.inputs.size());
  for (const TxInput& input : tx.inputs) {
    writer.WriteBytes(input.prev_txid.span());
    writer.WriteU32(input.prev_index);
    writer.WriteVarBytes(input.script_sig);
    writer.WriteU32(input.sequence);
  }
  writer.WriteCompactSize(tx.outputs.size());
  for (const TxOutput& output : tx.outputs) {
    writer.WriteI64(output.value);
    writer.WriteVarBytes(output.script_pubkey);
  }
  if (tx.flags & kWitnessFlag) {
    for (const TxInput& input : tx.inputs) {
      writer.WriteCompactSize(input.witness.size());
      for (ByteSpan item : input.witness) writer.WriteVarBytes(item);
    }
  }
  if (tx.flags & kMwebFlag) writer.WriteU8(0);
  writer.WriteU32(tx.lock_time);
  if (tx.dash_type != 0) writer.WriteVarBytes(tx.dash_payload);
  return out;
}

}  // namespace electrum::chain
