// The TLS certificate and key the ssl and wss listeners serve, loaded from
// files and reloadable (on SIGHUP) without dropping sessions: connections
// accepted after a reload use the new pair, open ones keep theirs.
#ifndef ELECTRUM_GATEWAY_SERVER_TLS_CERTIFICATES_H_
#define ELECTRUM_GATEWAY_SERVER_TLS_CERTIFICATES_H_

#include <memory>
#include <mutex>
#include <string>

#include "absl/status/status.h"
#include "boost/asio/ssl/context.hpp"

namespace electrum::gateway {

class TlsCertificates {
 public:
  TlsCertificates(std::string certificate_file, std::string key_file);

  // Reads both files again; on failure the previous pair stays in use.
  absl::Status Reload();
  std::shared_ptr<boost::asio::ssl::context> Current() const;

 private:
  const std::string certificate_file_;
  const std::string key_file_;
  mutable std::mutex mutex_;
  std::shared_ptr<boost::asio::ssl::context> current_;
};

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_SERVER_TLS_CERTIFICATES_H_
