#pragma once

// JSON Schema compilation and validation for tool inputSchema/outputSchema and
// elicitation schemas (checklist §1 "JSON Schema", §4 "Tools"), over valijson.
//
// Dialects. A schema without "$schema" is 2020-12 (MCP 2025-11-25 default;
// configurable). "$schema" may name 2020-12 or draft-07; any other value
// (draft-04, 2019-09, a typo) is refused with a clear error, as the spec asks
// ("handle unsupported dialects gracefully with an error").
//
// valijson 1.0 implements drafts 3/4/7 only. 2020-12 is mapped onto its
// draft-7 engine where the two agree, and refused where they do not:
//   enforced as in 2020-12:
//     type enum const, multipleOf maximum exclusiveMaximum minimum
//     exclusiveMinimum, maxLength minLength pattern, items (schema form)
//     maxItems minItems uniqueItems contains, maxProperties minProperties
//     required properties patternProperties additionalProperties
//     propertyNames, allOf anyOf oneOf not if/then/else, boolean schemas,
//     $defs (and definitions) as $ref targets
//   translated:
//     prefixItems + items      -> draft-7 items[] + additionalItems
//     dependentRequired/dependentSchemas -> draft-7 dependencies
//     $ref with sibling keywords -> allOf:[{$ref}] + siblings (2020-12
//                                   applies both; draft-7 ignored siblings)
//   annotations, accepted and not checked (as 2020-12 itself specifies):
//     title description default examples deprecated readOnly writeOnly
//     $comment contentEncoding contentMediaType contentSchema $anchor
//     $dynamicAnchor $vocabulary, and format (annotation-only by default in
//     2020-12; set assert_format to check date, time and date-time)
//   not enforced -> compile error unless allow_unenforced_keywords:
//     unevaluatedProperties unevaluatedItems minContains maxContains
//     $dynamicRef $recursiveRef, and the draft-7 leftovers additionalItems,
//     dependencies and items-as-array, which 2020-12 no longer defines (a
//     schema author using them almost certainly meant draft-07 semantics).
//     Refusing beats silently accepting inputs the author meant to reject.
//   refused always:
//     $ref to anything but this document ("#", "#/json/pointer"): no
//     network fetches, no $id-based or anchor lookups; $id is ignored.
//     $ref cycles that never descend into the instance (a -> b -> a), which
//     would recurse forever; recursive schemas through properties/items work.
//     patterns that std::regex (ECMAScript) cannot compile.
// draft-07 schemas go to valijson as they are (with format handling as above).
//
// A compiled json_schema is immutable and cheap to copy, and validate() may be
// called from many threads at once.

#include "cafmcp/protocol/result.hpp"
#include "cafmcp/protocol/schema_dialect.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace cafmcp::protocol {

// One problem. For validation, `path` is a JSON Pointer into the instance
// ("" = the instance itself); for compilation, into the schema.
struct schema_error {
  std::string path;
  std::string message;
};

struct schema_options {
  // Used when the schema has no "$schema".
  schema_dialect default_dialect = schema_dialect::draft_2020_12;
  // Check "format" (date, time, date-time; other formats always pass).
  bool assert_format = false;
  // Accept keywords valijson cannot enforce; they are then listed by
  // json_schema::unenforced_keywords() and ignored during validation.
  bool allow_unenforced_keywords = false;
};

class json_schema {
public:
  static result<json_schema, schema_error> compile(const nlohmann::json& schema,
                                                   const schema_options& options = {});

  schema_dialect dialect() const noexcept;

  // "<schema path>: <keyword>" for every keyword that is present but not
  // enforced (only ever non-empty with allow_unenforced_keywords).
  const std::vector<std::string>& unenforced_keywords() const noexcept;

  // Every problem found; empty means the instance is valid.
  std::vector<schema_error> validate(const nlohmann::json& instance) const;

  // Stops at the first problem.
  bool accepts(const nlohmann::json& instance) const;

private:
  struct impl;
  explicit json_schema(std::shared_ptr<const impl> p) : impl_(std::move(p)) {}
  std::shared_ptr<const impl> impl_;
};

// MCP requires tool inputSchema and outputSchema to be object schemas: a JSON
// object with "type": "object" (never null, never a boolean schema).
result<void, schema_error> check_object_schema(const nlohmann::json& schema);

// check_object_schema, then compile.
result<json_schema, schema_error> compile_tool_schema(const nlohmann::json& schema,
                                                      const schema_options& options = {});

// One line per error, "<path>: <message>", with "(root)" for the empty path;
// meant for isError tool results (SEP-1303) and logs.
std::string format_schema_errors(const std::vector<schema_error>& errors);

} // namespace cafmcp::protocol
