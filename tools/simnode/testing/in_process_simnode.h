// For tests of components that talk to a node: a simnode serving JSON-RPC
// over HTTP on a loopback port, on its own thread. Node state may only be
// touched through RunOnNode (the server's thread).
#ifndef ELECTRUM_TOOLS_SIMNODE_TESTING_IN_PROCESS_SIMNODE_H_
#define ELECTRUM_TOOLS_SIMNODE_TESTING_IN_PROCESS_SIMNODE_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "tools/simnode/node.h"

namespace electrum::simnode {

class InProcessSimnode {
 public:
  static constexpr char kUser[] = "test";
  static constexpr char kPassword[] = "test-password";

  static absl::StatusOr<std::unique_ptr<InProcessSimnode>> Start(const NodeOptions& options);
  ~InProcessSimnode();

  uint16_t port() const { return port_; }
  // Runs `work` on the server thread and waits for it.
  void RunOnNode(const std::function<void(Node&)>& work);

 private:
  struct Impl;
  InProcessSimnode() = default;
  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
};

}  // namespace electrum::simnode

#endif  // ELECTRUM_TOOLS_SIMNODE_TESTING_IN_PROCESS_SIMNODE_H_
