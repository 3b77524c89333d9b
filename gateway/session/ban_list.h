// Addresses and subnets an operator banned: their connections are refused
// at accept time.
#ifndef ELECTRUM_GATEWAY_SESSION_BAN_LIST_H_
#define ELECTRUM_GATEWAY_SESSION_BAN_LIST_H_

#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "boost/asio/ip/address.hpp"

namespace electrum::gateway {

class BanList {
 public:
  // "203.0.113.7", "203.0.113.0/24", "2001:db8::/48"; returns the
  // canonical form. INVALID_ARGUMENT for anything else.
  absl::StatusOr<std::string> Ban(const std::string& text);
  // False when it was not banned.
  absl::StatusOr<bool> Unban(const std::string& text);
  bool IsBanned(const boost::asio::ip::address& address) const;
  std::vector<std::string> List() const;

 private:
  struct Entry {
    boost::asio::ip::address network;
    int prefix;
    std::string text;
  };
  static absl::StatusOr<Entry> Parse(const std::string& text);
  static bool Contains(const Entry& entry, const boost::asio::ip::address& address);

  mutable std::mutex mutex_;
  std::vector<Entry> entries_;
};

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_SESSION_BAN_LIST_H_
