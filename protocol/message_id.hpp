#pragma once

// A JSON-RPC request id: a string or an integer, never null (checklist §1).
// 1 and "1" are different ids: a peer may use both in one session, and
// replies must echo the id with its original JSON type.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace cafmcp::protocol {

class message_id {
public:
  message_id(std::int64_t value) : v_(value) {}
  message_id(std::string value) : v_(std::move(value)) {}
  message_id(std::string_view value) : v_(std::string{value}) {}
  message_id(const char* value) : v_(std::string{value}) {}
  // Keeps `message_id{1}` from being ambiguous between int64 and string.
  message_id(int value) : v_(static_cast<std::int64_t>(value)) {}

  bool is_integer() const noexcept { return v_.index() == 0; }
  bool is_string() const noexcept { return v_.index() == 1; }

  // Preconditions: is_integer() / is_string() respectively.
  std::int64_t as_integer() const { return std::get<0>(v_); }
  const std::string& as_string() const { return std::get<1>(v_); }

  // For logs and diagnostics: 7 or "abc" (strings quoted, so the two kinds
  // stay distinguishable). Not an escaping JSON encoder.
  std::string to_display_string() const {
    if (is_integer())
      return std::to_string(as_integer());
    return '"' + as_string() + '"';
  }

  friend bool operator==(const message_id& a, const message_id& b) { return a.v_ == b.v_; }
  friend bool operator!=(const message_id& a, const message_id& b) { return a.v_ != b.v_; }
  // Integers order before strings; enough for std::map and sorted output.
  friend bool operator<(const message_id& a, const message_id& b) { return a.v_ < b.v_; }

  std::size_t hash() const noexcept {
    // Salting by kind keeps 1 and "1" apart even if their hashes collide.
    if (is_integer())
      return std::hash<std::int64_t>{}(as_integer()) ^
             static_cast<std::size_t>(0x9e3779b97f4a7c15ull);
    return std::hash<std::string>{}(as_string());
  }

private:
  std::variant<std::int64_t, std::string> v_;
};

} // namespace cafmcp::protocol

namespace std {
template <>
struct hash<cafmcp::protocol::message_id> {
  size_t operator()(const cafmcp::protocol::message_id& id) const noexcept { return id.hash(); }
};
} // namespace std
