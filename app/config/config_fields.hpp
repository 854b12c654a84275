// The schema of the config file: every key, its field in node_config, its
// type and its bounds, listed once.
//
// The JSON reader, the JSON writer, validation and the key list all walk this
// one list with different visitors (the same idea as CAF's inspect()), so a
// new key cannot be readable but not printable, or bounded in one place only.
//
// A visitor provides, for a dotted key and a (possibly const) field:
//   number(key, field, lo, hi)      unsigned integer field, bounds inclusive
//   duration(key, field, lo, hi)    milliseconds field, bounds in ms
//   boolean(key, field)
//   text(key, field, text_rule)
//   text_list(key, field, text_rule)
//   choice(key, field, names)       enum field spelled by a names table
#pragma once

#include "cafmcp/app/config/field_checks.hpp"
#include "cafmcp/app/config/node_config.hpp"

#include <cstdint>
#include <string>

namespace cafmcp::app::fields {

inline constexpr std::int64_t one_day_ms = 86'400'000;
inline constexpr std::int64_t max_port = 65535;
inline constexpr std::int64_t max_count = 100'000'000;

/// Restart budget of a supervisor level whose keys live under `prefix`.
template <class Level, class Visitor>
void visit_budget(Visitor& v, const std::string& prefix, Level& level) {
  v.number(prefix + ".intensity", level.intensity, 0, 1'000'000);
  v.duration(prefix + ".period_ms", level.period, 1, one_day_ms);
}

template <class Listener, class Visitor>
void visit_listener(Visitor& v, const std::string& prefix, Listener& x) {
  v.boolean(prefix + ".enabled", x.enabled);
  v.text(prefix + ".host", x.host, text_rule::host);
  v.number(prefix + ".port", x.port, 0, max_port);
}

template <class Config, class Visitor>
void visit_supervision(Visitor& v, Config& cfg) {
  auto& s = cfg.supervision;
  v.number("supervision.num_pools", s.num_pools, 1, 4096);
  v.number("supervision.servers_per_pool", s.servers_per_pool, 1, 10'000'000);
  // erlmcp's names for the budget of the supervisor that restarts pools.
  v.number("supervision.pool_restart_intensity", s.connection_pool.intensity, 0, 1'000'000);
  v.duration("supervision.pool_restart_period", s.connection_pool.period, 1, one_day_ms);
  auto level = [&v](const std::string& prefix, auto& x) {
    v.choice(prefix + ".strategy", x.strategy, configurable_strategies);
    visit_budget(v, prefix, x);
  };
  level("supervision.root", s.root);
  level("supervision.core", s.core);
  level("supervision.monitoring", s.monitoring);
  level("supervision.config", s.config);
  // Only the strategy: the budget is pool_restart_intensity/period above.
  v.choice("supervision.connection_pool.strategy", s.connection_pool.strategy,
           configurable_strategies);
  // Only the budget: a pool is always simple_one_for_one.
  visit_budget(v, "supervision.pool", s.pool);
  level("supervision.transport", s.transport);
}

template <class Config, class Visitor>
void visit_transports(Visitor& v, Config& cfg) {
  auto& t = cfg.transports;
  v.boolean("transports.stdio", t.stdio);
  visit_listener(v, "transports.http", t.http);
  v.text("transports.http.path", t.http.path, text_rule::url_path);
  v.text_list("transports.http.allowed_origins", t.http.allowed_origins, text_rule::list_entry);
  v.text_list("transports.http.allowed_hosts", t.http.allowed_hosts, text_rule::list_entry);
  visit_listener(v, "transports.sse", t.sse);
  visit_listener(v, "transports.ws", t.ws);
  v.text("transports.ws.path", t.ws.path, text_rule::url_path);
  visit_listener(v, "transports.tcp", t.tcp);
  v.text("transports.tls.cert_file", t.tls.cert_file, text_rule::any);
  v.text("transports.tls.key_file", t.tls.key_file, text_rule::any);
}

template <class Config, class Visitor>
void visit_limits(Visitor& v, Config& cfg) {
  auto& l = cfg.limits;
  v.number("limits.max_message_bytes", l.max_message_bytes, 1024, std::int64_t{1} << 30);
  v.number("limits.max_connections_per_transport", l.max_connections_per_transport, 1, max_count);
  v.duration("limits.idle_timeout_ms", l.idle_timeout, 1, one_day_ms);
  v.duration("limits.header_timeout_ms", l.header_timeout, 1, one_day_ms);
  v.duration("limits.read_timeout_ms", l.read_timeout, 1, one_day_ms);
  v.number("limits.outbound_queue_max_messages", l.outbound_queue_max_messages, 1, max_count);
  v.number("limits.outbound_queue_max_bytes", l.outbound_queue_max_bytes, 1024,
           std::int64_t{1} << 36);
  v.number("limits.max_sessions", l.max_sessions, 1, max_count);
}

/// Visits every key of the config file, in the order the writer prints them.
template <class Config, class Visitor>
void visit_fields(Config& cfg, Visitor& v) {
  v.choice("profile", cfg.profile, profile_names);
  visit_supervision(v, cfg);

  auto& r = cfg.recovery;
  v.duration("recovery.server_restart_timeout", r.server_restart_timeout, 1, one_day_ms);
  v.duration("recovery.pool_restart_timeout", r.pool_restart_timeout, 1, one_day_ms);
  v.duration("recovery.service_restart_timeout", r.service_restart_timeout, 1, one_day_ms);

  auto& f = cfg.failure;
  v.number("failure.pool_max_consecutive_crashes", f.pool_max_consecutive_crashes, 1, max_count);
  v.duration("failure.pool_crash_window", f.pool_crash_window, 1, one_day_ms);
  v.number("failure.service_max_consecutive_crashes", f.service_max_consecutive_crashes, 1,
           max_count);
  v.number("failure.registry_recovery_attempts", f.registry_recovery_attempts, 1, max_count);

  v.number("registry.shards", cfg.registry.shards, 1, 4096);

  v.duration("health.check_interval_ms", cfg.health.check_interval, 1, one_day_ms);
  v.duration("health.check_timeout_ms", cfg.health.check_timeout, 1, one_day_ms);

  visit_transports(v, cfg);

  auto& a = cfg.admin;
  v.boolean("admin.enabled", a.enabled);
  v.text("admin.host", a.host, text_rule::loopback_host);
  v.number("admin.port", a.port, 0, max_port);
  v.text("admin.token", a.token, text_rule::token);
  v.boolean("admin.metrics_require_token", a.metrics_require_token);

  auto& al = cfg.alerts;
  v.duration("alerts.interval_ms", al.interval, 10, one_day_ms);
  v.number("alerts.max_pool_restarts_per_minute", al.max_pool_restarts_per_minute, 0, max_count);
  v.duration("alerts.max_registry_recovery_ms", al.max_registry_recovery, 1, one_day_ms);
  v.duration("alerts.cascade_window_ms", al.cascade_window, 1, one_day_ms);
  v.number("alerts.min_availability_basis_points", al.min_availability_basis_points, 0, 10000);
  v.duration("alerts.availability_window_ms", al.availability_window, 1000, one_day_ms);
  v.number("alerts.availability_min_requests", al.availability_min_requests, 1, max_count);

  visit_limits(v, cfg);

  v.duration("sessions.ttl_ms", cfg.sessions.ttl, 1000, 30 * one_day_ms);
  v.duration("tasks.default_ttl_ms", cfg.tasks.default_ttl, 1000, 30 * one_day_ms);
  v.number("tasks.max_per_session", cfg.tasks.max_per_session, 1, max_count);
  v.number("sse.event_store_max_events_per_stream", cfg.sse.event_store_max_events_per_stream, 1,
           max_count);
  v.duration("sse.retry_ms", cfg.sse.retry, 0, 3'600'000);
  v.choice("logging.level", cfg.logging.level, log_level_names);
}

} // namespace cafmcp::app::fields
