#include "cafmcp/protocol/json_schema.hpp"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <optional>
#include <regex>
#include <unordered_map>
#include <utility>

namespace cafmcp::protocol {

using nlohmann::json;

struct json_schema::impl {
  schema_dialect dialect = schema_dialect::draft_2020_12;
  std::vector<std::string> unenforced;
  valijson::Schema schema;
};

namespace {

std::string escape_pointer_token(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string child_path(const std::string& path, std::string_view token) {
  return path + '/' + escape_pointer_token(token);
}

// --- translation: 2020-12 (or draft-07) text -> what valijson's draft-7
// engine should see. Only subschema positions are visited: enum, const,
// default and examples hold data, which must never be rewritten.

class translator {
public:
  translator(schema_dialect dialect, bool assert_format)
      : modern_(dialect == schema_dialect::draft_2020_12), assert_format_(assert_format) {}

  std::optional<schema_error> error;
  std::vector<std::string> unenforced;

  json translate(const json& node, const std::string& path) {
    if (!node.is_object())
      return node; // boolean schemas pass through; valijson rejects the rest
    json out = json::object();
    for (const auto& [key, value] : node.items())
      translate_keyword(out, key, value, path);
    if (modern_)
      finish_modern(out, node);
    return out;
  }

private:
  void fail(const std::string& path, std::string message) {
    if (!error)
      error = schema_error{path, std::move(message)};
  }

  void flag(const std::string& path, std::string_view keyword) {
    unenforced.push_back((path.empty() ? std::string{"(root)"} : path) + ": " +
                         std::string{keyword});
  }

  static void append_all_of(json& out, json schema) {
    auto it = out.find("allOf");
    if (it == out.end())
      out["allOf"] = json::array({std::move(schema)});
    else if (it->is_array())
      it->push_back(std::move(schema));
  }

  json translate_map(const json& value, const std::string& path) {
    if (!value.is_object())
      return value; // let valijson report the type error
    json out = json::object();
    for (const auto& [name, sub] : value.items())
      out[name] = translate(sub, child_path(path, name));
    return out;
  }

  json translate_array(const json& value, const std::string& path) {
    if (!value.is_array())
      return value;
    json out = json::array();
    for (std::size_t i = 0; i < value.size(); ++i)
      out.push_back(translate(value[i], path + '/' + std::to_string(i)));
    return out;
  }

  void translate_keyword(json& out, const std::string& key, const json& value,
                         const std::string& path) {
    const std::string here = child_path(path, key);
    // Identification: we resolve references within this document only.
    if (key == "$schema" || key == "$id" || key == "id" || key == "$anchor" ||
        key == "$dynamicAnchor" || key == "$vocabulary" || key == "$comment")
      return;
    if (key == "$ref") {
      if (!value.is_string()) {
        fail(here, "$ref must be a string");
        return;
      }
      const auto& ref = value.get_ref<const std::string&>();
      if (ref.empty() || ref[0] != '#' || (ref.size() > 1 && ref[1] != '/'))
        fail(here, "only $ref to this document (\"#\" or \"#/json/pointer\") is supported, got \"" +
                       ref + '"');
      out[key] = value;
      return;
    }
    if (key == "format") {
      // valijson checks format on every type and fails non-strings; JSON
      // Schema applies it to strings only, so guard it with if/then.
      if (assert_format_)
        append_all_of(out, json{{"if", {{"type", "string"}}}, {"then", {{"format", value}}}});
      return;
    }
    if (key == "properties" || key == "patternProperties" || key == "$defs" ||
        key == "definitions") {
      out[key] = translate_map(value, here);
      return;
    }
    if (key == "allOf" || key == "anyOf" || key == "oneOf") {
      // Keys arrive sorted, so allOf is in place before a format guard or a
      // $ref wrapper is appended to it: the author's indexes stay valid.
      out[key] = translate_array(value, here);
      return;
    }
    if (key == "not" || key == "if" || key == "then" || key == "else" || key == "contains" ||
        key == "propertyNames" || key == "additionalProperties") {
      out[key] = translate(value, here);
      return;
    }
    if (modern_)
      translate_modern_keyword(out, key, value, path, here);
    else
      translate_draft7_keyword(out, key, value, here);
  }

  void translate_draft7_keyword(json& out, const std::string& key, const json& value,
                                const std::string& here) {
    if (key == "items")
      out[key] = value.is_array() ? translate_array(value, here) : translate(value, here);
    else if (key == "additionalItems")
      out[key] = translate(value, here);
    else if (key == "dependencies")
      out[key] = translate_dependencies(value, here);
    else
      out[key] = value;
  }

  json translate_dependencies(const json& value, const std::string& path) {
    if (!value.is_object())
      return value;
    json out = json::object();
    for (const auto& [name, dep] : value.items())
      out[name] = dep.is_array() ? dep : translate(dep, child_path(path, name));
    return out;
  }

  void translate_modern_keyword(json& out, const std::string& key, const json& value,
                                const std::string& path, const std::string& here) {
    if (key == "items") {
      if (value.is_array()) {
        fail(here, "in JSON Schema 2020-12 items must be a schema; use prefixItems for tuples "
                   "(or declare \"$schema\": \"http://json-schema.org/draft-07/schema#\")");
        return;
      }
      out[key] = translate(value, here); // may be moved under additionalItems later
      return;
    }
    if (key == "prefixItems") {
      out[key] = translate_array(value, here);
      return;
    }
    if (key == "dependentSchemas") {
      out[key] = translate_map(value, here);
      return;
    }
    if (key == "contentSchema")
      return; // an annotation in 2020-12
    if (key == "unevaluatedProperties" || key == "unevaluatedItems" || key == "minContains" ||
        key == "maxContains" || key == "$dynamicRef" || key == "$recursiveRef" ||
        key == "additionalItems" || key == "dependencies") {
      flag(path, key);
      return;
    }
    out[key] = value;
  }

  // Rewrites that need the whole schema object.
  void finish_modern(json& out, const json& original) {
    // prefixItems + items -> draft-7 tuple form. prefixItems stays as an
    // (ignored) key so that "#/.../prefixItems/0" references still resolve.
    if (auto prefix = out.find("prefixItems"); prefix != out.end() && prefix->is_array()) {
      json tuple = *prefix;
      if (auto rest = out.find("items"); rest != out.end())
        out["additionalItems"] = *rest;
      out["items"] = std::move(tuple);
    }
    // dependentRequired + dependentSchemas -> draft-7 dependencies.
    json deps = json::object();
    if (auto req = original.find("dependentRequired"); req != original.end() && req->is_object())
      for (const auto& [name, names] : req->items())
        deps[name] = names;
    if (auto sch = out.find("dependentSchemas"); sch != out.end() && sch->is_object())
      for (const auto& [name, schema] : sch->items()) {
        if (deps.contains(name)) // both for one property: require both
          deps[name] = json{{"allOf", json::array({schema, json{{"required", deps[name]}}})}};
        else
          deps[name] = schema;
      }
    if (!deps.empty())
      out["dependencies"] = std::move(deps);
    // $ref next to other keywords: 2020-12 applies both, draft-7 (and
    // valijson) only the $ref. allOf gives the 2020-12 meaning. Appended, so
    // that "#/.../allOf/N" references keep pointing at the author's entries.
    if (auto ref = out.find("$ref"); ref != out.end() && out.size() > 1) {
      json wrapped = json{{"$ref", *ref}};
      out.erase("$ref");
      append_all_of(out, std::move(wrapped));
    }
  }

  bool modern_;
  bool assert_format_;
};

// --- structural checks on the translated schema.

// Percent-decoding plus RFC 6901 unescaping, as valijson resolves $ref.
const json* resolve_local_ref(const json& root, std::string_view ref) {
  if (ref.empty() || ref[0] != '#')
    return nullptr;
  std::string pointer;
  for (std::size_t i = 1; i < ref.size(); ++i) {
    if (ref[i] == '%' && i + 2 < ref.size() &&
        std::isxdigit(static_cast<unsigned char>(ref[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(ref[i + 2]))) {
      pointer += static_cast<char>(std::stoi(std::string{ref.substr(i + 1, 2)}, nullptr, 16));
      i += 2;
    } else {
      pointer += ref[i];
    }
  }
  while (!pointer.empty() && pointer.back() == '/') // valijson trims these too
    pointer.pop_back();
  const json* node = &root;
  std::size_t pos = 0;
  while (pos < pointer.size()) {
    if (pointer[pos] != '/')
      return nullptr;
    const auto next = pointer.find('/', pos + 1);
    std::string token =
        pointer.substr(pos + 1, next == std::string::npos ? std::string::npos : next - pos - 1);
    std::string unescaped;
    for (std::size_t i = 0; i < token.size(); ++i) {
      if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
        unescaped += token[i + 1] == '0' ? '~' : '/';
        ++i;
      } else {
        unescaped += token[i];
      }
    }
    if (node->is_object()) {
      auto it = node->find(unescaped);
      if (it == node->end())
        return nullptr;
      node = &*it;
    } else if (node->is_array()) {
      if (unescaped.empty() ||
          !std::all_of(unescaped.begin(), unescaped.end(),
                       [](char c) { return c >= '0' && c <= '9'; }) ||
          unescaped.size() > 9)
        return nullptr;
      const auto index = std::stoul(unescaped);
      if (index >= node->size())
        return nullptr;
      node = &(*node)[index];
    } else {
      return nullptr;
    }
    pos = next == std::string::npos ? pointer.size() : next;
  }
  return node;
}

// Finds unresolvable $refs, cycles of in-place applicators ($ref, allOf,
// anyOf, oneOf, not, if/then/else, dependencies) that never move into the
// instance and so would recurse forever in valijson, and bad regexes.
class structure_checker {
public:
  explicit structure_checker(const json& root) : root_(root) {}

  std::optional<schema_error> run() {
    walk(root_, "");
    return error_;
  }

private:
  enum class color { grey, black };

  template <class F>
  void for_each_in_place(const json& node, F&& f) {
    for (const char* k : {"allOf", "anyOf", "oneOf"})
      if (auto it = node.find(k); it != node.end() && it->is_array())
        for (const auto& s : *it)
          f(s);
    for (const char* k : {"not", "if", "then", "else"})
      if (auto it = node.find(k); it != node.end())
        f(*it);
    if (auto it = node.find("dependencies"); it != node.end() && it->is_object())
      for (const auto& [name, dep] : it->items())
        if (!dep.is_array())
          f(dep);
  }

  // Depth-first over in-place edges; true if `node` reaches itself.
  bool cyclic(const json& node, const std::string& path) {
    if (!node.is_object())
      return false;
    auto [it, fresh] = colors_.emplace(&node, color::grey);
    if (!fresh)
      return it->second == color::grey;
    bool found = false;
    if (auto ref = node.find("$ref"); ref != node.end() && ref->is_string()) {
      const json* target = resolve_local_ref(root_, ref->get_ref<const std::string&>());
      if (target == nullptr) {
        set_error(path + "/$ref", "$ref \"" + ref->get<std::string>() + "\" does not resolve");
        return false;
      }
      found = cyclic(*target, path + "/$ref");
    }
    for_each_in_place(node, [&](const json& child) {
      if (!found)
        found = cyclic(child, path);
    });
    colors_[&node] = color::black;
    return found;
  }

  void check_regex(const std::string& pattern, const std::string& path) {
    try {
      std::regex r(pattern);
    } catch (const std::regex_error& e) {
      set_error(path, "pattern \"" + pattern + "\" is not a valid regular expression: " + e.what());
    }
  }

  void walk(const json& node, const std::string& path) {
    if (error_ || !node.is_object())
      return;
    if (cyclic(node, path)) {
      set_error(path, "$ref cycle that never descends into the instance");
      return;
    }
    if (auto p = node.find("pattern"); p != node.end() && p->is_string())
      check_regex(p->get<std::string>(), child_path(path, "pattern"));
    if (auto pp = node.find("patternProperties"); pp != node.end() && pp->is_object())
      for (const auto& [re, sub] : pp->items())
        check_regex(re, child_path(child_path(path, "patternProperties"), re));
    for (const auto& [key, value] : node.items()) {
      const std::string here = child_path(path, key);
      if (key == "properties" || key == "patternProperties" || key == "$defs" ||
          key == "definitions" || key == "dependencies" || key == "dependentSchemas") {
        if (value.is_object())
          for (const auto& [name, sub] : value.items())
            walk(sub, child_path(here, name));
      } else if (key == "allOf" || key == "anyOf" || key == "oneOf" || key == "items" ||
                 key == "prefixItems") {
        if (value.is_array())
          for (std::size_t i = 0; i < value.size(); ++i)
            walk(value[i], here + '/' + std::to_string(i));
        else
          walk(value, here);
      } else if (key == "not" || key == "if" || key == "then" || key == "else" ||
                 key == "contains" || key == "propertyNames" || key == "additionalProperties" ||
                 key == "additionalItems") {
        walk(value, here);
      }
    }
  }

  void set_error(const std::string& path, std::string message) {
    if (!error_)
      error_ = schema_error{path, std::move(message)};
  }

  const json& root_;
  std::unordered_map<const json*, color> colors_;
  std::optional<schema_error> error_;
};

// 1.0 is an integer in JSON Schema (draft-06 and later), but valijson sees a
// double. Instances are normalised only when they hold such a number.
bool has_integral_double(const json& j) {
  switch (j.type()) {
  case json::value_t::number_float: {
    const double d = j.get<double>();
    return std::nearbyint(d) == d && std::fabs(d) < 9.0e15;
  }
  case json::value_t::object:
  case json::value_t::array:
    return std::any_of(j.begin(), j.end(), [](const json& c) { return has_integral_double(c); });
  default:
    return false;
  }
}

void integralise(json& j) {
  if (j.is_number_float()) {
    const double d = j.get<double>();
    if (std::nearbyint(d) == d && std::fabs(d) < 9.0e15)
      j = static_cast<std::int64_t>(d);
  } else if (j.is_structured()) {
    for (auto& c : j)
      integralise(c);
  }
}

// valijson reports each failure at its leaf and again at every enclosing
// property and item ("Failed to validate against schema associated with
// property name 'a'."). Only the leaves say anything; the echoes go.
bool is_echo(const schema_error& e, const std::vector<schema_error>& all) {
  constexpr std::string_view property_echo =
      "Failed to validate against schema associated with property name";
  constexpr std::string_view item_echo = "Failed to validate item #";
  const std::string_view m{e.message};
  if (m.substr(0, property_echo.size()) != property_echo &&
      m.substr(0, item_echo.size()) != item_echo)
    return false;
  const std::string below = e.path + '/';
  return std::any_of(all.begin(), all.end(), [&](const schema_error& other) {
    return other.path.compare(0, below.size(), below) == 0;
  });
}

// valijson's context is {"<root>", "[name]", "[0]", ...}; make it a pointer.
std::string to_pointer(const std::vector<std::string>& context) {
  std::string out;
  for (const auto& part : context) {
    if (part.size() >= 2 && part.front() == '[' && part.back() == ']')
      out += '/' + escape_pointer_token(std::string_view{part}.substr(1, part.size() - 2));
  }
  return out;
}

result<schema_dialect, schema_error> pick_dialect(const json& schema,
                                                  const schema_options& options) {
  if (!schema.is_object())
    return options.default_dialect;
  auto it = schema.find("$schema");
  if (it == schema.end())
    return options.default_dialect;
  if (!it->is_string())
    return schema_error{"/$schema", "$schema must be a string"};
  if (auto d = parse_schema_dialect(it->get_ref<const std::string&>()))
    return *d;
  return schema_error{
      "/$schema",
      "unsupported JSON Schema dialect \"" + it->get<std::string>() + "\"; supported are " +
          std::string{schema_dialect_uri(schema_dialect::draft_2020_12)} + " (the default) and " +
          std::string{schema_dialect_uri(schema_dialect::draft_07)}};
}

} // namespace

result<json_schema, schema_error> json_schema::compile(const json& schema,
                                                       const schema_options& options) {
  if (!schema.is_object() && !schema.is_boolean())
    return schema_error{"", "a schema must be a JSON object or a boolean"};
  auto dialect = pick_dialect(schema, options);
  if (!dialect)
    return dialect.error();
  translator t{*dialect, options.assert_format};
  const json translated = t.translate(schema, "");
  if (t.error)
    return *t.error;
  if (!t.unenforced.empty() && !options.allow_unenforced_keywords) {
    std::string list;
    for (const auto& u : t.unenforced)
      list += (list.empty() ? "" : ", ") + u;
    return schema_error{"", "keywords that cannot be enforced: " + list};
  }
  if (auto problem = structure_checker{translated}.run())
    return *problem;
  auto p = std::make_shared<impl>();
  p->dialect = *dialect;
  p->unenforced = std::move(t.unenforced);
  try {
    valijson::SchemaParser parser{valijson::SchemaParser::kDraft7};
    valijson::adapters::NlohmannJsonAdapter adapter{translated};
    parser.populateSchema(adapter, p->schema);
  } catch (const std::exception& e) {
    return schema_error{"", std::string{"invalid schema: "} + e.what()};
  }
  return json_schema{std::move(p)};
}

schema_dialect json_schema::dialect() const noexcept {
  return impl_->dialect;
}

const std::vector<std::string>& json_schema::unenforced_keywords() const noexcept {
  return impl_->unenforced;
}

std::vector<schema_error> json_schema::validate(const json& original) const {
  std::optional<json> normalised;
  if (has_integral_double(original)) {
    normalised = original;
    integralise(*normalised);
  }
  const json& instance = normalised ? *normalised : original;
  // A Validator caches regexes, so each call gets its own: no shared state.
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target{instance};
  std::vector<schema_error> out;
  try {
    if (validator.validate(impl_->schema, target, &results))
      return out;
  } catch (const std::exception& e) {
    out.push_back(schema_error{"", std::string{"validation failed: "} + e.what()});
    return out;
  }
  std::vector<schema_error> all;
  valijson::ValidationResults::Error e;
  while (results.popError(e))
    all.push_back(schema_error{to_pointer(e.context), e.description});
  for (const auto& one : all)
    if (!is_echo(one, all))
      out.push_back(one);
  // valijson reports a failing `false` schema without any message; an
  // invalid instance must never come back with an empty (= valid) list.
  if (out.empty())
    out.push_back(schema_error{"", "value is not allowed by the schema"});
  return out;
}

bool json_schema::accepts(const json& original) const {
  std::optional<json> normalised;
  if (has_integral_double(original)) {
    normalised = original;
    integralise(*normalised);
  }
  const json& instance = normalised ? *normalised : original;
  valijson::Validator validator;
  valijson::adapters::NlohmannJsonAdapter target{instance};
  try {
    return validator.validate(impl_->schema, target, nullptr);
  } catch (const std::exception&) {
    return false;
  }
}

result<void, schema_error> check_object_schema(const json& schema) {
  if (!schema.is_object())
    return schema_error{"", "a tool schema must be a JSON object"};
  auto type = schema.find("type");
  if (type == schema.end() || *type != "object")
    return schema_error{"/type", R"(a tool schema must have "type": "object")"};
  return {};
}

result<json_schema, schema_error> compile_tool_schema(const json& schema,
                                                      const schema_options& options) {
  if (auto ok = check_object_schema(schema); !ok)
    return ok.error();
  return json_schema::compile(schema, options);
}

std::string format_schema_errors(const std::vector<schema_error>& errors) {
  std::string out;
  for (const auto& e : errors) {
    if (!out.empty())
      out += '\n';
    out += e.path.empty() ? std::string{"(root)"} : e.path;
    out += ": ";
    out += e.message;
  }
  return out;
}

} // namespace cafmcp::protocol
