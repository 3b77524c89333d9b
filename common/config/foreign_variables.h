// ELECTRUM_* environment variables that are not settings of any component
// and must not be reported as typos: those the project's own scripts use
// (ELECTRUM_DATA_DIR of `run`, the test and fuzz knobs) and those
// Kubernetes injects for Services whose name starts with "electrum-"
// (service links: ELECTRUM_GATEWAY_SERVICE_HOST=10.0.0.7,
// ELECTRUM_GATEWAY_PORT=tcp://10.0.0.7:50001, ...).
#ifndef ELECTRUM_COMMON_CONFIG_FOREIGN_VARIABLES_H_
#define ELECTRUM_COMMON_CONFIG_FOREIGN_VARIABLES_H_

#include "absl/strings/string_view.h"

namespace electrum {

// `variable` (with its prefix) is read by a project script, not a binary.
bool IsScriptVariable(absl::string_view variable);

// `variable=value` has the name and the value shape of a Kubernetes
// service link. Both must match, so a misspelt setting that happens to end
// in _PORT is still reported.
bool IsServiceLinkVariable(absl::string_view variable, absl::string_view value);

}  // namespace electrum

#endif  // ELECTRUM_COMMON_CONFIG_FOREIGN_VARIABLES_H_
