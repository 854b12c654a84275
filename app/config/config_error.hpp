// Errors are values: loading, parsing and validating return a config_result
// that holds either the value or every problem found, each naming the key
// (`supervision.num_pools`) or flag (`--http`) at fault.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace cafmcp::app {

struct config_error {
  std::string key;     // dotted config key, command-line flag, or file path
  std::string message; // what is wrong, and what would be right
};

/// "key: message", the form the node prints before exiting with code 2.
std::string to_string(const config_error& x);

/// All errors, one per line.
std::string to_string(const std::vector<config_error>& xs);

template <class T>
class config_result {
public:
  // in_place_index: T may itself be constructible from anything (nlohmann::json).
  config_result(T value) : data_(std::in_place_index<0>, std::move(value)) {}
  config_result(std::vector<config_error> errors)
      : data_(std::in_place_index<1>, std::move(errors)) {}
  config_result(config_error error)
      : data_(std::in_place_index<1>, std::vector<config_error>{std::move(error)}) {}

  bool ok() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return ok(); }

  /// Precondition: ok().
  const T& value() const& { return std::get<T>(data_); }
  T& value() & { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }

  /// Empty when ok().
  const std::vector<config_error>& errors() const {
    static const std::vector<config_error> none;
    if (auto* xs = std::get_if<std::vector<config_error>>(&data_))
      return *xs;
    return none;
  }

private:
  std::variant<T, std::vector<config_error>> data_;
};

} // namespace cafmcp::app
