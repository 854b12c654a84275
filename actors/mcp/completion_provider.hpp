#pragma once
// Argument completion (checklist §4 "Completion"): a provider suggests values
// for one argument of a prompt or of a resource template.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cafmcp::mcp {

struct completion_ref {
  enum class kind : uint8_t { prompt, resource };
  kind type = kind::prompt;
  std::string name; // prompt name, or the resource template's uriTemplate

  static completion_ref prompt(std::string name) { return {kind::prompt, std::move(name)}; }
  static completion_ref resource(std::string uri_template) {
    return {kind::resource, std::move(uri_template)};
  }

  friend bool operator<(const completion_ref& a, const completion_ref& b) {
    return a.type != b.type ? a.type < b.type : a.name < b.name;
  }
  friend bool operator==(const completion_ref& a, const completion_ref& b) {
    return a.type == b.type && a.name == b.name;
  }
};

struct completion_request {
  completion_ref ref;
  std::string argument;                       // argument.name
  std::string value;                          // argument.value, the partial input
  std::map<std::string, std::string> context; // context.arguments, already resolved ones
};

struct completion_values {
  std::vector<std::string> values; // the server sends at most 100
  std::optional<uint64_t> total;
  bool has_more = false;
};

// Runs on a cooperative worker: must be quick and must not block.
using complete_fn = std::function<completion_values(const completion_request&)>;

} // namespace cafmcp::mcp
