#include "gateway/methods/electrum_methods.h"

#include "gateway/methods/dash_methods.h"
#include "gateway/methods/handler_support.h"

namespace electrum::gateway {

MethodTable ElectrumMethods(const chain::CoinParams& coin) {
  MethodTable table;
  AddServerMethods(table);
  AddHeaderMethods(table);
  AddScriptHashMethods(table);
  AddTransactionMethods(table);
  AddFeeMethods(table);
  if (coin.extensions == chain::ExtensionSet::kDash) AddDashMethods(table);
  if (coin.extensions == chain::ExtensionSet::kAuxPowNameIndex) AddNameMethods(table);
  return table;
}

}  // namespace electrum::gateway
