#include "cafmcp/chaos/report.hpp"

#include <iomanip>
#include <map>
#include <ostream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace cafmcp::chaos {

namespace {

nlohmann::json optional_ms(const std::optional<double>& x) {
  return x ? nlohmann::json(*x) : nlohmann::json(nullptr);
}

std::string cell(const std::optional<double>& x) {
  if (!x)
    return "-";
  std::ostringstream out;
  out << std::fixed << std::setprecision(1) << *x;
  return out.str();
}

nlohmann::json to_json(const victim_result& v) {
  return {{"name", v.who.name},
          {"domain", std::string{to_string(v.who.domain)}},
          {"pool", v.pool ? nlohmann::json(*v.pool) : nlohmann::json(nullptr)},
          {"transport", v.transport},
          {"kill_error", v.kill_error},
          {"running_ms", optional_ms(v.running_ms)},
          {"registered_ms", optional_ms(v.registered_ms)},
          {"serving_ms", optional_ms(v.serving_ms)},
          {"sla_ms", sla_of(v.who.domain).count()},
          {"within_sla", v.within_sla()}};
}

nlohmann::json to_json(const request_counts& c) {
  return {{"ok", c.ok}, {"failed", c.failed}, {"success_rate", c.success_rate()}};
}

// p50/p99/max of each recovery step, per kind of domain.
struct domain_figures {
  std::vector<double> running, registered, serving;
};

std::map<domain_kind, domain_figures> by_domain(const scenario_result& r) {
  std::map<domain_kind, domain_figures> out;
  for (auto& inj : r.injections)
    for (auto& v : inj.victims) {
      auto& f = out[v.who.domain];
      if (v.running_ms)
        f.running.push_back(*v.running_ms);
      if (v.registered_ms)
        f.registered.push_back(*v.registered_ms);
      if (v.serving_ms)
        f.serving.push_back(*v.serving_ms);
    }
  return out;
}

std::string figures(const std::vector<double>& xs) {
  if (xs.empty())
    return "-";
  auto s = summarize(xs);
  std::ostringstream out;
  out << std::fixed << std::setprecision(1) << s.p50_ms << "/" << s.p99_ms << "/" << s.max_ms;
  return out.str();
}

} // namespace

nlohmann::json to_json(const scenario_result& r) {
  auto injections = nlohmann::json::array();
  for (auto& inj : r.injections) {
    auto victims = nlohmann::json::array();
    for (auto& v : inj.victims)
      victims.push_back(to_json(v));
    auto cascades = nlohmann::json::array();
    for (auto& c : inj.cascades)
      cascades.push_back({{"supervisor", c.supervisor},
                          {"child", c.child_id},
                          {"kind", supervision::to_string(c.kind)}});
    injections.push_back({{"at_ms", inj.at_ms},
                          {"victims", victims},
                          {"sessions", inj.sessions},
                          {"affected_sessions", inj.affected},
                          {"domain_share", inj.domain_share},
                          {"impact_within_share", inj.impact_within_share()},
                          {"cascades", cascades}});
  }
  auto checks = nlohmann::json::array();
  for (auto& c : r.checks)
    checks.push_back(
        {{"name", c.name}, {"limit", c.limit}, {"measured", c.measured}, {"pass", c.pass}});
  auto domains = nlohmann::json::object();
  for (auto& [domain, f] : by_domain(r))
    domains[std::string{to_string(domain)}] = {{"running_ms", to_json(summarize(f.running))},
                                               {"registered_ms", to_json(summarize(f.registered))},
                                               {"serving_ms", to_json(summarize(f.serving))},
                                               {"sla_ms", sla_of(domain).count()}};
  return {{"scenario", r.scenario},
          {"seed", r.seed},
          {"sessions", r.sessions},
          {"open_all_ms", r.open_all_ms},
          {"chaos_ms", r.chaos_ms},
          {"injections", injections},
          {"recovery_by_domain", domains},
          {"requests",
           {{"overall", to_json(r.overall)},
            {"inside_killed_domains", to_json(r.inside)},
            {"outside_killed_domains", to_json(r.outside)},
            {"failed_opens", r.failed_opens},
            {"failures_by_kind", r.failures_by_kind}}},
          {"availability",
           {{"measured", r.availability_measured},
            {"model", r.availability_model},
            {"pools_as_backups_formula", r.availability_backup_formula}}},
          {"lost_data", r.durability_checked ? nlohmann::json(r.lost_data)
                                             : nlohmann::json("not checked (remote target)")},
          {"checks", checks},
          {"pass", r.pass()}};
}

