#include "gateway/server/tls_certificates.h"

#include "absl/strings/str_cat.h"

namespace electrum::gateway {

namespace ssl = boost::asio::ssl;

TlsCertificates::TlsCertificates(std::string certificate_file, std::string key_file)
    : certificate_file_(std::move(certificate_file)), key_file_(std::move(key_file)) {}

absl::Status TlsCertificates::Reload() {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       ssl::context::single_dh_use);
  boost::system::error_code error;
  context->use_certificate_chain_file(certificate_file_, error);
  if (error) {
    return absl::InvalidArgumentError(
        absl::StrCat("TLS certificate ", certificate_file_, ": ", error.message()));
  }
  context->use_private_key_file(key_file_, ssl::context::pem, error);
  if (error) {
    return absl::InvalidArgumentError(absl::StrCat("TLS key ", key_file_, ": ", error.message()));
  }
  std::lock_guard<std::mutex> lock(mutex_);
  current_ = std::move(context);
  return absl::OkStatus();
}

std::shared_ptr<ssl::context> TlsCertificates::Current() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return current_;
}

}  // namespace electrum::gateway
