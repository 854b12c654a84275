#include "cafmcp/actors/services/metrics_store.hpp"

#include <algorithm>
#include <cmath>

namespace cafmcp::services {

namespace {

bool valid_name(const std::string& s, bool colon_ok) {
  if (s.empty())
    return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (colon_ok && c == ':') || (i > 0 && c >= '0' && c <= '9');
    if (!ok)
      return false;
  }
  return true;
}

bool valid_labels(const metric_labels& labels) {
  // "__" is reserved by Prometheus; "le" is ours to add on histogram buckets.
  return std::all_of(labels.begin(), labels.end(), [](auto& kv) {
    return valid_name(kv.first, false) && kv.first.rfind("__", 0) != 0 && kv.first != "le";
  });
}

} // namespace

std::vector<double> default_seconds_buckets() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
          0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
}

metrics_store::series* metrics_store::series_locked(kind k, const std::string& name,
                                                    const metric_labels& labels,
                                                    const metrics_limits& limits) {
  if (auto known = kinds_.find(name); known != kinds_.end() && known->second != k)
    return nullptr; // one name, one kind (Prometheus cannot expose both)
  auto& table = k == kind::counter ? counters_ : k == kind::gauge ? gauges_ : histograms_;
  auto key = std::make_pair(name, labels);
  if (auto it = table.find(key); it != table.end())
    return &it->second;
  if (counters_.size() + gauges_.size() + histograms_.size() >= limits.max_series)
    return nullptr;
  kinds_.emplace(name, k);
  series s;
  s.name = name;
  s.labels = labels;
  if (k == kind::histogram) {
    s.bounds = limits.buckets;
    s.buckets.assign(s.bounds.size() + 1, 0);
  }
  return &table.emplace(std::move(key), std::move(s)).first->second;
}

bool metrics_store::apply_locked(const metric_update& u, const metrics_limits& limits) {
  if (!valid_name(u.name, true) || !valid_labels(u.labels) || !std::isfinite(u.value))
    return false;
  switch (u.op) {
  case metric_op::counter_add: {
    if (u.value < 0)
      return false; // counters only go up
    auto* s = series_locked(kind::counter, u.name, u.labels, limits);
    if (s)
      s->value += u.value;
    return s != nullptr;
  }
  case metric_op::gauge_set:
  case metric_op::gauge_add: {
    auto* s = series_locked(kind::gauge, u.name, u.labels, limits);
    if (s)
      s->value = u.op == metric_op::gauge_set ? u.value : s->value + u.value;
    return s != nullptr;
  }
  case metric_op::observe: {
    auto* s = series_locked(kind::histogram, u.name, u.labels, limits);
    if (!s)
      return false;
    auto i = static_cast<std::size_t>(
        std::lower_bound(s->bounds.begin(), s->bounds.end(), u.value) - s->bounds.begin());
    ++s->buckets[i];
    s->sum += u.value;
    ++s->count;
    return true;
  }
  }
  return false;
}

bool metrics_store::apply(const metric_update& u, const metrics_limits& limits) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (apply_locked(u, limits))
    return true;
  ++rejected_;
  return false;
}

void metrics_store::on_report(const supervision::supervisor_report& r,
                              const metrics_limits& limits) {
  using supervision::report_kind;
  metric_labels labels{{"supervisor", r.supervisor}, {"child", r.child_id}};
  auto count = [&](const char* name, metric_labels l) {
    if (!apply_locked({metric_op::counter_add, name, std::move(l), 1}, limits))
      ++rejected_;
  };
  std::lock_guard<std::mutex> guard{mtx_};
  switch (r.kind) {
  case report_kind::restarting:
    count(metric_names::restarts, labels);
    break;
  case report_kind::child_terminated:
    count(metric_names::child_exits, labels);
    // simple_one_for_one children have no id, and are temporary in this node: nothing to pair.
    if (!r.child_id.empty())
      pending_recovery_[{r.supervisor, r.child_id}] = r.steady_ns;
    break;
  case report_kind::child_started: {
    auto it = pending_recovery_.find({r.supervisor, r.child_id});
    if (it == pending_recovery_.end())
      break;
    auto seconds = static_cast<double>(std::max<std::int64_t>(r.steady_ns - it->second, 0)) / 1e9;
    pending_recovery_.erase(it);
    if (!apply_locked({metric_op::observe, metric_names::recovery, labels, seconds}, limits) ||
        !apply_locked({metric_op::gauge_set, metric_names::last_recovery, labels, seconds}, limits))
      ++rejected_;
    break;
  }
  case report_kind::start_error:
    count(metric_names::start_errors, labels);
    break;
  case report_kind::max_intensity_reached:
    count(metric_names::max_intensity, {{"supervisor", r.supervisor}});
    break;
  case report_kind::shutdown_error:
  case report_kind::supervisor_terminated:
    break;
  }
}

metrics_snapshot metrics_store::snapshot() const {
  metrics_snapshot out;
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto& [key, s] : counters_)
    out.counters.push_back({s.name, s.labels, s.value});
  for (auto& [key, s] : gauges_)
    out.gauges.push_back({s.name, s.labels, s.value});
  for (auto& [key, s] : histograms_) {
    histogram_sample h;
    h.name = s.name;
    h.labels = s.labels;
    h.bounds = s.bounds;
    std::uint64_t running = 0;
    for (auto n : s.buckets)
      h.cumulative.push_back(running += n);
    h.sum = s.sum;
    h.count = s.count;
    out.histograms.push_back(std::move(h));
  }
  out.rejected = rejected_;
  return out;
}

} // namespace cafmcp::services
