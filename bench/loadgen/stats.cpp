#include "stats.hpp"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

namespace loadgen {

namespace {
std::string proc_dir(int pid) {
  return pid == 0 ? "/proc/self" : "/proc/" + std::to_string(pid);
}
} // namespace

long rss_kib(int pid) {
  auto* f = std::fopen((proc_dir(pid) + "/status").c_str(), "r");
  if (!f)
    return 0;
  char line[256];
  long kib = 0;
  while (std::fgets(line, sizeof line, f))
    if (std::strncmp(line, "VmRSS:", 6) == 0)
      kib = std::strtol(line + 6, nullptr, 10);
  std::fclose(f);
  return kib;
}

long open_fds(int pid) {
  std::error_code ec;
  long n = 0;
  for (std::filesystem::directory_iterator it{proc_dir(pid) + "/fd", ec}, end; !ec && it != end;
       it.increment(ec))
    ++n;
  return ec ? -1 : n;
}

} // namespace loadgen
