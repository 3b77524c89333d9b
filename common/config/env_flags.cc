#include "common/config/env_flags.h"

#include <cstdio>
#include <cstdlib>
#include <optional>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/config/foreign_variables.h"
#include "common/config/stack_flags.h"

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

namespace {

// The inverse of EnvironmentVariableFor: "ELECTRUM_DB_URL" -> "db_url".
std::string FlagNameFor(const std::string& variable) {
  return absl::AsciiStrToLower(variable.substr(kEnvironmentPrefix.size()));
}

// An ELECTRUM_* variable this program has no flag for is fine when another
// component of the stack has one (one configuration feeds them all), or when
// it is not a setting at all (the scripts' own, Kubernetes service links).
bool IsTypo(const std::string& variable, const std::string& value) {
  return !IsStackFlag(FlagNameFor(variable)) && !IsScriptVariable(variable) &&
         !IsServiceLinkVariable(variable, value);
}

// --help lists the flags of this project's files (each binary's own and
// the shared ones, e.g. --log_level or --node_url) with their defaults;
// Abseil's own flags stay in --helpfull. Abseil's default would match only
// flags defined in a file named after the binary, which none of ours is.
void ConfigureHelp(const char* argv0, absl::string_view summary) {
  static bool configured = false;
  if (configured) return;  // Abseil allows one usage message per process.
  configured = true;
  absl::FlagsUsageConfig config;
  config.contains_help_flags = [](absl::string_view file) {
    return !absl::StrContains(file, "absl/");
  };
  config.contains_helpshort_flags = config.contains_help_flags;
  absl::SetFlagsUsageConfig(config);
  absl::string_view program = argv0 == nullptr ? "program" : argv0;
  if (const size_t slash = program.rfind('/'); slash != absl::string_view::npos) {
    program.remove_prefix(slash + 1);
  }
  absl::SetProgramUsageMessage(absl::StrCat(
      summary, summary.empty() ? "" : "\n\n", "usage: ", program,
      " [--flag=value ...]\n\nEvery flag can also be set in the environment as "
      "ELECTRUM_<FLAG> (upper case); the command line wins. --helpfull adds Abseil's own "
      "flags."));
}

}  // namespace

std::vector<char*> ParseFlagsAndEnvironment(int argc, char** argv, absl::string_view summary) {
  ConfigureHelp(argc > 0 ? argv[0] : nullptr, summary);
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
    if (!IsTypo(variable, environment.at(variable))) continue;
    const std::optional<std::string> nearest = NearestStackFlag(FlagNameFor(variable));
    const std::string hint =
        nearest ? " (did you mean " + EnvironmentVariableFor(*nearest) + "?)" : "";
    std::fprintf(stderr, "warning: %s matches no flag of any component of the stack%s; ignored\n",
                 variable.c_str(), hint.c_str());
  }
  return absl::ParseCommandLine(argc, argv);
}

}  // namespace electrum
