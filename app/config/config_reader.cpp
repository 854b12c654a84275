#include "cafmcp/app/config/config_reader.hpp"

#include "cafmcp/app/config/config_fields.hpp"
#include "cafmcp/app/config/field_checks.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace cafmcp::app {

namespace {

using nlohmann::json;

// "string '8080'", "null", "array": enough to see what was written instead.
std::string describe(const json& j) {
  switch (j.type()) {
  case json::value_t::null:
  case json::value_t::array:
  case json::value_t::object:
    return j.type_name();
  case json::value_t::string:
    return "string " + quote_value(j.get_ref<const std::string&>());
  default:
    return std::string{j.type_name()} + " " + j.dump();
  }
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string parent_of(const std::string& key) {
  auto dot = key.rfind('.');
  return dot == std::string::npos ? std::string{} : key.substr(0, dot);
}

std::string join(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : prefix + "." + name;
}

// Keys that look plausible but are deliberately absent, with the reason.
std::optional<std::string> known_absence(const std::string& key) {
  if (key == "supervision.connection_pool.intensity" ||
      key == "supervision.connection_pool.period_ms")
    return "unknown key: the restart budget of connection_pool is "
           "supervision.pool_restart_intensity and supervision.pool_restart_period";
  if (key == "supervision.pool.strategy")
    return "unknown key: pool supervisors are always simple_one_for_one";
  return std::nullopt;
}

// The visitor of config_fields.hpp that reads values out of a document.
class json_reader {
public:
  json_reader(const json& doc, std::vector<config_error>& errors) : doc_(doc), errors_(errors) {}

  template <class T>
  void number(const std::string& key, T& field, std::int64_t lo, std::int64_t hi) {
    if (auto n = integer_at(key, lo, hi, {}))
      field = static_cast<T>(*n);
  }

  void duration(const std::string& key, milliseconds& field, std::int64_t lo, std::int64_t hi) {
    if (auto n = integer_at(key, lo, hi, " ms"))
      field = milliseconds{*n};
  }

  void boolean(const std::string& key, bool& field) {
    if (auto* j = find(key)) {
      if (j->is_boolean())
        field = j->get<bool>();
      else
        fail(key, "must be true or false, got " + describe(*j));
    }
  }

  void text(const std::string& key, std::string& field, text_rule rule) {
    auto* j = find(key);
    if (!j)
      return;
    if (!j->is_string()) {
      fail(key, "must be a string, got " + describe(*j));
      return;
    }
    const auto& value = j->get_ref<const std::string&>();
    if (auto problem = check_text(value, rule))
      fail(key, *problem);
    else
      field = value;
  }

  void text_list(const std::string& key, std::vector<std::string>& field, text_rule rule) {
    auto* j = find(key);
    if (!j)
      return;
    if (!j->is_array()) {
      fail(key, "must be an array of strings, got " + describe(*j));
      return;
    }
    std::vector<std::string> values;
    for (std::size_t i = 0; i < j->size(); ++i) {
      const auto& item = (*j)[i];
      auto item_key = key + "[" + std::to_string(i) + "]";
      if (!item.is_string()) {
        fail(item_key, "must be a string, got " + describe(item));
        return;
      }
      const auto& value = item.get_ref<const std::string&>();
      if (auto problem = check_text(value, rule)) {
        fail(item_key, *problem);
        return;
      }
      values.push_back(value);
    }
    field = std::move(values);
  }

  template <class Enum, std::size_t N>
  void choice(const std::string& key, Enum& field, const std::array<enum_name<Enum>, N>& names) {
    auto* j = find(key);
    if (!j)
      return;
    std::optional<Enum> value;
    if (j->is_string())
      value = enum_from_name(names, j->get_ref<const std::string&>());
    if (value) {
      field = *value;
      return;
    }
    std::string allowed;
    for (const auto& entry : names)
      allowed += (allowed.empty() ? "" : "|") + std::string{entry.name};
    fail(key, "must be one of " + allowed + ", got " + describe(*j));
  }

  /// After visiting: every key of the document that the schema lacks.
  void report_unknown_keys() {
    for (const auto& key : leaves_)
      for (auto p = parent_of(key); !p.empty(); p = parent_of(p))
        sections_.insert(p);
    if (!doc_.is_object()) {
      fail("", "the config must be a JSON object, got " + describe(doc_));
      return;
    }
    walk(doc_, "");
  }

private:
  // The value at a dotted key, or null when absent. A non-object on the way
  // is reported by report_unknown_keys, once, so it is skipped silently here.
  const json* find(const std::string& key) {
    leaves_.insert(key);
    const json* j = &doc_;
    std::size_t start = 0;
    for (;;) {
      if (!j->is_object())
        return nullptr;
      auto dot = key.find('.', start);
      auto name = key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      auto it = j->find(name);
      if (it == j->end())
        return nullptr;
      j = &*it;
      if (dot == std::string::npos)
        return j;
      start = dot + 1;
    }
  }

  std::optional<std::int64_t> integer_at(const std::string& key, std::int64_t lo, std::int64_t hi,
                                         std::string_view unit) {
    auto* j = find(key);
    if (!j)
      return std::nullopt;
    if (!j->is_number_integer()) {
      fail(key, "must be an integer, got " + describe(*j));
      return std::nullopt;
    }
    // Bounds are checked before narrowing to the field's type.
    std::int64_t n = 0;
    if (j->is_number_unsigned()) {
      auto u = j->get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        fail(key, *check_range(std::numeric_limits<std::int64_t>::max(), lo, hi, unit));
        return std::nullopt;
      }
      n = static_cast<std::int64_t>(u);
    } else {
      n = j->get<std::int64_t>();
    }
    if (auto problem = check_range(n, lo, hi, unit)) {
      fail(key, *problem);
      return std::nullopt;
    }
    return n;
  }

  void walk(const json& object, const std::string& prefix) {
    for (const auto& [name, value] : object.items()) {
      auto key = join(prefix, name);
      if (leaves_.count(key) != 0)
        continue;
      if (sections_.count(key) != 0) {
        if (value.is_object())
          walk(value, key);
        else
          fail(key, "must be an object, got " + describe(value));
        continue;
      }
      fail(key, unknown_key_message(key));
    }
  }

  std::string unknown_key_message(const std::string& key) {
    if (auto reason = known_absence(key))
      return *reason;
    // Suggest a sibling within a small edit distance: catches typos.
    auto parent = parent_of(key);
    std::string best;
    auto best_distance = std::max<std::size_t>(2, key.size() / 8) + 1;
    auto consider = [&](const std::string& candidate) {
      if (parent_of(candidate) != parent)
        return;
      auto d = edit_distance(key, candidate);
      if (d < best_distance) {
        best_distance = d;
        best = candidate;
      }
    };
    for (const auto& k : leaves_)
      consider(k);
    for (const auto& k : sections_)
      consider(k);
    if (best.empty())
      return "unknown key";
    return "unknown key (did you mean " + best + "?)";
  }

  void fail(const std::string& key, std::string message) {
    errors_.push_back(config_error{key, std::move(message)});
  }

  const json& doc_;
  std::vector<config_error>& errors_;
  std::set<std::string> leaves_;
  std::set<std::string> sections_;
};

} // namespace

config_result<node_config> config_from_json(const nlohmann::json& doc, node_config base) {
  std::vector<config_error> errors;
  json_reader reader{doc, errors};
  fields::visit_fields(base, reader);
  reader.report_unknown_keys();
  if (!errors.empty())
    return errors;
  return base;
}

} // namespace cafmcp::app
