// The SSE event store: ids that encode their stream, replay of exactly one stream, failing
// closed on evicted or unknown history, bounds, and a crash that keeps the log.
#include <doctest/doctest.h>

#include <set>

#include "cafmcp/actors/services/sse_event_id.hpp"
#include "cafmcp/actors/services/sse_event_store.hpp"
#include "cafmcp/actors/services/sse_messages.hpp"
#include "services/support.hpp"

using namespace cafmcp::services;
using namespace svc_test;

namespace {

struct sse_fixture : fixture {
  std::shared_ptr<sse_event_log> log = std::make_shared<sse_event_log>();
  sse_store_settings settings;

  caf::actor start() { return spawn(sse_event_store, log, settings); }

  std::string append(const caf::actor& es, const std::string& session, const std::string& stream,
                     const std::string& data) {
    auto id = ask<std::string>(es, es_append_atom::value, session, stream, data);
    REQUIRE(id);
    return *id;
  }
  caf::expected<sse_replay> replay(const caf::actor& es, const std::string& session,
                                   const std::string& last_id) {
    return ask<sse_replay>(es, es_replay_atom::value, session, last_id);
  }
};

std::vector<std::string> datas(const sse_replay& r) {
  std::vector<std::string> out;
  for (auto& e : r.events)
    out.push_back(e.data);
  return out;
}

} // namespace

TEST_CASE("event ids parse back into stream and sequence") {
  auto id = parse_event_id(format_event_id("post-7", 42));
  REQUIRE(id);
  CHECK(id->stream == "post-7");
  CHECK(id->seq == 42u);
  auto colon = parse_event_id("a:b:9"); // split at the last ':'
  REQUIRE(colon);
  CHECK(colon->stream == "a:b");
  for (auto bad : {"", "abc", ":5", "s:", "s:x1", "s:-1", "s:12345678901234567890"})
    CHECK_MESSAGE(!parse_event_id(bad), bad);
  CHECK(valid_stream_id("get"));
  CHECK(!valid_stream_id(""));
  CHECK(!valid_stream_id("has space"));
  CHECK(!valid_stream_id("line\nbreak"));
}

TEST_CASE("event ids encode their stream, increase, and never repeat across streams") {
  sse_fixture fx;
  auto es = fx.start();
  std::set<std::string> ids;
  std::uint64_t last = 0;
  for (int i = 0; i < 30; ++i) {
    auto session = i % 2 == 0 ? "A" : "B";
    auto stream = i % 3 == 0 ? "get" : "post-1";
    auto id = fx.append(es, session, stream, "m" + std::to_string(i));
    auto parsed = parse_event_id(id);
    REQUIRE(parsed);
    CHECK(parsed->stream == stream);
    CHECK(parsed->seq > last);
    last = parsed->seq;
    ids.insert(id);
  }
  CHECK(ids.size() == 30u);
}

TEST_CASE("replay returns only that stream's events after the given id") {
  sse_fixture fx;
  auto es = fx.start();
  auto prime = fx.append(es, "A", "post-1", ""); // a priming event: id and empty data
  auto g1 = fx.append(es, "A", "get", "g1");
  auto p1 = fx.append(es, "A", "post-1", "p1");
  fx.append(es, "A", "get", "g2");
  fx.append(es, "A", "post-1", "p2");
  fx.append(es, "B", "post-1", "other session");
  fx.append(es, "A", "post-1", "p3");
  auto r = fx.replay(es, "A", prime);
  REQUIRE(r);
  CHECK(r->stream == "post-1");
  CHECK(datas(*r) == std::vector<std::string>{"p1", "p2", "p3"});
  CHECK(parse_event_id(r->events.front().id)->seq > parse_event_id(prime)->seq);
  auto after_p1 = fx.replay(es, "A", p1);
  REQUIRE(after_p1);
  CHECK(datas(*after_p1) == std::vector<std::string>{"p2", "p3"});
  auto get = fx.replay(es, "A", g1);
  REQUIRE(get);
  CHECK(get->stream == "get");
  CHECK(datas(*get) == std::vector<std::string>{"g2"});
  auto last = fx.replay(es, "A", r->events.back().id);
  REQUIRE(last);
  CHECK(last->events.empty());
}

TEST_CASE("replay fails closed when events after the id were evicted") {
  sse_fixture fx;
  fx.settings.limits.max_events_per_stream = 3;
  auto es = fx.start();
  std::vector<std::string> ids;
  for (int i = 1; i <= 5; ++i)
    ids.push_back(fx.append(es, "A", "s", "e" + std::to_string(i)));
  // e1 and e2 are gone. After e1 the client would miss e2: no partial replay.
  auto gap = fx.replay(es, "A", ids[0]);
  REQUIRE(!gap);
  CHECK(is(gap.error(), svc_errc::history_evicted));
  // After e2 nothing is missing: e3..e5 are all still there.
  auto whole = fx.replay(es, "A", ids[1]);
  REQUIRE(whole);
  CHECK(datas(*whole) == std::vector<std::string>{"e3", "e4", "e5"});
  auto stats = fx.ask<sse_stats>(es, es_stats_atom::value);
  REQUIRE(stats);
  CHECK(stats->events == 3u);
}

