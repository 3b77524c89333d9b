// What every binary's main() does first: read flags (with the ELECTRUM_*
// environment fallback) and set up logging from --log_level. Exits with
// status 2 and a message on bad configuration.
#ifndef ELECTRUM_COMMON_PROCESS_INIT_MAIN_H_
#define ELECTRUM_COMMON_PROCESS_INIT_MAIN_H_

#include <vector>

#include "absl/strings/string_view.h"

namespace electrum {

// `component` is put on every log line (e.g. "simnode"); `summary` heads
// --help. Returns the positional arguments.
std::vector<char*> InitMain(int argc, char** argv, const char* component,
                            absl::string_view summary = "");

}  // namespace electrum

#endif  // ELECTRUM_COMMON_PROCESS_INIT_MAIN_H_
