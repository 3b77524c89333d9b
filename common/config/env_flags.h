// Configuration convention: every setting is an absl flag with a default, and
// every flag can also come from the environment as ELECTRUM_<FLAG_NAME>
// (upper case), which containers and the `run` script use. The command line
// wins over the environment, the environment over the default.
#ifndef ELECTRUM_COMMON_CONFIG_ENV_FLAGS_H_
#define ELECTRUM_COMMON_CONFIG_ENV_FLAGS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace electrum {

inline constexpr absl::string_view kEnvironmentPrefix = "ELECTRUM_";

// The environment variable that sets `flag_name`: "db_url" -> "ELECTRUM_DB_URL".
std::string EnvironmentVariableFor(absl::string_view flag_name);

// Sets registered flags from `environment` (name -> value) entries that carry
// the prefix. A value a flag cannot parse is an error naming the variable.
// Prefixed names that match no flag are returned in `unknown` so the caller
// can warn about typos.
absl::Status ApplyEnvironmentToFlags(const std::map<std::string, std::string>& environment,
                                     std::vector<std::string>* unknown);

// Reads the process environment, applies it, then parses the command line.
// Exits with a message on bad configuration, like absl::ParseCommandLine.
// `summary` (what the program is) heads --help, which lists the program's
// own flags with their defaults. Returns the positional arguments.
std::vector<char*> ParseFlagsAndEnvironment(int argc, char** argv, absl::string_view summary = "");

}  // namespace electrum

#endif  // ELECTRUM_COMMON_CONFIG_ENV_FLAGS_H_
