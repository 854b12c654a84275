// The metrics service's message vocabulary. Atom texts are global in CAF, so ours carry an
// "mx_" prefix.
//
//   (mx_update_atom, metric_update)               no answer: send it, fire-and-forget
//   (mx_batch_atom, std::vector<metric_update>)   no answer: several updates in one message
//   (mx_snap_atom)                                -> metrics_snapshot (metrics_snapshot.hpp)
//   supervisor_report (from the report group)     counted, see metrics.hpp
//
// Names follow Prometheus ([a-zA-Z_:][a-zA-Z0-9_:]*), label names [a-zA-Z_][a-zA-Z0-9_]*, and
// histograms measure seconds. A name keeps the kind it was first used with. Updates that break
// these rules (or would exceed max_series) are dropped and counted in the snapshot's
// `rejected`, since a fire-and-forget sender cannot be told.
// metrics.hpp has helpers (count, gauge_set, gauge_add, observe) that build and send these.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>

namespace cafmcp::services {

using mx_update_atom = caf::atom_constant<caf::atom("mx_update")>;
using mx_batch_atom = caf::atom_constant<caf::atom("mx_batch")>;
using mx_snap_atom = caf::atom_constant<caf::atom("mx_snap")>;

// Sorted by name, so equal label sets compare (and key) equal whatever order they were built in.
using metric_labels = std::map<std::string, std::string>;

enum class metric_op : std::uint8_t {
  counter_add, // value >= 0
  gauge_set,
  gauge_add, // value may be negative
  observe,   // a histogram observation, in seconds
};

struct metric_update {
  metric_op op = metric_op::counter_add;
  std::string name;
  metric_labels labels;
  double value = 1;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, metric_update& x) {
  return f(caf::meta::type_name("metric_update"), x.op, x.name, x.labels, x.value);
}

} // namespace cafmcp::services
