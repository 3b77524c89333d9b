// How a client's value is quoted back in an error message: bounded, so an
// error is never a way to make the server send back a megabyte.
#ifndef ELECTRUM_GATEWAY_JSONRPC_SHOWN_VALUE_H_
#define ELECTRUM_GATEWAY_JSONRPC_SHOWN_VALUE_H_

#include <string>

#include "nlohmann/json.hpp"

namespace electrum::gateway {

// Compact JSON, cut to 100 characters ("..." marks the cut).
std::string ShownJson(const nlohmann::json& value);
// The same, except that a string is shown as it is, without quotes (as
// ElectrumX formats arguments in its messages).
std::string ShownArgument(const nlohmann::json& value);

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_JSONRPC_SHOWN_VALUE_H_
