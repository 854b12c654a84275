#include "cafmcp/actors/services/service_clock.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace cafmcp::services {

std::int64_t system_clock_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string iso8601_utc(std::int64_t unix_ms) {
  auto secs = unix_ms >= 0 ? unix_ms / 1000 : (unix_ms - 999) / 1000;
  auto millis = static_cast<int>(unix_ms - secs * 1000);
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96]; // room for any int year, so -Wformat-truncation can prove it fits
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buf;
}

} // namespace cafmcp::services