nlohmann::json to_json(const std::vector<scenario_result>& all) {
  auto out = nlohmann::json::array();
  bool pass = true;
  for (auto& r : all) {
    out.push_back(to_json(r));
    pass = pass && r.pass();
  }
  return {{"scenarios", out}, {"pass", pass}};
}

void print_summary(std::ostream& out, const scenario_result& r) {
  out << "\n== " << r.scenario << " (seed " << r.seed << ", " << r.sessions << " sessions, "
      << std::fixed << std::setprecision(0) << r.open_all_ms << " ms to open them)\n";
  out << "  " << std::left << std::setw(34) << "killed" << std::right << std::setw(10) << "running"
      << std::setw(12) << "registered" << std::setw(10) << "serving" << std::setw(9) << "SLA"
      << std::setw(16) << "affected/share"
      << "\n";
  for (auto& inj : r.injections)
    for (auto& v : inj.victims) {
      std::ostringstream impact;
      impact << inj.affected << "/" << std::fixed << std::setprecision(0)
             << inj.domain_share * static_cast<double>(inj.sessions);
      auto name = v.who.name;
      auto suffix = v.transport.empty() ? std::string{} : " (" + v.transport + ")";
      if (name.size() + suffix.size() > 33)
        name = name.substr(0, 30 - std::min<std::size_t>(suffix.size(), 20)) + "...";
      name += suffix;
      out << "  " << std::left << std::setw(34) << name << std::right << std::setw(10)
          << cell(v.running_ms) << std::setw(12) << cell(v.registered_ms) << std::setw(10)
          << cell(v.serving_ms) << std::setw(9) << (v.within_sla() ? "pass" : "FAIL")
          << std::setw(16) << impact.str();
      if (!v.kill_error.empty())
        out << "  (kill failed: " << v.kill_error << ")";
      out << "\n";
    }
  auto domains = by_domain(r);
  if (r.injections.size() > 1 && !domains.empty()) {
    out << "  recovery p50/p99/max ms   " << std::left << std::setw(16) << "domain" << std::setw(22)
        << "running" << std::setw(22) << "registered"
        << "serving\n";
    for (auto& [domain, f] : domains)
      out << "                            " << std::setw(16) << std::string{to_string(domain)}
          << std::setw(22) << figures(f.running) << std::setw(22) << figures(f.registered)
          << figures(f.serving) << "\n";
    out << std::right;
  }
  out << std::setprecision(4) << "  requests: " << r.overall.ok << " ok, " << r.overall.failed
      << " failed; inside killed domains " << 100 * r.inside.success_rate() << " % ok, outside "
      << 100 * r.outside.success_rate() << " % ok; failed opens " << r.failed_opens << "\n";
  if (!r.failures_by_kind.empty()) {
    out << "  failed calls by kind (whole run, opening included):";
    for (auto& [kind, n] : r.failures_by_kind)
      out << " " << kind << " " << n << ";";
    out << "\n";
  }
  out << "  availability: measured " << 100 * r.availability_measured << " %, model "
      << 100 * r.availability_model << " %, pools-as-backups formula "
      << 100 * r.availability_backup_formula << " %\n";
  for (auto& c : r.checks)
    out << "  [" << (c.pass ? "PASS" : "FAIL") << "] " << std::left << std::setw(28) << c.name
        << " limit " << std::setw(14) << c.limit << " measured " << c.measured << "\n"
        << std::right;
  for (auto& l : r.lost_data)
    out << "  lost: " << l << "\n";
  if (!r.durability_checked)
    out << "  lost data: not checked (a node in another process shows no service state)\n";
}

} // namespace cafmcp::chaos
