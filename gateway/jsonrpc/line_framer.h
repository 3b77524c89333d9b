// Splits a raw TCP/TLS byte stream into newline-terminated messages (spec
// §1.1). A line growing past `max_line` is dropped up to and including its
// newline, as ElectrumX does: the connection re-synchronises on the next
// line instead of buffering without bound.
#ifndef ELECTRUM_GATEWAY_JSONRPC_LINE_FRAMER_H_
#define ELECTRUM_GATEWAY_JSONRPC_LINE_FRAMER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace electrum::gateway {

class LineFramer {
 public:
  explicit LineFramer(size_t max_line) : max_line_(max_line) {}

  // Appends received bytes; complete lines (without their "\n", a trailing
  // "\r" kept) go to `lines`. Returns how many oversized lines were
  // dropped (finished or begun) by this call.
  size_t Append(std::string_view data, std::vector<std::string>& lines);

  // Bytes of the unfinished line held (0 while discarding).
  size_t buffered() const { return partial_.size(); }
  bool discarding() const { return discarding_; }

 private:
  const size_t max_line_;
  std::string partial_;
  bool discarding_ = false;
};

}  // namespace electrum::gateway

#endif  // ELECTRUM_GATEWAY_JSONRPC_LINE_FRAMER_H_
