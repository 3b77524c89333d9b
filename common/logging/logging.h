// Process-wide logging setup (spdlog). Code logs with spdlog::info(...) etc.;
// only main() calls InitLogging.
#ifndef ELECTRUM_COMMON_LOGGING_LOGGING_H_
#define ELECTRUM_COMMON_LOGGING_LOGGING_H_

#include <string>

#include "absl/status/status.h"

namespace electrum {

struct LogOptions {
  // trace, debug, info, warn, error, critical or off.
  std::string level = "info";
  // Component name put on every line, e.g. "gateway".
  std::string component;
};

// Sends logs to stderr with the level and a line format with UTC time,
// level, component and thread. Unknown level names are an error rather than
// a silent default.
absl::Status InitLogging(const LogOptions& options);

}  // namespace electrum

#endif  // ELECTRUM_COMMON_LOGGING_LOGGING_H_
