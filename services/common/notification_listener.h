// Listens to PostgreSQL NOTIFY channels on a connection of its own, in a
// thread, and hands each notification to a callback. Reconnects with backoff
// when the database goes away; `on_connected` runs after every (re)connect,
// before any notification, so consumers can catch up on what they missed;
// `on_wake` (optional) runs every wake_interval while connected, for retries
// and safety polls.
#ifndef ELECTRUM_SERVICES_COMMON_NOTIFICATION_LISTENER_H_
#define ELECTRUM_SERVICES_COMMON_NOTIFICATION_LISTENER_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace electrum::services {

struct NotificationListenerOptions {
  std::string dsn;
  std::vector<std::string> channels;
  std::chrono::milliseconds max_backoff{10000};
  // How often the thread checks for Stop() while idle.
  std::chrono::milliseconds wake_interval{200};
};

class NotificationListener {
 public:
  using OnNotification =
      std::function<void(const std::string& channel, const std::string& payload)>;

  NotificationListener(NotificationListenerOptions options, std::function<void()> on_connected,
                       OnNotification on_notification, std::function<void()> on_wake = nullptr);
  ~NotificationListener();  // stops

  void Start();
  void Stop();

 private:
  void Run();

  const NotificationListenerOptions options_;
  const std::function<void()> on_connected_;
  const OnNotification on_notification_;
  const std::function<void()> on_wake_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace electrum::services

#endif  // ELECTRUM_SERVICES_COMMON_NOTIFICATION_LISTENER_H_
