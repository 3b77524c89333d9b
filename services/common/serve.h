// The life of a service binary after wiring: serve until SIGINT/SIGTERM,
// then shut the gRPC server down with a grace period for in-flight calls.
#ifndef ELECTRUM_SERVICES_COMMON_SERVE_H_
#define ELECTRUM_SERVICES_COMMON_SERVE_H_

#include <atomic>
#include <chrono>
#include <functional>

#include "grpcpp/grpcpp.h"

namespace electrum::services {

// Installs SIGINT/SIGTERM handlers that set the returned flag.
const std::atomic<bool>& StopOnSignals();

// Sleeps until `stop` is set (checking every 100 ms), runs `before_shutdown`
// (close streams' feeds so they end), then shuts `server` down allowing
// `grace` for calls in flight.
void ServeUntil(const std::atomic<bool>& stop, grpc::Server& server,
                std::chrono::milliseconds grace, const std::function<void()>& before_shutdown);

// Sleeps in short steps until `duration` passed or `stop` is set.
void SleepUnlessStopped(const std::atomic<bool>& stop, std::chrono::milliseconds duration);

}  // namespace electrum::services

#endif  // ELECTRUM_SERVICES_COMMON_SERVE_H_
