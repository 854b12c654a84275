#include "cafmcp/protocol/cursor.hpp"

#include <array>
#include <cstdint>

namespace cafmcp::protocol {

namespace {

constexpr char separator = '\x1f';
constexpr std::string_view format_tag = "c1";
constexpr std::string_view alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::uint32_t fnv1a(std::string_view s) noexcept {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : s) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

std::string hex8(std::uint32_t v) {
  constexpr std::string_view digits = "0123456789abcdef";
  std::string out(8, '0');
  for (int i = 7; i >= 0; --i, v >>= 4)
    out[static_cast<std::size_t>(i)] = digits[v & 0xf];
  return out;
}

std::string base64url_encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  auto byte = [&](std::size_t k) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(in[k]));
  };
  for (; i + 3 <= in.size(); i += 3) {
    const std::uint32_t v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    out += alphabet[v >> 18 & 63];
    out += alphabet[v >> 12 & 63];
    out += alphabet[v >> 6 & 63];
    out += alphabet[v & 63];
  }
  if (const std::size_t rest = in.size() - i; rest == 1) {
    const std::uint32_t v = byte(i) << 16;
    out += alphabet[v >> 18 & 63];
    out += alphabet[v >> 12 & 63];
  } else if (rest == 2) {
    const std::uint32_t v = byte(i) << 16 | byte(i + 1) << 8;
    out += alphabet[v >> 18 & 63];
    out += alphabet[v >> 12 & 63];
    out += alphabet[v >> 6 & 63];
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view in) {
  std::array<int, 256> value{};
  value.fill(-1);
  for (std::size_t k = 0; k < alphabet.size(); ++k)
    value[static_cast<unsigned char>(alphabet[k])] = static_cast<int>(k);
  if (in.size() % 4 == 1)
    return std::nullopt;
  std::string out;
  out.reserve(in.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    const int v = value[static_cast<unsigned char>(c)];
    if (v < 0)
      return std::nullopt; // also refuses '=' padding and the '+' '/' alphabet
    acc = acc << 6 | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>(acc >> bits & 0xff);
    }
  }
  // Leftover bits must be zero, so every cursor has exactly one spelling.
  if ((acc & ((1u << bits) - 1)) != 0)
    return std::nullopt;
  return out;
}

} // namespace

std::string encode_cursor(std::string_view scope, std::string_view after_key) {
  std::string payload;
  payload.reserve(format_tag.size() + scope.size() + after_key.size() + 12);
  payload += format_tag;
  payload += separator;
  payload += scope;
  payload += separator;
  payload += after_key;
  const std::string check = hex8(fnv1a(payload));
  payload += separator;
  payload += check;
  return base64url_encode(payload);
}

std::optional<std::string> decode_cursor(std::string_view scope, std::string_view cursor) {
  if (cursor.empty() || cursor.size() > max_cursor_length)
    return std::nullopt;
  auto raw = base64url_decode(cursor);
  if (!raw || raw->size() < 9)
    return std::nullopt;
  std::string_view all{*raw};
  const std::string_view payload = all.substr(0, all.size() - 9);
  const std::string_view tail = all.substr(all.size() - 9);
  if (tail[0] != separator || tail.substr(1) != hex8(fnv1a(payload)))
    return std::nullopt;
  std::string_view rest = payload;
  if (rest.substr(0, format_tag.size()) != format_tag)
    return std::nullopt;
  rest.remove_prefix(format_tag.size());
  if (rest.empty() || rest.front() != separator)
    return std::nullopt;
  rest.remove_prefix(1);
  const auto end_of_scope = rest.find(separator);
  if (end_of_scope == std::string_view::npos || rest.substr(0, end_of_scope) != scope)
    return std::nullopt;
  return std::string{rest.substr(end_of_scope + 1)};
}

} // namespace cafmcp::protocol
