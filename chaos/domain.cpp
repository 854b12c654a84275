#include "cafmcp/chaos/domain.hpp"

#include <array>
#include <charconv>
#include <utility>

namespace cafmcp::chaos {

namespace {

constexpr std::array<std::pair<domain_kind, std::string_view>, 6> names{{
    {domain_kind::server, "server"},
    {domain_kind::pool, "pool"},
    {domain_kind::config_service, "config_service"},
    {domain_kind::monitoring, "monitoring"},
    {domain_kind::registry, "registry"},
    {domain_kind::node, "node"},
}};

} // namespace

std::string_view to_string(domain_kind x) {
  for (auto& [kind, name] : names)
    if (kind == x)
      return name;
  return "unknown";
}

std::optional<domain_kind> domain_from_string(std::string_view x) {
  for (auto& [kind, name] : names)
    if (name == x)
      return kind;
  return std::nullopt;
}

std::chrono::milliseconds sla_of(domain_kind x) {
  using std::chrono::milliseconds;
  switch (x) {
  case domain_kind::server:
    return milliseconds{100};
  case domain_kind::pool:
    return milliseconds{500};
  case domain_kind::config_service:
    return milliseconds{1000};
  case domain_kind::monitoring:
    return milliseconds{2000};
  case domain_kind::registry:
    return milliseconds{100};
  case domain_kind::node:
    return milliseconds{10000};
  }
  return milliseconds{0};
}

std::optional<std::size_t> pool_index_of(std::string_view name) {
  constexpr std::string_view prefix = "pool_";
  if (name.substr(0, prefix.size()) != prefix || name.size() == prefix.size())
    return std::nullopt;
  auto digits = name.substr(prefix.size());
  std::size_t out = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
  if (ec != std::errc{} || end != digits.data() + digits.size())
    return std::nullopt;
  return out;
}

} // namespace cafmcp::chaos
