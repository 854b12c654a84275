#include "cafmcp/chaos/durable_probe.hpp"

#include <thread>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>

#include "cafmcp/actors/services/resource_messages.hpp"
#include "cafmcp/actors/services/sse_messages.hpp"
#include "cafmcp/actors/services/task_messages.hpp"

namespace cafmcp::chaos {

namespace svc = cafmcp::services;

namespace {

constexpr const char owner[] = "cafmcp-chaos-durable";
constexpr auto patience = std::chrono::seconds{5};

// Asks the current incarnation of `ref`; while it restarts (no incarnation,
// or it died with the request) asks again until the deadline.
template <class Reply, class... Ts>
caf::expected<Reply> ask(caf::actor_system& sys, const svc::service_ref& ref, Ts... xs) {
  caf::scoped_actor self{sys};
  auto deadline = std::chrono::steady_clock::now() + patience;
  caf::error last = caf::make_error(caf::sec::runtime_error, "service not running");
  while (std::chrono::steady_clock::now() < deadline) {
    auto service = ref.get();
    if (!service) {
      std::this_thread::sleep_for(std::chrono::milliseconds{5});
      continue;
    }
    std::optional<Reply> got;
    bool retry = false;
    self->request(service, std::chrono::seconds{2}, xs...)
        .receive([&](Reply& r) { got = std::move(r); },
                 [&](caf::error& e) {
                   last = e;
                   // A dead incarnation: try the next one. Anything else is the answer.
                   retry = e == caf::sec::request_receiver_down || e == caf::sec::request_timeout;
                 });
    if (got)
      return std::move(*got);
    if (!retry)
      return last;
    std::this_thread::sleep_for(std::chrono::milliseconds{5});
  }
  return last;
}

} // namespace

durable_probe::durable_probe(caf::actor_system& sys, durable_refs refs)
    : sys_(sys), refs_(std::move(refs)) {
  // Receives notifications/resources/updated for the probe's subscriptions;
  // it only has to stay alive, so that they stay.
  subscriber_ = sys_.spawn([](caf::event_based_actor*) -> caf::behavior {
    return {[](svc::rs_updated_atom, const std::string&, const std::string&) {}};
  });
}

durable_probe::~durable_probe() {
  caf::anon_send_exit(subscriber_, caf::exit_reason::user_shutdown);
}

caf::error durable_probe::write(const std::string& tag) {
  batch b;
  b.tag = tag + "-" + std::to_string(batches_.size());
  constexpr int items = 3;
  for (int i = 0; i < items; ++i) {
    auto created =
        ask<svc::task_record>(sys_, *refs_.tasks, svc::tk_create_atom::value, std::string{owner},
                              std::int64_t{3600000}, std::int64_t{0});
    if (!created)
      return created.error();
    svc::task_outcome outcome{svc::outcome_kind::result, R"({"content":[{"type":"text","text":")" +
                                                             b.tag + "/" + std::to_string(i) +
                                                             R"("}]})"};
    auto finished = ask<svc::task_record>(sys_, *refs_.tasks, svc::tk_finish_atom::value,
                                          created->task_id, svc::task_status::completed, outcome);
    if (!finished)
      return finished.error();
    b.tasks.emplace_back(created->task_id, outcome.json);

    auto uri = "chaos://durable/" + b.tag + "/" + std::to_string(i);
    auto subscribed = ask<caf::ok_atom>(sys_, *refs_.subscriptions, svc::rs_sub_atom::value, uri,
                                        std::string{owner}, subscriber_);
    if (!subscribed)
      return subscribed.error();
    b.subscribed_uris.push_back(uri);
  }
  // One stream, a few events: resuming after the first must give the rest.
  for (int i = 0; i < items + 1; ++i) {
    auto data = b.tag + " event " + std::to_string(i);
    auto id = ask<std::string>(sys_, *refs_.sse_events, svc::es_append_atom::value,
                               std::string{owner}, "chaos-" + b.tag, data);
    if (!id)
      return id.error();
    b.events.emplace_back(*id, data);
  }
  batches_.push_back(std::move(b));
  return caf::none;
}

std::vector<std::string> durable_probe::check() {
  std::vector<std::string> lost;
  for (auto& b : batches_) {
    for (auto& [id, json] : b.tasks) {
      auto rec = ask<svc::task_record>(sys_, *refs_.tasks, svc::tk_get_atom::value,
                                       std::string{owner}, id);
      if (!rec)
        lost.push_back("task " + id + " (" + b.tag + "): " + sys_.render(rec.error()));
      else if (rec->status != svc::task_status::completed || rec->outcome.json != json)
        lost.push_back("task " + id + " (" + b.tag + "): status or result changed");
    }
    for (auto& uri : b.subscribed_uris) {
      auto who =
          ask<std::vector<std::string>>(sys_, *refs_.subscriptions, svc::rs_list_atom::value, uri);
      if (!who)
        lost.push_back("subscription " + uri + ": " + sys_.render(who.error()));
      else if (std::find(who->begin(), who->end(), owner) == who->end())
        lost.push_back("subscription " + uri + ": gone");
    }
    if (b.events.size() > 1) {
      auto replay = ask<svc::sse_replay>(sys_, *refs_.sse_events, svc::es_replay_atom::value,
                                         std::string{owner}, b.events.front().first);
      if (!replay) {
        lost.push_back("SSE events of " + b.tag + ": " + sys_.render(replay.error()));
      } else {
        bool same = replay->events.size() == b.events.size() - 1;
        for (std::size_t i = 0; same && i < replay->events.size(); ++i)
          same = replay->events[i].id == b.events[i + 1].first &&
                 replay->events[i].data == b.events[i + 1].second;
        if (!same)
          lost.push_back("SSE events of " + b.tag + ": replay differs from what was appended");
      }
    }
  }
  return lost;
}

} // namespace cafmcp::chaos
