#include "services/common/notification_listener.h"

#include <memory>

#include "pqxx/pqxx"
#include "spdlog/spdlog.h"

namespace electrum::services {
namespace {

class Receiver : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection_base& connection, const std::string& channel,
           const NotificationListener::OnNotification& callback)
      : pqxx::notification_receiver(connection, channel), callback_(callback) {}

  void operator()(const std::string& payload, int) override { callback_(channel(), payload); }

 private:
  const NotificationListener::OnNotification& callback_;
};

}  // namespace

NotificationListener::NotificationListener(NotificationListenerOptions options,
                                           std::function<void()> on_connected,
                                           OnNotification on_notification,
                                           std::function<void()> on_wake)
    : options_(std::move(options)),
      on_connected_(std::move(on_connected)),
      on_notification_(std::move(on_notification)),
      on_wake_(std::move(on_wake)) {}

NotificationListener::~NotificationListener() { Stop(); }

void NotificationListener::Start() {
  thread_ = std::thread([this] { Run(); });
}

void NotificationListener::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void NotificationListener::Run() {
  std::chrono::milliseconds backoff(200);
  while (!stopping_) {
    try {
      pqxx::connection connection(options_.dsn);
      std::vector<std::unique_ptr<Receiver>> receivers;
      for (const std::string& channel : options_.channels) {
        receivers.push_back(std::make_unique<Receiver>(connection, channel, on_notification_));
      }
      // LISTEN is in effect now: anything after this point is delivered.
      on_connected_();
      backoff = std::chrono::milliseconds(200);
      const long micros =
          std::chrono::duration_cast<std::chrono::microseconds>(options_.wake_interval).count();
      while (!stopping_) {
        connection.await_notification(0, micros);
        if (on_wake_) on_wake_();
      }
    } catch (const std::exception& error) {
      if (stopping_) break;
      spdlog::warn("listening for database notifications: {}; reconnecting in {} ms", error.what(),
                   backoff.count());
      const auto until = std::chrono::steady_clock::now() + backoff;
      while (!stopping_ && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      backoff = std::min(backoff * 2, options_.max_backoff);
    }
  }
}

}  // namespace electrum::services
