#include "cafmcp/chaos/analysis.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

namespace cafmcp::chaos {

namespace {

double ms_between(steady::time_point from, steady::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

struct session_view {
  std::vector<incarnation> incs;
  std::vector<call_record> calls;
  std::string first_id;

  std::optional<std::size_t> pool_at(steady::time_point t) const {
    std::optional<std::size_t> out;
    for (auto& i : incs) {
      if (i.opened > t)
        break;
      out = i.pool;
    }
    return out;
  }

  std::string id_at(steady::time_point t) const {
    std::string out;
    for (auto& i : incs) {
      if (i.opened > t)
        break;
      out = i.session_id;
    }
    return out;
  }
};

std::string server_session(const victim_result& v) {
  constexpr std::string_view prefix = "session:";
  return v.who.name.substr(0, prefix.size()) == prefix ? v.who.name.substr(prefix.size()) : "";
}

// Server victims: the session whose server was killed re-initializes; its
// new incarnation is the replacement.
void measure_server(victim_result& v, steady::time_point kill,
                    const std::vector<session_view>& sessions) {
  auto id = server_session(v);
  for (auto& s : sessions) {
    if (s.id_at(kill) != id || id.empty())
      continue;
    for (std::uint32_t k = 0; k < s.incs.size(); ++k) {
      auto& inc = s.incs[k];
      if (inc.opened <= kill)
        continue;
      v.running_ms = ms_between(kill, inc.opened);
      if (inc.pool)
        v.registered_ms = v.running_ms;
      for (auto& c : s.calls)
        if (c.ok && c.incarnation == k) {
          v.serving_ms = ms_between(kill, c.end);
          break;
        }
      return;
    }
  }
}

// Pool victims: the pool is re-registered when a session opened after the kill
// is routed to it, and serves once such a session's call succeeds.
void measure_pool(victim_result& v, steady::time_point kill,
                  const std::vector<session_view>& sessions) {
  auto idx = pool_index_of(v.who.name);
  if (!idx)
    return;
  for (auto& s : sessions)
    for (std::uint32_t k = 0; k < s.incs.size(); ++k) {
      auto& inc = s.incs[k];
      if (inc.opened <= kill || inc.pool != idx)
        continue;
      auto opened = ms_between(kill, inc.opened);
      if (!v.registered_ms || opened < *v.registered_ms)
        v.registered_ms = opened;
      for (auto& c : s.calls)
        if (c.ok && c.incarnation == k) {
          auto served = ms_between(kill, c.end);
          if (!v.serving_ms || served < *v.serving_ms)
            v.serving_ms = served;
          break;
        }
    }
}

// Node victims: serving once any session's call succeeds after the kill, in
// full service once every session has had one succeed.
void measure_node(victim_result& v, steady::time_point kill,
                  const std::vector<session_view>& sessions) {
  std::optional<double> slowest;
  bool everyone = !sessions.empty();
  for (auto& s : sessions) {
    std::optional<double> first;
    for (auto& c : s.calls)
      if (c.ok && c.start > kill) {
        first = ms_between(kill, c.end);
        break;
      }
    if (!first) {
      everyone = false;
      continue;
    }
    if (!v.serving_ms || *first < *v.serving_ms)
      v.serving_ms = first;
    slowest = std::max(slowest.value_or(0), *first);
  }
  if (everyone)
    v.registered_ms = slowest;
}

// How long after the kill the injection's domains were back (with a grace
// second for calls already on their way): the window in which failures count
// against it.
steady::time_point window_end(const injection_result& inj, steady::time_point kill) {
  double longest = 0;
  for (auto& v : inj.victims) {
    auto figure = v.serving_ms ? v.serving_ms : v.sla_figure_ms();
    longest = std::max(longest,
                       figure ? *figure : 2.0 * static_cast<double>(sla_of(v.who.domain).count()));
  }
  return kill + std::chrono::microseconds{static_cast<int64_t>(longest * 1000)} +
         std::chrono::seconds{1};
}

// Whether session `s` was inside one of the injection's killed domains.
bool inside(const injection_result& inj, const session_view& s, steady::time_point kill) {
  auto pool = s.pool_at(kill);
  auto id = s.id_at(kill);
  for (auto& v : inj.victims) {
    if (v.who.domain == domain_kind::node)
      return true;
    if (v.who.domain == domain_kind::pool && pool && pool_index_of(v.who.name) == pool)
      return true;
    if (v.who.domain == domain_kind::server && !id.empty() && server_session(v) == id)
      return true;
  }
  return false;
}

std::string millis(double x) {
  std::ostringstream out;
  out.precision(1);
  out << std::fixed << x << " ms";
  return out.str();
}

void add_sla_checks(scenario_result& r) {
  std::map<domain_kind, std::vector<double>> figures;
  std::map<domain_kind, bool> all_ok;
  for (auto& inj : r.injections)
    for (auto& v : inj.victims) {
      auto f = v.sla_figure_ms();
      all_ok.try_emplace(v.who.domain, true);
      if (f)
        figures[v.who.domain].push_back(*f);
      all_ok[v.who.domain] = all_ok[v.who.domain] && v.within_sla();
    }
  for (auto& [domain, ok] : all_ok) {
    auto s = summarize(figures[domain]);
    std::ostringstream measured;
    measured << "max " << millis(s.max_ms) << ", p50 " << millis(s.p50_ms) << " (" << s.count
             << " of ";
    std::size_t n = 0;
    for (auto& inj : r.injections)
      for (auto& v : inj.victims)
        n += v.who.domain == domain ? 1 : 0;
    measured << n << " measured)";
    r.checks.push_back({std::string{"recovery: "} + std::string{to_string(domain)},
                        "< " + millis(static_cast<double>(sla_of(domain).count())), measured.str(),
                        ok});
  }
}

} // namespace

void analyze(scenario_result& r, const analysis_input& in) {
  std::vector<session_view> sessions;
  for (auto& log : *in.logs)
    sessions.push_back({log->incarnations(), log->calls(), {}});
  r.sessions = sessions.size();

  for (std::size_t i = 0; i < r.injections.size() && i < in.kill_times.size(); ++i) {
    auto& inj = r.injections[i];
    auto kill = in.kill_times[i];
    for (auto& v : inj.victims) {
      if (!v.kill_error.empty())
        continue;
      switch (v.who.domain) {
      case domain_kind::server:
        measure_server(v, kill, sessions);
        break;
      case domain_kind::pool:
        measure_pool(v, kill, sessions);
        break;
      case domain_kind::node:
        measure_node(v, kill, sessions);
        break;
      default:
        break;
      }
    }
  }

  // Impact, and which calls fell inside a killed domain. Windows of
  // injections in quick succession overlap: a failed call counts against the
  // injection whose domain held its session, or, when none did, against the
  // latest injection whose window it fell in (a failure outside every killed
  // domain, which the impact check must see).
  std::set<std::pair<std::size_t, std::size_t>> inside_calls; // (session, call)
  std::vector<steady::time_point> ends;
  std::vector<std::set<std::size_t>> affected(r.injections.size());
  for (std::size_t i = 0; i < r.injections.size() && i < in.kill_times.size(); ++i) {
    auto& inj = r.injections[i];
    ends.push_back(window_end(inj, in.kill_times[i]));
    inj.sessions = sessions.size();
    std::size_t in_domain = 0;
    for (auto& s : sessions)
      in_domain += inside(inj, s, in.kill_times[i]) ? 1 : 0;
    inj.domain_share = sessions.empty()
                           ? 0
                           : static_cast<double>(in_domain) / static_cast<double>(sessions.size());
  }
  auto grace = std::chrono::milliseconds{50};
  for (std::size_t s = 0; s < sessions.size(); ++s)
    for (std::size_t c = 0; c < sessions[s].calls.size(); ++c) {
      auto& call = sessions[s].calls[c];
      std::optional<std::size_t> owner, latest;
      for (std::size_t i = 0; i < ends.size(); ++i) {
        auto kill = in.kill_times[i];
        if (call.start < kill - grace || call.start > ends[i])
          continue;
        latest = i;
        if (inside(r.injections[i], sessions[s], kill)) {
          owner = i;
          inside_calls.emplace(s, c);
        }
      }
      if (!call.ok && (owner || latest))
        affected[owner ? *owner : *latest].insert(s);
    }
  for (std::size_t i = 0; i < affected.size(); ++i)
    r.injections[i].affected = affected[i].size();

  // Requests over the run, and the model's expected share served.
  for (std::size_t s = 0; s < sessions.size(); ++s)
    for (std::size_t c = 0; c < sessions[s].calls.size(); ++c) {
      auto& call = sessions[s].calls[c];
      if (call.start < in.run_start || call.start > in.run_end)
        continue;
      auto& bucket = inside_calls.count({s, c}) ? r.inside : r.outside;
      (call.ok ? bucket.ok : bucket.failed) += 1;
      (call.ok ? r.overall.ok : r.overall.failed) += 1;
    }
  for (auto& log : *in.logs)
    r.failed_opens += log->failed_opens();
  r.availability_measured = r.overall.success_rate();

  double run_ms = std::max(ms_between(in.run_start, in.run_end), 1.0);
  // The model: each injection costs the sessions its domain held the time
  // until they were served again (they re-initialize elsewhere; they do not
  // wait for their pool), as a share of the run.
  double lost_share = 0;
  std::map<std::size_t, double> pool_down_ms;
  for (std::size_t i = 0; i < r.injections.size() && i < in.kill_times.size(); ++i) {
    auto& inj = r.injections[i];
    auto kill = in.kill_times[i];
    double down_sum = 0;
    std::size_t held = 0;
    for (auto& s : sessions) {
      if (!inside(inj, s, kill))
        continue;
      ++held;
      auto back = in.run_end;
      for (auto& c : s.calls)
        if (c.ok && c.start >= kill && c.end < back)
          back = c.end;
      down_sum += ms_between(kill, back);
    }
    if (held == 0)
      continue;
    auto down = down_sum / static_cast<double>(held);
    lost_share += inj.domain_share * down / run_ms;
    for (auto& v : inj.victims)
      if (auto idx = pool_index_of(v.who.name); idx && v.who.domain == domain_kind::pool)
        pool_down_ms[*idx] += down;
  }
  r.availability_model = std::max(0.0, 1.0 - lost_share);
  // The original design's formula, 1 - prod(1 - a_i) over every pool: it
  // treats the pools as backups of each other, so one pool that never failed
  // makes it 100 %. Sessions do not move between pools while they live, so
  // it overstates availability; printed next to the measurement for contrast.
  double all_down = pool_down_ms.size() < in.num_pools ? 0.0 : 1.0;
  for (auto& [pool, down] : pool_down_ms)
    all_down *= std::min(down / run_ms, 1.0);
  r.availability_backup_formula = 1.0 - all_down;

  add_sla_checks(r);
  bool impact_ok = true;
  std::size_t cascades = 0;
  for (auto& inj : r.injections) {
    impact_ok = impact_ok && inj.impact_within_share();
    cascades += inj.cascades.size();
  }
  if (!r.injections.empty()) {
    r.checks.push_back({"impact of a domain", "<= its share of sessions",
                        impact_ok ? "every injection within its share" : "some injection beyond",
                        impact_ok});
    r.checks.push_back({"cascading restarts", "0", std::to_string(cascades), cascades == 0});
  }
  if (r.durability_checked)
    r.checks.push_back({"lost data", "0", std::to_string(r.lost_data.size()), r.lost_data.empty()});
}

} // namespace cafmcp::chaos
