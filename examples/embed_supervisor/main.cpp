// Embeds cafmcp's supervision library in an application's own CAF actor
// system: a one_for_one supervisor keeps a worker alive across a crash.
// Exits 0 when the worker was restarted and everything stopped cleanly.
#include <cstdio>

#include <caf/all.hpp>

#include <cafmcp/actors/supervision/sup_error.hpp>
#include <cafmcp/actors/supervision/supervisor.hpp>
#include <cafmcp/actors/supervision/supervisor_api.hpp>
#include <cafmcp/actors/supervision/supervisor_report.hpp>

namespace sup = cafmcp::supervision;

namespace {

caf::behavior counter(caf::event_based_actor*) {
  return {[](int x) { return x + 1; }};
}

} // namespace

int main() {
  caf::actor_system_config cfg;
  sup::add_error_category(cfg);
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  self->join(sup::report_group(sys));

  sup::child_spec worker;
  worker.id = "counter";
  worker.start = [](sup::start_context& ctx) -> caf::expected<sup::start_result> {
    return sup::start_result{ctx.self->spawn(counter)};
  };
  sup::supervisor_config tree;
  tree.name = "app_sup";
  tree.flags.strategy = sup::strategy::one_for_one;
  tree.flags.intensity = 3;
  tree.children = {worker};

  auto root = sup::start_supervisor(sys, tree);
  if (!root) {
    std::fprintf(stderr, "start failed: %s\n", sys.render(root.error()).c_str());
    return 1;
  }
  auto first = sup::which_children(sys, *root)->front().child;
  caf::anon_send_exit(first, caf::exit_reason::kill);

  bool restarted = false;
  for (bool waiting = true; waiting;)
    self->receive(
        [&](sup::supervisor_report& r) {
          std::printf("%s\n", sup::to_string(r).c_str());
          if (r.kind == sup::report_kind::child_started && r.child != first.address()) {
            restarted = true;
            waiting = false;
          }
        },
        caf::after(std::chrono::seconds(10)) >> [&] { waiting = false; });

  auto second = sup::which_children(sys, *root)->front().child;
  int answer = 0;
  self->request(second, std::chrono::seconds(5), 41)
      .receive([&](int x) { answer = x; }, [](caf::error&) {});
  sup::stop_supervisor(sys, *root);
  std::printf("restarted=%d answer=%d\n", restarted, answer);
  return restarted && answer == 42 ? 0 : 1;
}
