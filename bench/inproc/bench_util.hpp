#pragma once
// What the in-process benchmarks share: JSON-line output, percentiles, RSS,
// flag parsing, and a node started without listeners.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include <unistd.h>

namespace bench {

using clock_type = std::chrono::steady_clock;

inline double us_since(clock_type::time_point t0) {
  return std::chrono::duration<double, std::micro>(clock_type::now() - t0).count();
}

inline void emit(const char* bench, const std::string& metric, double value, const char* unit,
                 const std::string& extra = {}) {
  std::printf("{\"bench\":\"%s\",\"metric\":\"%s\",\"value\":%.3f,\"unit\":\"%s\"%s}\n", bench,
              metric.c_str(), value, unit, extra.c_str());
  std::fflush(stdout);
}

inline double percentile(std::vector<double> xs, double p) {
  if (xs.empty())
    return 0;
  std::sort(xs.begin(), xs.end());
  return xs[static_cast<size_t>(p * static_cast<double>(xs.size() - 1))];
}

// p50/p99/max of a sample as JSON fields.
inline std::string distribution(const std::vector<double>& xs) {
  char buf[160];
  std::snprintf(buf, sizeof buf, ",\"p50\":%.1f,\"p99\":%.1f,\"max\":%.1f,\"samples\":%zu",
                percentile(xs, 0.5), percentile(xs, 0.99), percentile(xs, 1.0), xs.size());
  return buf;
}

inline long rss_kib() {
  long pages_total = 0, pages_resident = 0;
  if (auto* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages_total, &pages_resident) != 2)
      pages_resident = 0;
    std::fclose(f);
  }
  return pages_resident * (sysconf(_SC_PAGESIZE) / 1024);
}

// --name value pairs over defaults; exits with a message on anything else.
inline std::map<std::string, double> parse_flags(int argc, char** argv,
                                                 std::map<std::string, double> defaults) {
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag.rfind("--", 0) != 0 || !defaults.count(flag.substr(2)) || i + 1 >= argc) {
      std::fprintf(stderr, "unknown or incomplete flag %s; flags:", flag.c_str());
      for (auto& [k, v] : defaults)
        std::fprintf(stderr, " --%s (%g)", k.c_str(), v);
      std::fprintf(stderr, "\n");
      std::exit(2);
    }
    defaults[flag.substr(2)] = std::atof(argv[++i]);
  }
  return defaults;
}

} // namespace bench
