#include "gateway/methods/electrum_methods.h"

#include "gateway/methods/handler_support.h"

namespace electrum::gateway {

MethodTable ElectrumMethods() {
  MethodTable table;
  AddServerMethods(table);
  AddHeaderMethods(table);
  AddScriptHashMethods(table);
  AddTransactionMethods(table);
  AddFeeMethods(table);
  return table;
}

}  // namespace electrum::gateway
