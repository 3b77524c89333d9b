// Dash's methods (masternode.*, protx.*; spec §6.1), offered when the
// indexed coin is Dash. Served by the blockchain service's DashService.
#ifndef ELECTRUM_GATEWAY_METHODS_DASH_METHODS_H_
#define ELECTRUM_GATEWAY_METHODS_DASH_METHODS_H_

#include "gateway/methods/method_table.h"

namespace electrum::gateway {

class Session;
struct GatewayContext;

void AddDashMethods(MethodTable& table);

// After a new tip: asks the status of every masternode `session` subscribed
// to and notifies each, changed or not (DashElectrumX's behaviour).
void ResendMasternodeStatuses(Session& session, const GatewayContext& gateway);

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_METHODS_DASH_METHODS_H_
