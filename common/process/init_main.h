// What every binary's main() does first: read flags (with the ELECTRUM_*
// environment fallback) and set up logging from --log_level. Exits with
// status 2 and a message on bad configuration.
#ifndef ELECTRUM_COMMON_PROCESS_INIT_MAIN_H_
#define ELECTRUM_COMMON_PROCESS_INIT_MAIN_H_

#include <vector>

namespace electrum {

// `component` is put on every log line (e.g. "simnode"). Returns the
// positional arguments.
std::vector<char*> InitMain(int argc, char** argv, const char* component);

}  // namespace electrum

#endif  // ELECTRUM_COMMON_PROCESS_INIT_MAIN_H_
