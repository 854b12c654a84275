#pragma once
// Small measuring helpers: percentiles and what /proc says about a process.

#include <algorithm>
#include <cstdint>
#include <vector>

namespace loadgen {

inline double percentile(std::vector<std::uint32_t>& sorted_us, double p) {
  if (sorted_us.empty())
    return 0;
  auto idx = static_cast<size_t>(p * static_cast<double>(sorted_us.size() - 1));
  return sorted_us[idx];
}

// VmRSS of a process in KiB (0: unknown). pid 0 is this process.
long rss_kib(int pid);
// Open file descriptors of a process (-1: unknown). pid 0 is this process.
long open_fds(int pid);

} // namespace loadgen
