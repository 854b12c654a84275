#include "cafmcp/actors/mcp/session_id.hpp"

#include "cafmcp/actors/mcp/mcp_error.hpp"

#include <cerrno>
#include <sys/random.h>
#include <vector>

namespace cafmcp::mcp {

caf::expected<std::string> make_secure_id(std::size_t random_bytes) {
  std::vector<unsigned char> buf(random_bytes);
  std::size_t filled = 0;
  while (filled < buf.size()) {
    // getrandom blocks only until the pool is initialised at boot; EINTR
    // just means "try again".
    auto n = ::getrandom(buf.data() + filled, buf.size() - filled, 0);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return caf::make_error(mcp_errc::no_entropy, std::string{"getrandom failed"});
    }
    filled += static_cast<std::size_t>(n);
  }
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(random_bytes * 2);
  for (auto b : buf) {
    out += digits[b >> 4];
    out += digits[b & 0xf];
  }
  return out;
}

} // namespace cafmcp::mcp
