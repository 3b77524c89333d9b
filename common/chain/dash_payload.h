// Dash DIP 2 special-transaction payloads (the bytes after the lock time),
// decoded into named fields as Dash Core names them. The index only needs
// the payload's bytes; this decoding serves display and validation.
#ifndef ELECTRUM_COMMON_CHAIN_DASH_PAYLOAD_H_
#define ELECTRUM_COMMON_CHAIN_DASH_PAYLOAD_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "common/chain/bytes.h"

namespace electrum::chain {

enum class DashTxType : uint16_t {
  kProRegTx = 1,
  kProUpServTx = 2,
  kProUpRegTx = 3,
  kProUpRevTx = 4,
  kCbTx = 5,
};

struct DashPayloadField {
  // e.g. "version", "height", "collateralOutpoint.hash".
  std::string name;
  // Integers as numbers; hashes, keys, scripts and signatures as bytes in
  // serialization order.
  std::variant<uint64_t, Bytes> value;
};

// Decodes the payload of a known type; the whole payload must be consumed.
// Unknown types are NotFound (their payload stays opaque bytes).
absl::StatusOr<std::vector<DashPayloadField>> DecodeDashPayload(uint16_t type, ByteSpan payload);

}  // namespace electrum::chain

#endif  // ELECTRUM_COMMON_CHAIN_DASH_PAYLOAD_H_
