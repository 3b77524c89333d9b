// Namecoin name operations in output scripts. A name output is
//   OP_NAME_NEW <hash> OP_2DROP <address script>
//   OP_NAME_FIRSTUPDATE <name> <rand> <value> OP_2DROP OP_2DROP <address script>
//   OP_NAME_UPDATE <name> <value> OP_2DROP OP_DROP <address script>
// The address script is what owns the coins; the name index keys on the name.
#ifndef ELECTRUM_COMMON_CHAIN_NAME_SCRIPT_H_
#define ELECTRUM_COMMON_CHAIN_NAME_SCRIPT_H_

#include <optional>

#include "common/chain/bytes.h"

namespace electrum::chain {

enum class NameOp { kNew, kFirstUpdate, kUpdate };

struct NameScript {
  NameOp op;
  // kNew: empty (only a commitment hash is published).
  ByteSpan name;
  ByteSpan value;
  // kNew: the salted hash commitment.
  ByteSpan commitment;
  // The rest of the script after the name prefix.
  ByteSpan address_script;
};

// nullopt when the script carries no (well-formed) name operation.
std::optional<NameScript> ParseNameScript(ByteSpan script);

}  // namespace electrum::chain

#endif  // ELECTRUM_COMMON_CHAIN_NAME_SCRIPT_H_
