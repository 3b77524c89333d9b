// The HTTP body level of Bitcoin Core's JSON-RPC server: single requests,
// batches, JSON-RPC 1.0 replies (Core 25: result and error both present,
// HTTP 500/404/400 on errors) and JSON-RPC 2.0 replies for requests that say
// "jsonrpc": "2.0" (HTTP 200, notifications get nothing).
#ifndef ELECTRUM_TOOLS_SIMNODE_JSON_RPC_ENVELOPE_H_
#define ELECTRUM_TOOLS_SIMNODE_JSON_RPC_ENVELOPE_H_

#include <string>

#include "tools/simnode/rpc_dispatcher.h"

namespace electrum::simnode {

struct HttpReply {
  int status = 200;
  // Empty for HTTP 204.
  std::string body;
};

// `warming_up`: answer every call with -28 as Core does while it starts.
HttpReply HandleJsonRpcBody(const std::string& body, RpcDispatcher& dispatcher, bool warming_up);

}  // namespace electrum::simnode

#endif  // ELECTRUM_TOOLS_SIMNODE_JSON_RPC_ENVELOPE_H_
