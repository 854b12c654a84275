// The direct broker (session_protocol.hpp's broker half) and secure session
// ids (checklist §6 "Sessions": globally unique, cryptographically secure,
// visible ASCII).
#include "support.hpp"

#include <set>

#include "cafmcp/actors/mcp/session_id.hpp"

using test::fixture;

namespace {

struct opened {
  caf::actor server;
  std::string id;
  caf::actor sink;
  std::shared_ptr<test::sink_log> log;
};

std::optional<opened> open(caf::actor_system& sys, const caf::actor& broker,
                           caf::error* err = nullptr) {
  caf::scoped_actor self{sys};
  auto log = std::make_shared<test::sink_log>();
  auto sink = sys.spawn(test::sink_actor, log);
  std::optional<opened> out;
  self->request(broker, test::deadline, mcp::session_open_atom::value, mcp::transport_kind::stdio,
                sink)
      .receive(
          [&](caf::actor& server, std::string& id) {
            out = opened{server, id, sink, log};
          },
          [&](caf::error& e) {
            if (err)
              *err = e;
          });
  if (!out)
    caf::anon_send_exit(sink, caf::exit_reason::kill);
  return out;
}

} // namespace

TEST_SUITE("checklist 6 - sessions: direct broker") {

  TEST_CASE("session ids are 128-bit hex from the CSPRNG, visible ASCII, distinct") {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
      auto id = mcp::make_secure_id();
      REQUIRE(id);
      CHECK(id->size() == 32);
      for (char ch : *id)
        CHECK((ch >= 0x21 && ch <= 0x7e));
      seen.insert(*id);
    }
    CHECK(seen.size() == 1000);
  }

  TEST_CASE_FIXTURE(fixture,
                    "session_open spawns a server for the sink and session_find finds it") {
    add_text_tool("echo", "hi");
    auto broker = mcp::spawn_direct_broker(sys, config);
    auto a = open(sys, broker);
    auto b = open(sys, broker);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->id != b->id);
    test::client ca{a->server, a->sink, a->log};
    CHECK(ca.initialize()["protocolVersion"] == "2025-11-25");
    CHECK(ca.call("tools/call", {{"name", "echo"}})["content"][0]["text"] == "hi");
    caf::scoped_actor self{sys};
    self->request(broker, test::deadline, mcp::session_find_atom::value, a->id)
        .receive([&](caf::actor& found) { CHECK(found == a->server); },
                 [&](caf::error& e) { FAIL(caf::to_string(e)); });
    self->request(broker, test::deadline, mcp::session_find_atom::value, std::string{"nope"})
        .receive([&](caf::actor&) { FAIL("found a session that does not exist"); },
                 [&](caf::error& e) { CHECK(test::errc_name(e) == "session_not_found"); });
    test::client cb{b->server, b->sink, b->log};
    self->send_exit(broker, caf::exit_reason::kill);
  }

  TEST_CASE_FIXTURE(fixture, "a session that ends is forgotten") {
    auto broker = mcp::spawn_direct_broker(sys, config);
    auto a = open(sys, broker);
    REQUIRE(a);
    caf::scoped_actor self{sys};
    self->monitor(a->server);
    caf::anon_send(a->server, mcp::session_close_atom::value);
    self->receive([](caf::down_msg&) {}, caf::after(test::deadline) >> [] {});
    bool gone = false;
    auto until = std::chrono::steady_clock::now() + test::deadline;
    while (!gone && std::chrono::steady_clock::now() < until)
      self->request(broker, test::deadline, mcp::session_find_atom::value, a->id)
          .receive([](caf::actor&) {}, [&](caf::error&) { gone = true; });
    CHECK(gone);
    caf::anon_send_exit(a->sink, caf::exit_reason::kill);
    self->send_exit(broker, caf::exit_reason::kill);
  }

  TEST_CASE_FIXTURE(fixture, "a crashing session does not touch the broker or other sessions") {
    auto broker = mcp::spawn_direct_broker(sys, config);
    auto a = open(sys, broker);
    auto b = open(sys, broker);
    REQUIRE(a);
    REQUIRE(b);
    caf::anon_send_exit(a->server, caf::exit_reason::kill);
    test::client cb{b->server, b->sink, b->log};
    CHECK(cb.initialize()["protocolVersion"] == "2025-11-25");
    CHECK(open(sys, broker)); // the broker still serves
    caf::anon_send_exit(a->sink, caf::exit_reason::kill);
    caf::scoped_actor self{sys};
    self->send_exit(broker, caf::exit_reason::kill);
  }

  TEST_CASE_FIXTURE(fixture, "the broker refuses sessions beyond its limit") {
    auto broker = mcp::spawn_direct_broker(sys, config, mcp::broker_options{1});
    auto a = open(sys, broker);
    REQUIRE(a);
    caf::error err;
    CHECK_FALSE(open(sys, broker, &err));
    CHECK(test::errc_name(err) == "at_capacity");
    caf::anon_send_exit(a->sink, caf::exit_reason::kill);
    caf::scoped_actor self{sys};
    self->send_exit(broker, caf::exit_reason::kill);
  }

  TEST_CASE_FIXTURE(fixture, "when the broker ends, its sessions are shut down") {
    auto broker = mcp::spawn_direct_broker(sys, config);
    auto a = open(sys, broker);
    REQUIRE(a);
    caf::scoped_actor self{sys};
    self->monitor(a->server);
    self->send_exit(broker, caf::exit_reason::kill);
    caf::error reason;
    self->receive([&](caf::down_msg& dm) { reason = dm.reason; },
                  caf::after(test::deadline) >> [] {});
    CHECK(reason == caf::exit_reason::user_shutdown);
    caf::anon_send_exit(a->sink, caf::exit_reason::kill);
  }
}
