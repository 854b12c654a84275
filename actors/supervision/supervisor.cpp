#include "cafmcp/actors/supervision/supervisor.hpp"

#include <set>

#include <caf/all.hpp>

#include "cafmcp/actors/supervision/sup_error.hpp"
#include "cafmcp/actors/supervision/supervisor_state.hpp"

namespace cafmcp::supervision {

namespace {

using supervisor_actor = caf::stateful_actor<detail::supervisor_state>;

caf::behavior supervisor_impl(supervisor_actor* self, supervisor_config cfg) {
  return self->state.make_behavior(std::move(cfg));
}

caf::error bad_spec(std::string what) {
  return caf::make_error(sup_errc::bad_start_spec, std::move(what));
}

} // namespace

caf::group report_group(caf::actor_system& sys) {
  return sys.groups().get_local("cafmcp.supervisor_reports");
}

caf::error check_childspecs(const std::vector<child_spec>& specs, const supervisor_flags& flags) {
  if (flags.intensity < 0)
    return bad_spec("intensity must be >= 0");
  if (flags.period.count() <= 0)
    return bad_spec("period must be > 0");
  if (flags.strategy == strategy::simple_one_for_one) {
    if (specs.size() != 1)
      return bad_spec("simple_one_for_one takes exactly one child spec");
    // As in current OTP: a pool of identical children has no significant one.
    if (flags.auto_shutdown != auto_shutdown::never)
      return bad_spec("simple_one_for_one does not allow auto_shutdown");
  }
  std::set<std::string> ids;
  for (auto& spec : specs) {
    if (flags.strategy != strategy::simple_one_for_one) {
      if (spec.id.empty())
        return bad_spec("a child spec needs an id");
      if (!ids.insert(spec.id).second)
        return bad_spec("duplicate child id " + spec.id);
    }
    if (!spec.start)
      return bad_spec("child " + spec.id + " has no start function");
    if (spec.shutdown && spec.shutdown->mode == shutdown_spec::kind::timeout &&
        spec.shutdown->timeout.count() < 0)
      return bad_spec("child " + spec.id + " has a negative shutdown timeout");
    if (spec.significant) {
      if (spec.restart == restart_type::permanent)
        return bad_spec("child " + spec.id + ": a permanent child cannot be significant");
      if (flags.auto_shutdown == auto_shutdown::never)
        return bad_spec("child " + spec.id + ": significant needs auto_shutdown");
    }
  }
  return {};
}

caf::actor spawn_supervisor(caf::actor_system& sys, supervisor_config cfg) {
  return sys.spawn(supervisor_impl, std::move(cfg));
}

caf::actor spawn_supervisor(caf::local_actor* parent, supervisor_config cfg) {
  return parent->spawn(supervisor_impl, std::move(cfg));
}

child_spec supervisor_child(std::string id, supervisor_config cfg, restart_type restart) {
  child_spec spec;
  spec.id = std::move(id);
  spec.type = child_type::supervisor;
  spec.restart = restart;
  spec.start = [cfg = std::move(cfg)](start_context& ctx) -> caf::expected<start_result> {
    return start_result{spawn_supervisor(ctx.self, cfg), start_ack::supervisor_ready};
  };
  return spec;
}

} // namespace cafmcp::supervision
