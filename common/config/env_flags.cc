#include "common/config/env_flags.h"

#include <cstdio>
#include <cstdlib>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

extern char** environ;

namespace electrum {

std::string EnvironmentVariableFor(absl::string_view flag_name) {
  return absl::StrCat(kEnvironmentPrefix, absl::AsciiStrToUpper(flag_name));
}

absl::Status ApplyEnvironmentToFlags(const std::map<std::string, std::string>& environment,
                                     std::vector<std::string>* unknown) {
  std::map<std::string, absl::CommandLineFlag*> by_variable;
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    by_variable.emplace(EnvironmentVariableFor(name), flag);
  }
  for (const auto& [variable, value] : environment) {
    if (!absl::StartsWith(variable, kEnvironmentPrefix)) continue;
    auto found = by_variable.find(variable);
    if (found == by_variable.end()) {
      if (unknown != nullptr) unknown->push_back(variable);
      continue;
    }
    std::string error;
    if (!found->second->ParseFrom(value, &error)) {
      return absl::InvalidArgumentError(
          absl::StrCat("environment variable ", variable, "='", value, "': ", error));
    }
  }
  return absl::OkStatus();
}

std::vector<char*> ParseFlagsAndEnvironment(int argc, char** argv) {
  std::map<std::string, std::string> environment;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    absl::string_view text(*entry);
    size_t equals = text.find('=');
    if (equals == absl::string_view::npos) continue;
    environment.emplace(text.substr(0, equals), text.substr(equals + 1));
  }
  std::vector<std::string> unknown;
  absl::Status status = ApplyEnvironmentToFlags(environment, &unknown);
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", std::string(status.message()).c_str());
    std::exit(2);
  }
  // Logging is not set up yet; a plain line on stderr is the right channel.
  for (const std::string& variable : unknown) {
    std::fprintf(stderr, "warning: %s matches no flag of this program; ignored\n",
                 variable.c_str());
  }
  return absl::ParseCommandLine(argc, argv);
}

}  // namespace electrum
