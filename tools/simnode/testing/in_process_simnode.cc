#include "tools/simnode/testing/in_process_simnode.h"

#include <future>
#include <thread>

#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/post.hpp"
#include "tools/simnode/http_server.h"
#include "tools/simnode/rpc_dispatcher.h"

namespace electrum::simnode {

struct InProcessSimnode::Impl {
  boost::asio::io_context io;
  std::unique_ptr<Node> node;
  std::unique_ptr<RpcDispatcher> dispatcher;
  std::unique_ptr<HttpServer> server;
  std::unique_ptr<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
  std::thread thread;
};

absl::StatusOr<std::unique_ptr<InProcessSimnode>> InProcessSimnode::Start(
    const NodeOptions& options) {
  std::unique_ptr<InProcessSimnode> simnode(new InProcessSimnode());
  simnode->impl_ = std::make_unique<Impl>();
  Impl& impl = *simnode->impl_;
  absl::StatusOr<std::unique_ptr<Node>> node = Node::Open(options, nullptr);
  if (!node.ok()) return node.status();
  impl.node = std::move(*node);
  impl.dispatcher = std::make_unique<RpcDispatcher>(RpcContext{.node = impl.node.get()});
  impl.server = std::make_unique<HttpServer>(
      impl.io, HttpServerOptions{.user = kUser, .password = kPassword}, *impl.dispatcher);
  absl::StatusOr<uint16_t> port = impl.server->Start();
  if (!port.ok()) return port.status();
  simnode->port_ = *port;
  impl.work =
      std::make_unique<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>(
          impl.io.get_executor());
  impl.thread = std::thread([&impl] { impl.io.run(); });
  return simnode;
}

InProcessSimnode::~InProcessSimnode() {
  if (impl_ == nullptr || !impl_->thread.joinable()) return;
  boost::asio::post(impl_->io, [this] { impl_->server->Stop(); });
  impl_->work.reset();
  impl_->io.stop();
  impl_->thread.join();
}

void InProcessSimnode::RunOnNode(const std::function<void(Node&)>& work) {
  std::promise<void> done;
  boost::asio::post(impl_->io, [&] {
    work(*impl_->node);
    done.set_value();
  });
  done.get_future().wait();
}

}  // namespace electrum::simnode
