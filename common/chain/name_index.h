// The script hashes an output is indexed under when the coin has a name
// index (Namecoin; spec §6.3): the owner's script with the name prefix
// removed, so name coins show in the owner's history and balance, and, for
// an output that registers or updates a name, the name's own script hash,
// under which the name's history is kept.
#ifndef ELECTRUM_COMMON_CHAIN_NAME_INDEX_H_
#define ELECTRUM_COMMON_CHAIN_NAME_INDEX_H_

#include <optional>

#include "common/chain/bytes.h"
#include "common/chain/hash_types.h"
#include "common/chain/transaction.h"

namespace electrum::chain {

struct OutputIndexKeys {
  // Holds the output (its coins and its place in the owner's history).
  ScriptHash owner;
  // Only a history entry: the name this output registers or updates.
  std::optional<ScriptHash> name;
};

// Plain coins (format without name operations): the script's own hash.
OutputIndexKeys IndexKeysOf(ByteSpan script_pubkey, const TxFormat& format);

// The canonical script a name is indexed under:
//   OP_NAME_UPDATE <name> <empty> OP_2DROP OP_DROP OP_RETURN
Bytes NameIndexScript(ByteSpan name);

}  // namespace electrum::chain

#endif  // ELECTRUM_COMMON_CHAIN_NAME_INDEX_H_
