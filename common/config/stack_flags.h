// The flag names of every component of the stack (gateway, services,
// indexer, migrate, simnode, gateway_admin). One configuration file or
// ConfigMap feeds them all, so a component seeing ELECTRUM_<FLAG> for
// another component's flag keeps quiet; only a name no component knows is
// a typo worth a warning. integration_tests/configuration_test checks this
// list against every binary's --help, so it cannot drift.
#ifndef ELECTRUM_COMMON_CONFIG_STACK_FLAGS_H_
#define ELECTRUM_COMMON_CONFIG_STACK_FLAGS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace electrum {

// Sorted, without duplicates.
const std::vector<absl::string_view>& StackFlagNames();

bool IsStackFlag(absl::string_view flag_name);

// The stack flag nearest to `flag_name` within two edits (a likely typo),
// or nullopt.
std::optional<std::string> NearestStackFlag(absl::string_view flag_name);

}  // namespace electrum

#endif  // ELECTRUM_COMMON_CONFIG_STACK_FLAGS_H_
