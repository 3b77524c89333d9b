#include "services/common/serve.h"

#include <csignal>
#include <thread>

#include "spdlog/spdlog.h"

namespace electrum::services {
namespace {

std::atomic<bool> stop_requested{false};
void OnSignal(int) { stop_requested = true; }

}  // namespace

const std::atomic<bool>& StopOnSignals() {
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  return stop_requested;
}

void SleepUnlessStopped(const std::atomic<bool>& stop, std::chrono::milliseconds duration) {
  const auto until = std::chrono::steady_clock::now() + duration;
  while (!stop && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void ServeUntil(const std::atomic<bool>& stop, grpc::Server& server,
                std::chrono::milliseconds grace, const std::function<void()>& before_shutdown) {
  while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  spdlog::info("shutting down");
  if (before_shutdown) before_shutdown();
  server.Shutdown(std::chrono::system_clock::now() + grace);
}

}  // namespace electrum::services
