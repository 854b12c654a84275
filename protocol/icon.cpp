#include "cafmcp/protocol/icon.hpp"

#include <algorithm>
#include <cctype>

namespace cafmcp::protocol {

namespace {

bool starts_with_ignoring_case(std::string_view s, std::string_view prefix) noexcept {
  return s.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), s.begin(), [](char p, char c) {
           return p == std::tolower(static_cast<unsigned char>(c));
         });
}

bool is_digits(std::string_view s) noexcept {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_valid_size(std::string_view s) noexcept {
  if (s == "any")
    return true;
  const auto x = s.find_first_of("xX");
  return x != std::string_view::npos && is_digits(s.substr(0, x)) && is_digits(s.substr(x + 1));
}

} // namespace

result<void, std::string> check_icon_src(std::string_view src) {
  if (std::any_of(src.begin(), src.end(),
                  [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; }))
    return std::string{"icon src must not contain spaces or control characters"};
  if (starts_with_ignoring_case(src, "https://")) {
    const auto authority = src.substr(8, src.find_first_of("/?#", 8) - 8);
    if (authority.empty())
      return std::string{"icon src https: URI has no host"};
    return {};
  }
  if (starts_with_ignoring_case(src, "data:")) {
    if (src.find(',') == std::string_view::npos)
      return std::string{"icon src data: URI has no ',' before its data"};
    return {};
  }
  return std::string{"icon src must be an https: or data: URI"};
}

result<icon, std::string> parse_icon(const nlohmann::json& j) {
  if (!j.is_object())
    return std::string{"icon must be an object"};
  icon out;
  auto src = j.find("src");
  if (src == j.end() || !src->is_string())
    return std::string{"icon src must be a string"};
  out.src = src->get<std::string>();
  if (auto ok = check_icon_src(out.src); !ok)
    return ok.error();
  if (auto mime = j.find("mimeType"); mime != j.end()) {
    if (!mime->is_string() || mime->get_ref<const std::string&>().empty())
      return std::string{"icon mimeType must be a non-empty string"};
    out.mime_type = mime->get<std::string>();
  }
  if (auto sizes = j.find("sizes"); sizes != j.end()) {
    if (!sizes->is_array())
      return std::string{"icon sizes must be an array of strings"};
    for (const auto& s : *sizes) {
      if (!s.is_string() || !is_valid_size(s.get_ref<const std::string&>()))
        return std::string{R"(icon sizes entries must look like "48x48" or "any")"};
      out.sizes.push_back(s.get<std::string>());
    }
  }
  if (auto theme = j.find("theme"); theme != j.end()) {
    if (*theme == "light")
      out.theme = icon_theme::light;
    else if (*theme == "dark")
      out.theme = icon_theme::dark;
    else
      return std::string{R"(icon theme must be "light" or "dark")"};
  }
  return out;
}

result<std::vector<icon>, std::string> parse_icons(const nlohmann::json& j) {
  if (!j.is_array())
    return std::string{"icons must be an array"};
  std::vector<icon> out;
  out.reserve(j.size());
  for (std::size_t i = 0; i < j.size(); ++i) {
    auto one = parse_icon(j[i]);
    if (!one)
      return "icons[" + std::to_string(i) + "]: " + one.error();
    out.push_back(std::move(*one));
  }
  return out;
}

void to_json(nlohmann::json& j, const icon& i) {
  j = nlohmann::json{{"src", i.src}};
  if (i.mime_type)
    j["mimeType"] = *i.mime_type;
  if (!i.sizes.empty())
    j["sizes"] = i.sizes;
  if (i.theme)
    j["theme"] = *i.theme == icon_theme::light ? "light" : "dark";
}

} // namespace cafmcp::protocol
