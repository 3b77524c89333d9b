// How each listener turns an accepted socket into a session transport:
// plain lines (tcp), TLS then lines (ssl), a WebSocket upgrade (ws), TLS
// then a WebSocket upgrade (wss). Handshakes are bounded by a timeout.
#ifndef ELECTRUM_GATEWAY_SERVER_TRANSPORT_FACTORIES_H_
#define ELECTRUM_GATEWAY_SERVER_TRANSPORT_FACTORIES_H_

#include <chrono>

#include "gateway/server/listener.h"
#include "gateway/server/tls_certificates.h"

namespace electrum::gateway {

TransportFactory TcpTransports(size_t max_line);
TransportFactory TlsTransports(const TlsCertificates& certificates, size_t max_line,
                               std::chrono::milliseconds handshake_timeout);
TransportFactory WebSocketTransports(size_t max_message,
                                     std::chrono::milliseconds handshake_timeout);
TransportFactory SecureWebSocketTransports(const TlsCertificates& certificates, size_t max_message,
                                           std::chrono::milliseconds handshake_timeout);

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_SERVER_TRANSPORT_FACTORIES_H_
