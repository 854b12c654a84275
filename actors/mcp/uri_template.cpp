#include "cafmcp/actors/mcp/uri_template.hpp"

#include <cctype>

namespace cafmcp::mcp {

namespace {

bool is_unreserved(unsigned char c) {
  return std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~';
}

bool is_reserved(unsigned char c) {
  static constexpr std::string_view reserved = ":/?#[]@!$&'()*+,;=";
  return reserved.find(static_cast<char>(c)) != std::string_view::npos;
}

// RFC 6570 varname: ALPHA / DIGIT / "_" / pct-encoded, with "." inside.
bool valid_varname(std::string_view name) {
  if (name.empty() || name.front() == '.' || name.back() == '.')
    return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    if (std::isalnum(c) != 0 || c == '_' || c == '.')
      continue;
    if (c == '%' && i + 2 < name.size() && std::isxdigit(static_cast<unsigned char>(name[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(name[i + 2]))) {
      i += 2;
      continue;
    }
    return false;
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

std::string pct_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = hex_value(s[i + 1]);
      int lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

void pct_encode(std::string& out, std::string_view value, bool allow_reserved) {
  static constexpr char digits[] = "0123456789ABCDEF";
  for (std::size_t i = 0; i < value.size(); ++i) {
    auto c = static_cast<unsigned char>(value[i]);
    // Reserved expansion keeps existing pct-triplets as they are (RFC 6570 §3.2.3).
    if (allow_reserved && c == '%' && i + 2 < value.size() && hex_value(value[i + 1]) >= 0 &&
        hex_value(value[i + 2]) >= 0) {
      out += value.substr(i, 3);
      i += 2;
      continue;
    }
    if (is_unreserved(c) || (allow_reserved && is_reserved(c))) {
      out += static_cast<char>(c);
      continue;
    }
    out += '%';
    out += digits[c >> 4];
    out += digits[c & 0xf];
  }
}

} // namespace

protocol::result<uri_template, std::string> uri_template::parse(std::string_view text) {
  uri_template t;
  t.text_ = std::string{text};
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto open = text.find('{', pos);
    auto close_stray = text.find('}', pos);
    if (close_stray != std::string_view::npos && close_stray < open)
      return "unmatched '}' at offset " + std::to_string(close_stray);
    if (open == std::string_view::npos) {
      t.parts_.push_back({op::literal, std::string{text.substr(pos)}});
      break;
    }
    if (open > pos)
      t.parts_.push_back({op::literal, std::string{text.substr(pos, open - pos)}});
    auto close = text.find('}', open);
    if (close == std::string_view::npos)
      return "unterminated expression at offset " + std::to_string(open);
    auto expr = text.substr(open + 1, close - open - 1);
    op kind = op::simple;
    if (!expr.empty() && (expr.front() == '+' || expr.front() == '#')) {
      kind = expr.front() == '+' ? op::reserved : op::fragment;
      expr.remove_prefix(1);
    }
    if (expr.find(',') != std::string_view::npos || expr.find('*') != std::string_view::npos ||
        expr.find(':') != std::string_view::npos ||
        (!expr.empty() &&
         std::string_view{"./;?&=,!@|"}.find(expr.front()) != std::string_view::npos))
      return "expression '{" + std::string{text.substr(open + 1, close - open - 1)} +
             "}' needs RFC 6570 level 3 or 4; only levels 1 and 2 are supported";
    if (!valid_varname(expr))
      return "invalid variable name '" + std::string{expr} + "' at offset " + std::to_string(open);
    // Two adjacent variables cannot be told apart when matching.
    if (!t.parts_.empty() && t.parts_.back().kind != op::literal)
      return "variables at offset " + std::to_string(open) +
             " follow each other without a literal between them";
    t.parts_.push_back({kind, std::string{expr}});
    pos = close + 1;
  }
  return t;
}

std::vector<std::string> uri_template::variable_names() const {
  std::vector<std::string> out;
  for (const auto& p : parts_)
    if (p.kind != op::literal)
      out.push_back(p.text);
  return out;
}

struct uri_template::match_state {
  std::string_view uri;
  variables& out;
  // failed[i * (uri.size() + 1) + pos]: part i cannot match from offset pos.
  std::vector<bool> failed;
};

bool uri_template::match(std::string_view uri, variables& out) const {
  if (uri.size() > max_match_length)
    return false;
  variables found;
  match_state st{uri, found, std::vector<bool>((parts_.size() + 1) * (uri.size() + 1), false)};
  if (!match_from(st, 0, 0))
    return false;
  out = std::move(found);
  return true;
}

bool uri_template::match_from(match_state& st, std::size_t i, std::size_t pos) const {
  const auto n = st.uri.size();
  if (i == parts_.size())
    return pos == n;
  auto memo = i * (n + 1) + pos;
  if (st.failed[memo])
    return false;
  auto fail = [&] {
    st.failed[memo] = true;
    return false;
  };
  auto rest = st.uri.substr(pos);
  const auto& p = parts_[i];
  if (p.kind == op::literal) {
    if (rest.substr(0, p.text.size()) != p.text)
      return fail();
    return match_from(st, i + 1, pos + p.text.size()) || fail();
  }
  std::size_t start = pos;
  if (p.kind == op::fragment) {
    if (rest.empty() || rest.front() != '#')
      return fail();
    ++start;
  }
  // How far the value may reach: simple values stop at '/', '?' and '#'.
  std::size_t limit = n;
  if (p.kind == op::simple) {
    auto stop = st.uri.find_first_of("/?#", start);
    if (stop != std::string_view::npos)
      limit = stop;
  }
  auto take = [&](std::size_t end) {
    auto value = st.uri.substr(start, end - start);
    st.out[p.text] = p.kind == op::simple ? pct_decode(value) : std::string{value};
    return true;
  };
  // The last part: the value is everything left, if allowed.
  if (i + 1 == parts_.size())
    return limit == n && n > start ? take(n) : fail();
  // Otherwise a literal follows (parse() forbids adjacent variables): try
  // the ends where it occurs, longest value first.
  const auto& next = parts_[i + 1].text;
  auto end = limit >= next.size() ? st.uri.rfind(next, limit) : std::string_view::npos;
  while (end != std::string_view::npos && end > start) {
    if (match_from(st, i + 1, end))
      return take(end);
    if (end == 0)
      break;
    end = st.uri.rfind(next, end - 1);
  }
  return fail();
}

std::string uri_template::expand(const variables& values) const {
  std::string out;
  for (const auto& p : parts_) {
    if (p.kind == op::literal) {
      out += p.text;
      continue;
    }
    auto it = values.find(p.text);
    if (it == values.end())
      continue; // RFC 6570: undefined variables expand to nothing
    if (p.kind == op::fragment)
      out += '#';
    pct_encode(out, it->second, p.kind != op::simple);
  }
  return out;
}

} // namespace cafmcp::mcp
