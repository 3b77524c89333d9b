#include "common/logging/logging.h"

#include "absl/strings/str_cat.h"
#include "spdlog/sinks/stdout_color_sinks.h"
#include "spdlog/spdlog.h"

namespace electrum {

absl::Status InitLogging(const LogOptions& options) {
  spdlog::level::level_enum level = spdlog::level::from_str(options.level);
  // from_str answers "off" for names it does not know.
  if (level == spdlog::level::off && options.level != "off") {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown log level '", options.level,
                     "' (expected trace, debug, info, warn, error, critical or off)"));
  }
  // Logs go to stderr: stdout stays free for what a program prints on
  // purpose (e.g. simnode's "ready" line that supervisors parse).
  static const bool on_stderr = [] {
    spdlog::set_default_logger(spdlog::stderr_color_mt("electrum"));
    return true;
  }();
  (void)on_stderr;
  spdlog::set_level(level);
  std::string component = options.component.empty() ? "" : options.component + " ";
  spdlog::set_pattern(absl::StrCat("%Y-%m-%dT%H:%M:%S.%fZ %^%l%$ ", component, "[%t] %v"),
                      spdlog::pattern_time_type::utc);
  spdlog::flush_on(spdlog::level::warn);
  return absl::OkStatus();
}

}  // namespace electrum
