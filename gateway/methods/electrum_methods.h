// The method table of a plain Electrum server (protocol 1.4–1.6). Coin
// extensions add their rows to the table this returns.
#ifndef ELECTRUM_GATEWAY_METHODS_ELECTRUM_METHODS_H_
#define ELECTRUM_GATEWAY_METHODS_ELECTRUM_METHODS_H_

#include "common/chain/coins.h"
#include "gateway/methods/method_table.h"

namespace electrum::gateway {

// The rows `coin` offers: the plain protocol plus its extensions.
MethodTable ElectrumMethods(const chain::CoinParams& coin);

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_METHODS_ELECTRUM_METHODS_H_
