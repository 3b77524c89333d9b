// server.* methods (spec §3.1–§3.7): answered from the gateway's own
// configuration, no upstream call.
#include "gateway/methods/handler_support.h"

namespace electrum::gateway {
namespace {

using Arguments = std::vector<nlohmann::json>;
using Reply = boost::asio::awaitable<absl::StatusOr<MethodResult>>;

Reply SecondVersion(CallContext&, const Arguments&) {
  co_return absl::InvalidArgumentError("server.version already sent");
}

Reply Banner(CallContext& context, const Arguments&) {
  const ServerIdentity& identity = context.gateway.identity;
  if (!identity.banner.empty()) co_return nlohmann::json(identity.banner);
  co_return nlohmann::json("You are connected to an " + identity.server_version + " server.");
}

Reply DonationAddress(CallContext& context, const Arguments&) {
  co_return nlohmann::json(context.gateway.identity.donation_address);
}

Reply Features(CallContext& context, const Arguments&) {
  const ServerIdentity& identity = context.gateway.identity;
  co_return nlohmann::json{{"hosts", identity.hosts},
                           {"pruning", nullptr},
                           {"server_version", identity.server_version},
                           {"protocol_min", identity.protocols.min.ToString()},
                           {"protocol_max", identity.protocols.max.ToString()},
                           {"genesis_hash", identity.genesis_hash},
                           {"hash_function", identity.hash_function},
                           {"services", identity.services}};
}

Reply Peers(CallContext& context, const Arguments&) {
  co_return nlohmann::json(context.gateway.identity.peers);
}

Reply AddPeer(CallContext& context, const Arguments& arguments) {
  // Peer discovery is not implemented: an operator lists peers instead.
  if (!arguments[0].is_object()) {
    co_return absl::InvalidArgumentError("features must be an object");
  }
  (void)context;
  co_return nlohmann::json(false);
}

Reply Ping(CallContext&, const Arguments&) { co_return nlohmann::json(nullptr); }

}  // namespace

void AddServerMethods(MethodTable& table) {
  const ProtocolVersion any({1, 4});
  table.Add({"server.version",
             any,
             std::nullopt,
             {{"client_name", "protocol_version"}, 0, true},
             0.5,
             SecondVersion});
  table.Add({"server.banner", any, std::nullopt, {}, 0.5, Banner});
  table.Add({"server.donation_address", any, std::nullopt, {}, 0.1, DonationAddress});
  table.Add({"server.features", any, std::nullopt, {}, 0.2, Features});
  table.Add({"server.peers.subscribe", any, std::nullopt, {}, 1.0, Peers});
  table.Add({"server.add_peer", any, std::nullopt, {{"features"}, 1}, 100, AddPeer});
  table.Add({"server.ping", any, std::nullopt, {}, 0.1, Ping});
}

}  // namespace electrum::gateway
