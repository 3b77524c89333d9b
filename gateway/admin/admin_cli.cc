// gateway_admin: the operator's command line for a gateway's admin service.
//   gateway_admin --target=127.0.0.1:PORT info
//   gateway_admin --target=… sessions
//   gateway_admin --target=… disconnect SESSION_ID
//   gateway_admin --target=… ban 203.0.113.0/24 | unban 203.0.113.0/24
//   gateway_admin --target=… log-level debug
// Prints the answer as JSON; exits 1 with the error on failure.
#include <grpcpp/grpcpp.h>

#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "common/config/env_flags.h"
#include "electrum/v1/gateway_admin.grpc.pb.h"
#include "google/protobuf/util/json_util.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50081", "The gateway's admin address");
ABSL_FLAG(int, timeout_s, 10, "Call deadline");

namespace {

namespace v1 = electrum::v1;

int Print(const grpc::Status& status, const google::protobuf::Message& response) {
  if (!status.ok()) {
    std::cerr << "error: " << status.error_message() << "\n";
    return 1;
  }
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  (void)google::protobuf::util::MessageToJsonString(response, &json, options);
  std::cout << json << "\n";
  return 0;
}

int Usage() {
  std::cerr << "usage: gateway_admin --target=HOST:PORT "
               "info | sessions | disconnect ID | ban ADDRESS | unban ADDRESS | log-level LEVEL\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> arguments = electrum::ParseFlagsAndEnvironment(
      argc, argv,
      "A gateway's admin service from the command line. Commands: info | "
      "sessions | disconnect ID | ban ADDRESS | unban ADDRESS | log-level LEVEL");
  if (arguments.size() < 2) return Usage();
  const std::string command = arguments[1];
  const std::string operand = arguments.size() > 2 ? arguments[2] : "";
  auto stub = v1::GatewayAdmin::NewStub(
      grpc::CreateChannel(absl::GetFlag(FLAGS_target), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(absl::GetFlag(FLAGS_timeout_s)));
  if (command == "info") {
    v1::GetInfoResponse response;
    return Print(stub->GetInfo(&context, {}, &response), response);
  }
  if (command == "sessions") {
    v1::ListSessionsResponse response;
    return Print(stub->ListSessions(&context, {}, &response), response);
  }
  if (command == "disconnect") {
    v1::DisconnectSessionRequest request;
    uint64_t id = 0;
    if (!absl::SimpleAtoi(operand, &id)) return Usage();
    request.set_id(id);
    v1::DisconnectSessionResponse response;
    return Print(stub->DisconnectSession(&context, request, &response), response);
  }
  if (command == "ban" || command == "unban") {
    if (operand.empty()) return Usage();
    if (command == "ban") {
      v1::BanRequest request;
      request.set_address(operand);
      v1::BanResponse response;
      return Print(stub->Ban(&context, request, &response), response);
    }
    v1::UnbanRequest request;
    request.set_address(operand);
    v1::UnbanResponse response;
    return Print(stub->Unban(&context, request, &response), response);
  }
  if (command == "log-level") {
    if (operand.empty()) return Usage();
    v1::SetLogLevelRequest request;
    request.set_level(operand);
    v1::SetLogLevelResponse response;
    return Print(stub->SetLogLevel(&context, request, &response), response);
  }
  return Usage();
}
