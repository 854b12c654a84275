// Version negotiation, the MCP-Protocol-Version header and the version seam
// (checklist §2 "Version negotiation", §6 "MCP-Protocol-Version header",
// §9 "Keep them behind a protocol-version seam").
#include <doctest/doctest.h>

#include "cafmcp/protocol/error_code.hpp"
#include "cafmcp/protocol/protocol_version.hpp"
#include "cafmcp/protocol/revision_traits.hpp"

using namespace cafmcp::protocol;
using v = protocol_version;

TEST_SUITE("checklist 2 - version negotiation") {

  TEST_CASE("the supported versions are 2025-11-25 2025-06-18 2025-03-26 2024-11-05 newest first") {
    REQUIRE(supported_protocol_versions.size() == 4);
    CHECK(to_string(supported_protocol_versions[0]) == "2025-11-25");
    CHECK(to_string(supported_protocol_versions[1]) == "2025-06-18");
    CHECK(to_string(supported_protocol_versions[2]) == "2025-03-26");
    CHECK(to_string(supported_protocol_versions[3]) == "2024-11-05");
    CHECK(latest_protocol_version == v::v2025_11_25);
  }

  TEST_CASE("version strings round-trip and nothing else parses") {
    for (auto ver : supported_protocol_versions)
      CHECK(parse_protocol_version(to_string(ver)) == ver);
    CHECK_FALSE(parse_protocol_version("2024-10-07").has_value());
    CHECK_FALSE(parse_protocol_version("2025-11-25 ").has_value());
    CHECK_FALSE(parse_protocol_version("").has_value());
  }

  TEST_CASE("a supported requested version is echoed") {
    CHECK(negotiate("2025-11-25") == v::v2025_11_25);
    CHECK(negotiate("2025-06-18") == v::v2025_06_18);
    CHECK(negotiate("2025-03-26") == v::v2025_03_26);
    CHECK(negotiate("2024-11-05") == v::v2024_11_05);
  }

  TEST_CASE("an unsupported requested version is answered with the latest, never an error") {
    CHECK(negotiate("2024-10-07") == v::v2025_11_25);
    CHECK(negotiate("2026-07-28") == v::v2025_11_25);
    CHECK(negotiate("garbage") == v::v2025_11_25);
  }

  TEST_CASE("negotiation can be restricted to enabled versions") {
    const std::vector<protocol_version> enabled{v::v2025_03_26, v::v2025_06_18};
    CHECK(negotiate("2025-03-26", enabled) == v::v2025_03_26);
    CHECK(negotiate("2025-11-25", enabled) == v::v2025_06_18);
    CHECK(negotiate("nope", enabled) == v::v2025_06_18);
    CHECK(negotiate("2024-11-05", {}) == v::v2024_11_05);
  }

  TEST_CASE("versions order oldest to newest") {
    CHECK(v::v2024_11_05 < v::v2025_03_26);
    CHECK(v::v2025_06_18 < v::v2025_11_25);
  }

} // TEST_SUITE

TEST_SUITE("checklist 6 - MCP-Protocol-Version header") {

  TEST_CASE("a missing header means 2025-03-26 when the version is not otherwise known") {
    auto r = parse_protocol_version_header(std::nullopt);
    REQUIRE(r.has_value());
    CHECK(*r == v::v2025_03_26);
  }

  TEST_CASE("a missing header means the negotiated version when the session knows it") {
    auto r = parse_protocol_version_header(std::nullopt, v::v2025_11_25);
    REQUIRE(r.has_value());
    CHECK(*r == v::v2025_11_25);
  }

  TEST_CASE("any supported header value is accepted even if another was negotiated") {
    // The conformance suite sends 2025-03-26 on 2025-11-25 sessions.
    auto r = parse_protocol_version_header(std::string_view{"2025-03-26"}, v::v2025_11_25);
    REQUIRE(r.has_value());
    CHECK(*r == v::v2025_03_26);
    CHECK(*parse_protocol_version_header(std::string_view{" 2025-06-18\t"}) == v::v2025_06_18);
  }

  TEST_CASE("an unsupported header value is an error listing the supported versions") {
    auto r = parse_protocol_version_header(std::string_view{"2099-01-01"});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == error_code::invalid_request);
    const auto& data = *r.error().data;
    CHECK(data["reason"] == "unsupported_protocol_version");
    CHECK(data["requested"] == "2099-01-01");
    CHECK(data["supported"].size() == 4);
  }

  TEST_CASE("an empty or unprintable header value is an error that does not echo junk") {
    CHECK_FALSE(parse_protocol_version_header(std::string_view{""}).has_value());
    auto r = parse_protocol_version_header(std::string_view{"\x01\x02"});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().data->at("requested").is_null());
  }

} // TEST_SUITE