TEST_CASE("a long stream keeps exactly its newest events through many evictions") {
  // Evicting only advances the log's head; the spent front is compacted in
  // batches, and replay must see the same window either side of a compaction.
  sse_fixture fx;
  fx.settings.limits.max_events_per_stream = 7;
  auto es = fx.start();
  std::vector<std::string> ids;
  for (int i = 1; i <= 200; ++i) {
    ids.push_back(fx.append(es, "A", "s", "e" + std::to_string(i)));
    if (i < 8)
      continue;
    // Always the last seven: after the oldest kept one come the other six.
    auto r = fx.replay(es, "A", ids[static_cast<std::size_t>(i - 7)]);
    REQUIRE(r);
    REQUIRE(r->events.size() == 6u);
    CHECK(r->events.front().data == "e" + std::to_string(i - 5));
    CHECK(r->events.back().data == "e" + std::to_string(i));
    // After the newest evicted one nothing is missing; before it, something is.
    auto whole = fx.replay(es, "A", ids[static_cast<std::size_t>(i - 8)]);
    REQUIRE(whole);
    CHECK(whole->events.size() == 7u);
    if (i < 9)
      continue;
    auto gap = fx.replay(es, "A", ids[static_cast<std::size_t>(i - 9)]);
    REQUIRE(!gap);
    CHECK(is(gap.error(), svc_errc::history_evicted));
  }
  CHECK(fx.ask<sse_stats>(es, es_stats_atom::value)->events == 7u);
}

TEST_CASE("the byte bound evicts old events the same way") {
  sse_fixture fx;
  fx.settings.limits.max_bytes_per_stream = 10;
  auto es = fx.start();
  auto a = fx.append(es, "A", "s", "aaaa");
  auto b = fx.append(es, "A", "s", "bbbb");
  fx.append(es, "A", "s", "cccc"); // 12 bytes: "aaaa" goes
  auto after_a = fx.replay(es, "A", a);
  REQUIRE(after_a); // nothing after "aaaa" is missing
  CHECK(datas(*after_a) == std::vector<std::string>{"bbbb", "cccc"});
  fx.append(es, "A", "s", std::string(20, 'x')); // larger than the bound: kept alone
  CHECK(is(fx.replay(es, "A", a).error(), svc_errc::history_evicted));
  CHECK(is(fx.replay(es, "A", b).error(), svc_errc::history_evicted));
  CHECK(datas(*fx.replay(es, "A", fx.append(es, "A", "t", "other"))).empty());
  CHECK(fx.ask<sse_stats>(es, es_stats_atom::value)->bytes == 25u);
}

TEST_CASE("unknown, foreign and malformed event ids are refused") {
  sse_fixture fx;
  fx.settings.limits.max_streams_per_session = 2;
  auto es = fx.start();
  auto a1 = fx.append(es, "A", "s", "a1");
  auto b1 = fx.append(es, "B", "s", "b1"); // between A's two events
  fx.append(es, "A", "s", "a2");
  auto seq_a1 = parse_event_id(a1)->seq;
  for (auto id : {std::string{"garbage"},
                  b1,                           // issued, but to session B
                  format_event_id("s", 999999), // never issued
                  format_event_id("nope", seq_a1)}) {
    auto r = fx.replay(es, "A", id);
    REQUIRE_MESSAGE(!r, id);
    CHECK_MESSAGE(is(r.error(), svc_errc::unknown_event_id), id);
  }
  CHECK(is(fx.replay(es, "nobody", a1).error(), svc_errc::unknown_event_id));
  // A session keeps at most 2 streams: a third pushes out the stream idle the longest.
  fx.append(es, "A", "t", "t1");
  fx.append(es, "A", "s", "a3");
  fx.append(es, "A", "u", "u1"); // "t" goes
  CHECK(fx.replay(es, "A", a1));
  CHECK(fx.ask<sse_stats>(es, es_stats_atom::value)->streams == 3u); // A: s, u; B: s
  CHECK(is(fx.ask<std::string>(es, es_append_atom::value, std::string{"A"}, std::string{"a b"},
                               std::string{"x"})
               .error(),
           svc_errc::invalid_argument));
}

TEST_CASE("dropping a session forgets all of its streams") {
  sse_fixture fx;
  auto es = fx.start();
  auto a = fx.append(es, "A", "s", "a");
  fx.append(es, "A", "t", "t");
  auto b = fx.append(es, "B", "s", "b");
  CHECK(*fx.ask<std::size_t>(es, es_drop_atom::value, std::string{"A"}) == 2u);
  CHECK(is(fx.replay(es, "A", a).error(), svc_errc::unknown_event_id));
  CHECK(fx.replay(es, "B", b));
  auto stats = fx.ask<sse_stats>(es, es_stats_atom::value);
  CHECK(stats->sessions == 1u);
  CHECK(stats->events == 1u);
}

TEST_CASE("sse_event_store crash keeps its log") {
  sse_fixture fx;
  auto supervisor = fx.supervise(sse_event_store_spec(fx.log, fx.settings));
  auto es = fx.child(supervisor, "sse_event_store");
  REQUIRE(es);
  auto first = fx.append(es, "A", "post-1", "p1");
  fx.append(es, "A", "post-1", "p2");
  fx.append(es, "A", "get", "g1");
  auto before = fx.replay(es, "A", first);
  REQUIRE(before);

  auto restarted = fx.kill_and_await_restart(supervisor, "services_sup", "sse_event_store");
  REQUIRE(restarted);
  auto after = fx.replay(restarted, "A", first);
  REQUIRE(after);
  CHECK(datas(*after) == datas(*before));
  CHECK(after->events.front().id == before->events.front().id);
  // Numbering continues: no id is ever issued twice.
  auto next = fx.append(restarted, "A", "post-1", "p3");
  CHECK(parse_event_id(next)->seq > parse_event_id(after->events.back().id)->seq);
  CHECK(datas(*fx.replay(restarted, "A", first)) == std::vector<std::string>{"p2", "p3"});
}
