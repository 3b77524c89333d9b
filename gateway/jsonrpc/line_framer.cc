#include "gateway/jsonrpc/line_framer.h"

namespace electrum::gateway {

size_t LineFramer::Append(std::string_view data, std::vector<std::string>& lines) {
  size_t dropped = 0;
  while (!data.empty()) {
    const size_t newline = data.find('\n');
    const std::string_view piece = data.substr(0, newline);
    if (discarding_) {
      if (newline == std::string_view::npos) return dropped;
      discarding_ = false;
    } else if (partial_.size() + piece.size() > max_line_) {
      // Too long whether or not its end is here: drop what is held and
      // the rest of the line.
      partial_.clear();
      partial_.shrink_to_fit();
      ++dropped;
      if (newline == std::string_view::npos) {
        discarding_ = true;
        return dropped;
      }
    } else if (newline == std::string_view::npos) {
      partial_.append(piece);
      return dropped;
    } else if (partial_.empty()) {
      lines.emplace_back(piece);
    } else {
      partial_.append(piece);
      lines.push_back(std::move(partial_));
      partial_.clear();
    }
    data.remove_prefix(newline + 1);
  }
  return dropped;
}

}  // namespace electrum::gateway
