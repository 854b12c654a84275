#include "cafmcp/client/sse_parser.hpp"

#include <cstdlib>

namespace cafmcp::client::detail {

std::vector<sse_event> sse_parser::feed(std::string_view bytes) {
  std::vector<sse_event> out;
  partial_.append(bytes.data(), bytes.size());
  std::size_t start = 0;
  for (;;) {
    auto nl = partial_.find('\n', start);
    if (nl == std::string::npos)
      break;
    auto end = nl;
    if (end > start && partial_[end - 1] == '\r')
      --end;
    line(std::string_view{partial_}.substr(start, end - start), out);
    start = nl + 1;
  }
  partial_.erase(0, start);
  if (partial_.size() + current_.data.size() > max_)
    overflow_ = true;
  return out;
}

void sse_parser::line(std::string_view text, std::vector<sse_event>& out) {
  if (text.empty()) {
    if (has_field_)
      out.push_back(std::move(current_));
    current_ = sse_event{};
    has_field_ = false;
    has_data_ = false;
    return;
  }
  if (text.front() == ':')
    return; // comment (keep-alive)
  auto colon = text.find(':');
  auto field = text.substr(0, colon);
  std::string_view value;
  if (colon != std::string_view::npos) {
    value = text.substr(colon + 1);
    if (!value.empty() && value.front() == ' ')
      value.remove_prefix(1);
  }
  if (field == "data") {
    if (has_data_)
      current_.data += '\n';
    current_.data.append(value.data(), value.size());
    has_data_ = true;
  } else if (field == "id") {
    current_.id.assign(value.data(), value.size());
  } else if (field == "event") {
    current_.event.assign(value.data(), value.size());
  } else if (field == "retry") {
    char* end = nullptr;
    std::string digits{value};
    auto ms = std::strtol(digits.c_str(), &end, 10);
    if (end && *end == '\0' && !digits.empty())
      current_.retry = ms;
  } else {
    return;
  }
  has_field_ = true;
}

} // namespace cafmcp::client::detail
