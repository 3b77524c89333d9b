#include "gateway/session/ban_list.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace electrum::gateway {
namespace {

namespace ip = boost::asio::ip;

// Both as 16 bytes (IPv4 as IPv4-mapped IPv6) so one comparison serves both.
ip::address_v6::bytes_type Bytes(const ip::address& address) {
  if (address.is_v4()) return ip::make_address_v6(ip::v4_mapped, address.to_v4()).to_bytes();
  return address.to_v6().to_bytes();
}

}  // namespace

absl::StatusOr<BanList::Entry> BanList::Parse(const std::string& text) {
  const size_t slash = text.find('/');
  boost::system::error_code error;
  ip::address address = ip::make_address(text.substr(0, slash), error);
  if (error) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text.substr(0, 100), "\" is not an IP address or subnet"));
  }
  const int bits = address.is_v4() ? 32 : 128;
  int prefix = bits;
  if (slash != std::string::npos &&
      (!absl::SimpleAtoi(text.substr(slash + 1), &prefix) || prefix < 0 || prefix > bits)) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text.substr(0, 100), "\" has a bad prefix length"));
  }
  Entry entry{address, prefix, ""};
  // Canonical: the network address with its prefix.
  auto bytes = Bytes(address);
  const int mapped_prefix = address.is_v4() ? prefix + 96 : prefix;
  for (size_t i = 0; i < bytes.size(); ++i) {
    const int keep = std::clamp(mapped_prefix - static_cast<int>(i) * 8, 0, 8);
    bytes[i] &= static_cast<uint8_t>(0xFF00 >> keep);
  }
  const ip::address_v6 network(bytes);
  entry.network = address.is_v4() ? ip::address(ip::make_address_v4(ip::v4_mapped, network))
                                  : ip::address(network);
  entry.text = absl::StrCat(entry.network.to_string(), "/", prefix);
  return entry;
}

bool BanList::Contains(const Entry& entry, const ip::address& address) {
  const auto network = Bytes(entry.network);
  ip::address candidate = address;
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    candidate = ip::make_address_v4(ip::v4_mapped, address.to_v6());
  }
  const auto bytes = Bytes(candidate);
  const int prefix = entry.network.is_v4() ? entry.prefix + 96 : entry.prefix;
  if (entry.network.is_v4() != candidate.is_v4()) return false;
  for (int bit = 0; bit < prefix; ++bit) {
    const uint8_t mask = static_cast<uint8_t>(0x80 >> (bit % 8));
    if ((network[bit / 8] & mask) != (bytes[bit / 8] & mask)) return false;
  }
  return true;
}

absl::StatusOr<std::string> BanList::Ban(const std::string& text) {
  absl::StatusOr<Entry> entry = Parse(text);
  if (!entry.ok()) return entry.status();
  std::lock_guard<std::mutex> lock(mutex_);
  for (const Entry& existing : entries_) {
    if (existing.text == entry->text) return entry->text;
  }
  entries_.push_back(*entry);
  return entry->text;
}

absl::StatusOr<bool> BanList::Unban(const std::string& text) {
  absl::StatusOr<Entry> entry = Parse(text);
  if (!entry.ok()) return entry.status();
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const Entry& existing) { return existing.text == entry->text; });
  if (it == entries_.end()) return false;
  entries_.erase(it);
  return true;
}

bool BanList::IsBanned(const ip::address& address) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::any_of(entries_.begin(), entries_.end(),
                     [&](const Entry& entry) { return Contains(entry, address); });
}

std::vector<std::string> BanList::List() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> texts;
  for (const Entry& entry : entries_) texts.push_back(entry.text);
  return texts;
}

}  // namespace electrum::gateway