TEST_SUITE("checklist 9 - version seam") {

  TEST_CASE("every supported version has a traits row that names it") {
    for (auto ver : supported_protocol_versions)
      CHECK(traits(ver).version == ver);
  }

  TEST_CASE("only 2025-03-26 allows JSON-RPC batches") {
    CHECK_FALSE(traits(v::v2024_11_05).allows_batching);
    CHECK(traits(v::v2025_03_26).allows_batching);
    CHECK_FALSE(traits(v::v2025_06_18).allows_batching);
    CHECK_FALSE(traits(v::v2025_11_25).allows_batching);
  }

  TEST_CASE("all served revisions have sessions the initialize handshake ping and setLevel") {
    for (auto ver : supported_protocol_versions) {
      CHECK(traits(ver).has_sessions);
      CHECK(traits(ver).has_initialize_handshake);
      CHECK(traits(ver).has_ping);
      CHECK(traits(ver).has_logging_set_level);
    }
  }

  TEST_CASE("sessions and SSE resumability arrive with Streamable HTTP in 2025-03-26") {
    CHECK_FALSE(traits(v::v2024_11_05).has_session_id_header);
    CHECK_FALSE(traits(v::v2024_11_05).has_sse_resumability);
    CHECK_FALSE(traits(v::v2024_11_05).has_streamable_http);
    for (auto ver : {v::v2025_03_26, v::v2025_06_18, v::v2025_11_25}) {
      CHECK(traits(ver).has_session_id_header);
      CHECK(traits(ver).has_sse_resumability);
      CHECK(traits(ver).has_streamable_http);
    }
  }

  TEST_CASE("the protocol version header is required from 2025-06-18") {
    CHECK_FALSE(traits(v::v2025_03_26).requires_protocol_version_header);
    CHECK(traits(v::v2025_06_18).requires_protocol_version_header);
    CHECK(traits(v::v2025_11_25).requires_protocol_version_header);
  }

  TEST_CASE("structured content and elicitation start in 2025-06-18") {
    CHECK_FALSE(traits(v::v2025_03_26).has_structured_content);
    CHECK_FALSE(traits(v::v2025_03_26).has_elicitation);
    CHECK(traits(v::v2025_06_18).has_structured_content);
    CHECK(traits(v::v2025_06_18).has_elicitation);
  }

  TEST_CASE("tasks icons URL elicitation and sampling tools are 2025-11-25 only") {
    for (auto ver : {v::v2024_11_05, v::v2025_03_26, v::v2025_06_18}) {
      CHECK_FALSE(traits(ver).has_tasks);
      CHECK_FALSE(traits(ver).has_icons);
      CHECK_FALSE(traits(ver).has_url_elicitation);
      CHECK_FALSE(traits(ver).has_sampling_tools);
    }
    CHECK(traits(v::v2025_11_25).has_tasks);
    CHECK(traits(v::v2025_11_25).has_icons);
    CHECK(traits(v::v2025_11_25).has_url_elicitation);
    CHECK(traits(v::v2025_11_25).has_sampling_tools);
  }

  TEST_CASE("the default JSON Schema dialect is 2020-12 from 2025-11-25 and draft-07 before") {
    CHECK(traits(v::v2025_11_25).default_schema_dialect == schema_dialect::draft_2020_12);
    CHECK(traits(v::v2025_06_18).default_schema_dialect == schema_dialect::draft_07);
  }

  TEST_CASE("input validation failures are tool errors from 2025-11-25") {
    CHECK(traits(v::v2025_11_25).input_errors_are_tool_errors);
    CHECK_FALSE(traits(v::v2025_06_18).input_errors_are_tool_errors);
  }

  TEST_CASE("resource not found is -32002 in every served revision") {
    for (auto ver : supported_protocol_versions)
      CHECK(traits(ver).resource_not_found_code == error_code::resource_not_found);
  }

} // TEST_SUITE
