#include "cafmcp/actors/services/secure_id.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <string_view>
#include <system_error>
#include <vector>

#include <sys/random.h>

namespace cafmcp::services {

namespace {

constexpr std::string_view alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Only when getrandom is missing (ENOSYS on very old kernels, or a seccomp filter).
void read_urandom(unsigned char* out, std::size_t n) {
  std::FILE* f = std::fopen("/dev/urandom", "rb");
  if (f == nullptr)
    throw std::system_error(errno, std::generic_category(), "open /dev/urandom");
  auto got = std::fread(out, 1, n, f);
  std::fclose(f);
  if (got != n)
    throw std::system_error(EIO, std::generic_category(), "short read from /dev/urandom");
}

} // namespace

void secure_random_bytes(unsigned char* out, std::size_t n) {
  std::size_t done = 0;
  while (done < n) {
    // Flags 0: block until the pool is initialized (only ever at early boot), never after.
    auto r = ::getrandom(out + done, n - done, 0);
    if (r > 0) {
      done += static_cast<std::size_t>(r);
      continue;
    }
    if (r < 0 && errno == EINTR)
      continue;
    read_urandom(out + done, n - done);
    return;
  }
}

std::string make_secure_id(std::size_t bytes) {
  bytes = std::max<std::size_t>(bytes, 16);
  std::vector<unsigned char> raw(bytes);
  secure_random_bytes(raw.data(), raw.size());
  std::string out;
  out.reserve((bytes * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= bytes; i += 3) {
    unsigned v = (raw[i] << 16) | (raw[i + 1] << 8) | raw[i + 2];
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  if (auto rest = bytes - i; rest > 0) {
    unsigned v = raw[i] << 16;
    if (rest == 2)
      v |= raw[i + 1] << 8;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    if (rest == 2)
      out += alphabet[(v >> 6) & 63];
  }
  return out;
}

} // namespace cafmcp::services
