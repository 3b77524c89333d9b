// libFuzzer target for what the gateway does with untrusted bytes first:
// framing (split into reads of fuzzer-chosen sizes) and message parsing.
// Checks, beyond "no crash": the framer never holds more than a line's
// limit, every accepted call has array or object params, and every reply
// produced for a rejected item is valid JSON.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "gateway/jsonrpc/line_framer.h"
#include "gateway/jsonrpc/message.h"

namespace {

constexpr size_t kMaxLine = 4096;

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace electrum::gateway;
  if (size == 0) return 0;
  // The first byte picks the read size (1..64 bytes, or everything).
  const size_t chunk = data[0] == 0 ? size : (data[0] % 64) + 1;
  std::string_view stream(reinterpret_cast<const char*>(data + 1), size - 1);
  LineFramer framer(kMaxLine);
  Dialect dialect = Dialect::kUndetermined;
  const ParseLimits limits{.max_batch = 16, .max_depth = 16};
  std::vector<std::string> lines;
  while (!stream.empty()) {
    const std::string_view read = stream.substr(0, chunk);
    stream.remove_prefix(read.size());
    lines.clear();
    framer.Append(read, lines);
    Check(framer.buffered() <= kMaxLine);
    for (const std::string& line : lines) {
      Check(line.size() <= kMaxLine);
      const Message message = ParseMessage(line, dialect, limits);
      Check(!message.items.empty());
      Check(message.items.size() <= limits.max_batch);
      for (const MessageItem& item : message.items) {
        if (const Call* call = std::get_if<Call>(&item)) {
          Check(call->params.is_array() || call->params.is_object());
          Check(call->notification == call->id.is_null());
          Check(!nlohmann::json::parse(EncodeResult(call->id, call->params), nullptr, false)
                     .is_discarded());
        } else {
          const Rejected& rejected = std::get<Rejected>(item);
          Check(!nlohmann::json::parse(EncodeError(rejected.id, rejected.error), nullptr, false)
                     .is_discarded());
        }
      }
    }
  }
  return 0;
}
