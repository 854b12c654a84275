#include "cafmcp/app/config/config_loader.hpp"

#include "cafmcp/app/config/config_reader.hpp"
#include "cafmcp/app/config/config_validation.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <system_error>

namespace cafmcp::app {

namespace {

using nlohmann::json;

// Follows object keys during parsing to catch duplicates with their full
// dotted path; nlohmann's parser callback is the only place that sees them.
class duplicate_key_finder {
public:
  explicit duplicate_key_finder(std::vector<config_error>& errors) : errors_(errors) {}

  bool operator()(int, json::parse_event_t event, json& parsed) {
    switch (event) {
    case json::parse_event_t::object_start:
      frames_.push_back(frame{true, {}, {}});
      break;
    case json::parse_event_t::array_start:
      frames_.push_back(frame{false, {}, {}});
      break;
    case json::parse_event_t::object_end:
    case json::parse_event_t::array_end:
      if (!frames_.empty())
        frames_.pop_back();
      break;
    case json::parse_event_t::key:
      if (!frames_.empty() && parsed.is_string()) {
        auto& top = frames_.back();
        top.current = parsed.get<std::string>();
        if (!top.seen.insert(top.current).second)
          errors_.push_back(config_error{path(), "is set twice in the same object"});
      }
      break;
    case json::parse_event_t::value:
      break;
    }
    return true; // keep everything: this callback only observes
  }

private:
  struct frame {
    bool is_object;
    std::set<std::string> seen;
    std::string current;
  };

  std::string path() const {
    std::string result;
    for (const auto& f : frames_) {
      if (!result.empty())
        result += f.is_object ? "." : "";
      result += f.is_object ? f.current : "[]";
    }
    return result;
  }

  std::vector<config_error>& errors_;
  std::vector<frame> frames_;
};

// nlohmann reports the byte offset just past the offending character.
std::string position_of(std::string_view text, std::size_t byte) {
  std::size_t line = 1;
  std::size_t column = 1;
  auto end = std::min(byte == 0 ? 0 : byte - 1, text.size());
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

// Drops nlohmann's "[json.exception.parse_error.101] parse error at line 1,
// column 2: " prefix: the position is already in the key.
std::string reason_of(const json::parse_error& e) {
  std::string what = e.what();
  auto start = what.find("parse error");
  if (start != std::string::npos) {
    auto colon = what.find(": ", start);
    if (colon != std::string::npos)
      return what.substr(colon + 2);
  }
  return what;
}

} // namespace

config_result<std::string> read_config_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return config_error{path, "cannot read config file: it is a directory"};
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return config_error{path, std::string{"cannot open config file: "} + std::strerror(errno)};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    return config_error{path, std::string{"cannot read config file: "} + std::strerror(errno)};
  return text.str();
}

config_result<json> parse_config_text(std::string_view text, const std::string& source) {
  std::vector<config_error> errors;
  try {
    duplicate_key_finder finder{errors};
    auto doc = json::parse(text.begin(), text.end(), std::ref(finder));
    if (!errors.empty())
      return errors;
    return doc;
  } catch (const json::parse_error& e) {
    return config_error{source + ":" + position_of(text, e.byte), "invalid JSON: " + reason_of(e)};
  } catch (const std::exception& e) {
    return config_error{source, std::string{"cannot parse config: "} + e.what()};
  }
}

config_result<node_config> load_config_file(const std::string& path, node_config base) {
  auto text = read_config_file(path);
  if (!text)
    return text.errors();
  auto doc = parse_config_text(text.value(), path);
  if (!doc)
    return doc.errors();
  auto cfg = config_from_json(doc.value(), std::move(base));
  if (cfg)
    return cfg;
  // Errors about the document as a whole have no key: name the file.
  auto errors = cfg.errors();
  for (auto& error : errors)
    if (error.key.empty())
      error.key = path;
  return errors;
}

config_result<node_config> load_config(const std::string& path) {
  auto cfg = load_config_file(path);
  if (!cfg)
    return cfg;
  if (auto errors = validate_config(cfg.value()); !errors.empty())
    return errors;
  return cfg;
}

} // namespace cafmcp::app
