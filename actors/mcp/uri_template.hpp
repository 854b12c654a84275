#pragma once
// RFC 6570 URI templates, levels 1 and 2, for MCP resource templates
// (checklist §4 "Resources": templates with RFC 6570 uriTemplate).
//
//   {var}    simple expansion: the value with everything but unreserved
//            characters percent-encoded; when matching, one or more
//            characters other than '/', '?' and '#', percent-decoded.
//   {+var}   reserved expansion: reserved characters pass through; when
//            matching, one or more of any character (it may span '/').
//   {#var}   fragment expansion: '#' then the value as for '+'.
// Levels 3 and 4 (lists "{x,y}", operators ./;?&, modifiers :3 and *) are
// refused at parse time: MCP clients only ever fill single variables, and a
// template we cannot match exactly should fail at registration, not at read.
//
// Matching is a small backtracking matcher over the parsed parts rather than
// std::regex: libstdc++'s regex recurses per input character and could
// overflow the stack on a long, hostile URI. Recursion depth is bounded by
// the number of parts, failed (part, offset) states are memoised, and a
// variable followed by a literal only tries ends where that literal occurs,
// so a hostile URI cannot make matching explode either. URIs longer than
// max_match_length never match.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cafmcp/protocol/result.hpp"

namespace cafmcp::mcp {

class uri_template {
public:
  using variables = std::map<std::string, std::string>;

  // The error says what is wrong and where.
  static protocol::result<uri_template, std::string> parse(std::string_view text);

  const std::string& text() const noexcept { return text_; }

  // Names of the variables in order of appearance.
  std::vector<std::string> variable_names() const;

  // True when `uri` is an expansion of this template; fills `out` with the
  // (decoded) variable values.
  bool match(std::string_view uri, variables& out) const;

  // The URI for these values (missing variables expand to nothing).
  std::string expand(const variables& values) const;

private:
  enum class op { literal, simple, reserved, fragment };
  struct part {
    op kind = op::literal;
    std::string text; // literal text or variable name
  };

  static constexpr std::size_t max_match_length = 4 * 1024;

  struct match_state;
  bool match_from(match_state& st, std::size_t part_index, std::size_t pos) const;

  std::string text_;
  std::vector<part> parts_;
};

} // namespace cafmcp::mcp
