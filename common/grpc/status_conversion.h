// The one mapping between absl::Status (our error values) and grpc::Status
// (what crosses service boundaries). Both use the canonical code space, so
// codes map one to one and messages are carried unchanged.
#ifndef ELECTRUM_COMMON_GRPC_STATUS_CONVERSION_H_
#define ELECTRUM_COMMON_GRPC_STATUS_CONVERSION_H_

#include "absl/status/status.h"

namespace grpc {
class Status;
}  // namespace grpc

namespace electrum {

grpc::Status ToGrpcStatus(const absl::Status& status);

absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace electrum

#endif  // ELECTRUM_COMMON_GRPC_STATUS_CONVERSION_H_
