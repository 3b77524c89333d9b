// Transactions: parse (legacy, segwit/BIP 144, Dash DIP 2 special, Litecoin
// HogEx), re-serialize byte-exactly, txid and wtxid.
//
// A parsed Transaction views the bytes it was parsed from (scripts, witness
// items, payloads are spans): keep the input alive while using it.
#ifndef ELECTRUM_COMMON_CHAIN_TRANSACTION_H_
#define ELECTRUM_COMMON_CHAIN_TRANSACTION_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "common/chain/byte_reader.h"
#include "common/chain/bytes.h"
#include "common/chain/hash_types.h"

namespace electrum::chain {

// Coin-specific serialization extensions.
struct TxFormat {
  // Dash DIP 2: the 32-bit version holds (type << 16 | version); version >= 3
  // with a non-zero type carries an extra payload after the lock time.
  bool dash_special = false;
  // Litecoin MWEB: flag bit 0x08 adds MWEB data after the witnesses; in
  // blocks only the HogEx transaction carries it, as an empty marker.
  bool litecoin_mweb = false;
  // Namecoin: outputs may carry name operations, which the index keys by
  // owner and by name (see name_index.h).
  bool name_operations = false;
};

struct TxInput {
  TxId prev_txid;
  uint32_t prev_index = 0;
  ByteSpan script_sig;
  uint32_t sequence = 0;
  std::vector<ByteSpan> witness;

  bool IsCoinbase() const { return prev_index == 0xffffffff && prev_txid.IsZero(); }
};

struct TxOutput {
  int64_t value = 0;
  ByteSpan script_pubkey;
};

struct Transaction {
  // The low 16 bits for Dash special transactions, the whole field otherwise.
  int32_t version = 0;
  // Dash DIP 2 type; 0 for ordinary transactions.
  uint16_t dash_type = 0;
  std::vector<TxInput> inputs;
  std::vector<TxOutput> outputs;
  uint32_t lock_time = 0;
  // The BIP 144 flag byte; 0 when serialized without marker and flag.
  uint8_t flags = 0;
  // Litecoin HogEx (MWEB integration) transaction.
  bool is_hogex = false;
  ByteSpan dash_payload;

  // The whole serialization, as parsed.
  ByteSpan raw;
  TxId txid;

  // Hash of the full serialization (equal to txid without witness data).
  // Computed on demand: indexing never needs it, and it would double the
  // hashing work for segwit transactions.
  TxId ComputeWtxid() const;

  bool HasWitness() const { return (flags & 0x01) != 0; }
  bool IsCoinbase() const { return inputs.size() == 1 && inputs[0].IsCoinbase(); }
  // BIP 141 weight: 3 x the size without witness data + the full size.
  size_t Weight() const;
  // Weight / 4, rounded up.
  size_t VirtualSize() const { return (Weight() + 3) / 4; }

  // Offsets into `raw` of the non-witness body (inputs and outputs), used to
  // hash the txid without copying.
  size_t body_begin = 0;
  size_t body_end = 0;
};

// Parses one transaction from the reader's position; on error the reader
// holds the reason. Used by the block parser.
Transaction ReadTransaction(ByteReader& reader, const TxFormat& format);

// Parses exactly one transaction: trailing bytes are an error.
absl::StatusOr<Transaction> ParseTransaction(ByteSpan data, const TxFormat& format = {});

// Serializes the transaction in the form it was parsed in.
Bytes SerializeTransaction(const Transaction& tx);

}  // namespace electrum::chain

#endif  // ELECTRUM_COMMON_CHAIN_TRANSACTION_H_
