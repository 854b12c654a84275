#include "cafmcp/protocol/meta_key.hpp"

#include <algorithm>
#include <cctype>

namespace cafmcp::protocol {

namespace {

bool is_letter(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
bool is_alnum(char c) noexcept {
  return is_letter(c) || is_digit(c);
}

bool is_label(std::string_view l) noexcept {
  if (l.empty() || !is_letter(l.front()) || !is_alnum(l.back()))
    return false;
  return std::all_of(l.begin(), l.end(), [](char c) { return is_alnum(c) || c == '-'; });
}

bool is_name(std::string_view n) noexcept {
  if (n.empty())
    return true;
  if (!is_alnum(n.front()) || !is_alnum(n.back()))
    return false;
  return std::all_of(n.begin(), n.end(),
                     [](char c) { return is_alnum(c) || c == '-' || c == '_' || c == '.'; });
}

bool equals_ignoring_case(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

} // namespace

result<meta_key_parts, std::string> parse_meta_key(std::string_view key) {
  meta_key_parts parts;
  const auto slash = key.find('/');
  if (slash == std::string_view::npos) {
    parts.name = key;
  } else {
    parts.has_prefix = true;
    parts.prefix = key.substr(0, slash);
    parts.name = key.substr(slash + 1);
    std::string_view rest = parts.prefix;
    for (;;) {
      const auto dot = rest.find('.');
      if (!is_label(rest.substr(0, dot)))
        return std::string{"_meta key prefix must be dot-separated labels that start with a "
                           "letter and end with a letter or digit"};
      if (dot == std::string_view::npos)
        break;
      rest.remove_prefix(dot + 1);
    }
  }
  if (!is_name(parts.name))
    return std::string{"_meta key name must start and end with a letter or digit and contain "
                       "only letters, digits, '-', '_' and '.'"};
  return parts;
}

bool is_reserved_meta_key(std::string_view key) {
  auto parts = parse_meta_key(key);
  if (!parts || !parts->has_prefix)
    return false;
  const std::string_view prefix = parts->prefix;
  const auto first_dot = prefix.find('.');
  if (first_dot == std::string_view::npos)
    return false;
  const std::string_view second =
      prefix.substr(first_dot + 1, prefix.find('.', first_dot + 1) - (first_dot + 1));
  return equals_ignoring_case(second, "modelcontextprotocol") ||
         equals_ignoring_case(second, "mcp");
}

} // namespace cafmcp::protocol
