// A JSON-RPC reply's result when it is a plain string, found without
// parsing the reply: `getblock <hash> 0` answers with a block in hex, a few
// megabytes that a JSON parser would copy character by character.
#ifndef ELECTRUM_SERVICES_NODE_PLAIN_STRING_RESULT_H_
#define ELECTRUM_SERVICES_NODE_PLAIN_STRING_RESULT_H_

#include <optional>
#include <string_view>

namespace electrum::node {

// The characters of the top-level "result" string of `body` when the
// reply is an object whose "error" is null and whose result is a string of
// hex digits. nullopt for anything else (an error, another type, escapes,
// a reply this scan does not recognise): parse the reply as JSON then.
std::optional<std::string_view> HexStringResult(std::string_view body);

}  // namespace electrum::node

#endif  // ELECTRUM_SERVICES_NODE_PLAIN_STRING_RESULT_H_
