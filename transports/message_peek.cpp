#include "cafmcp/transports/message_peek.hpp"

#include <optional>

#include <nlohmann/json.hpp>

namespace cafmcp::transports {

namespace {

using json = nlohmann::json;

// Records only the top-level members that matter; everything nested is
// parsed (so the input is validated) and dropped. With `stop_early`, parsing
// stops once the kind and id are known (see peek_outbound).
struct peek_handler : nlohmann::json_sax<json> {
  explicit peek_handler(bool early = false) : stop_early(early) {}

  bool stop_early;
  bool stopped = false;
  int depth = 0;
  bool top_is_object = false;
  bool top_is_array = false;
  bool top_seen = false;
  std::string current_key; // at depth 1
  bool has_id = false;
  bool id_ok = true;
  std::string id;
  bool has_method = false;
  bool method_ok = true;
  std::string method;
  bool has_result_or_error = false;

  void top_value() {
    if (!top_seen)
      top_seen = true;
  }
  bool at_member() const { return depth == 1 && top_is_object; }

  // A member with an id plus a result, error or method settles the kind.
  bool go_on() {
    if (stop_early && has_id && (has_result_or_error || has_method)) {
      stopped = true;
      return false;
    }
    return true;
  }

  void scalar(const std::string& text, bool valid_id) {
    top_value();
    if (!at_member())
      return;
    if (current_key == "id") {
      has_id = true;
      id = text;
      id_ok = valid_id;
    } else if (current_key == "method") {
      has_method = true;
      method_ok = false;
    } else if (current_key == "result" || current_key == "error") {
      has_result_or_error = true;
    }
  }

  bool null() override {
    scalar("null", false);
    return go_on();
  }
  bool boolean(bool) override {
    scalar("false", false);
    return go_on();
  }
  bool number_integer(number_integer_t v) override {
    scalar(std::to_string(v), true);
    return go_on();
  }
  bool number_unsigned(number_unsigned_t v) override {
    scalar(std::to_string(v), true);
    return go_on();
  }
  bool number_float(number_float_t, const string_t& s) override {
    scalar(s, false);
    return go_on();
  }
  bool string(string_t& s) override {
    top_value();
    if (at_member()) {
      if (current_key == "method") {
        has_method = true;
        method = s;
        return go_on();
      }
      if (current_key == "id") {
        has_id = true;
        id = json(s).dump();
        return go_on();
      }
      if (current_key == "result" || current_key == "error")
        has_result_or_error = true;
    }
    return true;
  }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return open(true); }
  bool end_object() override {
    --depth;
    return true;
  }
  bool start_array(std::size_t) override { return open(false); }
  bool end_array() override {
    --depth;
    return true;
  }
  bool key(string_t& k) override {
    if (depth != 1)
      return true;
    current_key = k;
    if (k == "result" || k == "error") {
      has_result_or_error = true;
      return go_on(); // the (possibly large) value is not scanned
    }
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

  bool open(bool object) {
    if (depth == 0) {
      top_seen = true;
      top_is_object = object;
      top_is_array = !object;
    } else if (at_member()) {
      if (current_key == "id") {
        has_id = true;
        id_ok = false;
      } else if (current_key == "method") {
        has_method = true;
        method_ok = false;
      } else if (current_key == "result" || current_key == "error") {
        has_result_or_error = true;
      }
    }
    ++depth;
    return true;
  }
};

peeked_message peek(std::string_view text, bool stop_early) {
  peeked_message out;
  peek_handler h{stop_early};
  bool ok = false;
  try {
    ok = json::sax_parse(text.begin(), text.end(), &h);
  } catch (...) {
    ok = false;
  }
  if (!ok && !h.stopped) {
    out.kind = peek_kind::invalid_json;
    return out;
  }
  if (h.top_is_array) {
    out.kind = peek_kind::batch;
    return out;
  }
  if (!h.top_is_object) {
    out.kind = peek_kind::invalid;
    return out;
  }
  if (h.has_id)
    out.id = h.id;
  if (h.has_method) {
    if (!h.method_ok) {
      out.kind = peek_kind::invalid;
      return out;
    }
    out.method = std::move(h.method);
    if (!h.has_id) {
      out.kind = peek_kind::notification;
      return out;
    }
    out.kind = h.id_ok ? peek_kind::request : peek_kind::invalid;
    return out;
  }
  if (h.has_id && h.has_result_or_error) {
    out.kind = peek_kind::response;
    return out;
  }
  out.kind = peek_kind::invalid;
  return out;
}

} // namespace

peeked_message peek_message(std::string_view text) {
  return peek(text, false);
}

namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// The length of the JSON string token at the start of `text` when it has no
// escapes (0 otherwise: the caller then takes the general path).
std::size_t plain_string_token(std::string_view text) {
  if (text.empty() || text[0] != '"')
    return 0;
  for (std::size_t i = 1; i < text.size(); ++i) {
    if (text[i] == '\\')
      return 0;
    if (text[i] == '"')
      return i + 1;
  }
  return 0;
}

// The length of the id token at the start of `text`: an integer, null, or a
// string without escapes; 0 for anything else.
std::size_t id_token(std::string_view text) {
  if (starts_with(text, "null"))
    return 4;
  if (!text.empty() && text[0] == '"')
    return plain_string_token(text);
  std::size_t i = (!text.empty() && text[0] == '-') ? 1 : 0;
  auto digits = i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9')
    ++i;
  if (i == digits || i == text.size() || text[i] != ',')
    return 0; // no digits, or a fraction or exponent follows
  return i;
}

// protocol::encode writes every message as {"jsonrpc":"2.0", then "id":<id>
// (requests, responses, errors), then "method":, "result": or "error":. That
// envelope is read directly; anything else takes the SAX path.
std::optional<peeked_message> read_envelope(std::string_view text) {
  constexpr std::string_view head = R"({"jsonrpc":"2.0",)";
  constexpr std::string_view id_key = R"("id":)";
  constexpr std::string_view method_key = R"("method":)";
  if (!starts_with(text, head))
    return std::nullopt;
  text.remove_prefix(head.size());
  peeked_message out;
  bool has_id = starts_with(text, id_key);
  if (has_id) {
    text.remove_prefix(id_key.size());
    auto n = id_token(text);
    if (n == 0)
      return std::nullopt;
    out.id = std::string{text.substr(0, n)};
    text.remove_prefix(n + 1); // and the comma
    if (starts_with(text, R"("result":)") || starts_with(text, R"("error":)")) {
      out.kind = peek_kind::response;
      return out;
    }
  }
  if (!starts_with(text, method_key) || out.id == "null")
    return std::nullopt;
  text.remove_prefix(method_key.size());
  auto n = plain_string_token(text);
  if (n == 0)
    return std::nullopt;
  out.method = std::string{text.substr(1, n - 2)};
  out.kind = has_id ? peek_kind::request : peek_kind::notification;
  return out;
}

} // namespace

peeked_message peek_outbound(std::string_view text) {
  if (auto quick = read_envelope(text))
    return std::move(*quick);
  return peek(text, true);
}

} // namespace cafmcp::transports
