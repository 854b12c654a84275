// initialize params (checklist §2 lifecycle): read without trusting the peer.
#include <doctest/doctest.h>

#include "cafmcp/protocol/initialize_params.hpp"

using cafmcp::protocol::parse_initialize_params;
using nlohmann::json;

TEST_SUITE("checklist 2 - lifecycle: initialize params") {

  TEST_CASE("well-formed params give version capabilities and clientInfo") {
    auto p = parse_initialize_params(json{{"protocolVersion", "2025-11-25"},
                                          {"capabilities", {{"sampling", json::object()}}},
                                          {"clientInfo", {{"name", "c"}, {"version", "1"}}},
                                          {"unknownMember", 1}});
    REQUIRE(p);
    CHECK(p->requested_version == "2025-11-25");
    CHECK(p->capabilities == json{{"sampling", json::object()}});
    CHECK(p->client_info["name"] == "c");
  }

  TEST_CASE("absent capabilities and clientInfo are empty, an unknown version is kept as sent") {
    auto p = parse_initialize_params(json{{"protocolVersion", "1999-01-01"}});
    REQUIRE(p);
    CHECK(p->requested_version == "1999-01-01");
    CHECK(p->capabilities == json::object());
    CHECK(p->client_info.is_null());
  }

  TEST_CASE("malformed params are -32602 naming the member") {
    auto reason = [](const std::optional<json>& params) -> std::string {
      auto p = parse_initialize_params(params);
      REQUIRE_FALSE(p);
      CHECK(p.error().code == -32602);
      CHECK(p.error().data->at("reason") == "invalid_initialize");
      return p.error().message;
    };
    CHECK(reason(std::nullopt).find("params must be an object") != std::string::npos);
    CHECK(reason(json::array()).find("params must be an object") != std::string::npos);
    CHECK(reason(json::object()).find("protocolVersion") != std::string::npos);
    CHECK(reason(json{{"protocolVersion", 20251125}}).find("protocolVersion") != std::string::npos);
    CHECK(reason(json{{"protocolVersion", "2025-11-25"}, {"capabilities", "all"}})
              .find("capabilities") != std::string::npos);
    CHECK(reason(json{{"protocolVersion", "2025-11-25"}, {"clientInfo", json::array()}})
              .find("clientInfo") != std::string::npos);
  }
}
