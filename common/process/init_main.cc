#include "common/process/init_main.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/flags/flag.h"
#include "absl/synchronization/mutex.h"
#include "common/config/env_flags.h"
#include "common/logging/logging.h"

ABSL_FLAG(std::string, log_level, "info", "trace, debug, info, warn, error, critical or off");

namespace electrum {

std::vector<char*> InitMain(int argc, char** argv, const char* component,
                            absl::string_view summary) {
  // Debian builds Abseil with Mutex deadlock detection on: a lock-order
  // graph update on every gRPC mutex acquisition, measurable on hot paths.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  std::vector<char*> positional = ParseFlagsAndEnvironment(argc, argv, summary);
  absl::Status logging =
      InitLogging({.level = absl::GetFlag(FLAGS_log_level), .component = component});
  if (!logging.ok()) {
    std::fprintf(stderr, "%s\n", std::string(logging.message()).c_str());
    std::exit(2);
  }
  return positional;
}

}  // namespace electrum
