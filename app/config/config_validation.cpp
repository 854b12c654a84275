#include "cafmcp/app/config/config_validation.hpp"

#include "cafmcp/app/config/config_fields.hpp"
#include "cafmcp/app/config/field_checks.hpp"

#include <limits>
#include <string>

namespace cafmcp::app {

namespace {

// The visitor of config_fields.hpp that checks values already in the model.
class field_validator {
public:
  explicit field_validator(std::vector<config_error>& errors) : errors_(errors) {}

  template <class T>
  void number(const std::string& key, const T& field, std::int64_t lo, std::int64_t hi) {
    // Fields are unsigned; a value beyond int64 is out of every bound we use.
    constexpr auto int64_max = std::numeric_limits<std::int64_t>::max();
    auto n = static_cast<std::uint64_t>(field) > static_cast<std::uint64_t>(int64_max)
                 ? int64_max
                 : static_cast<std::int64_t>(field);
    report(key, check_range(n, lo, hi));
  }

  void duration(const std::string& key, const milliseconds& field, std::int64_t lo,
                std::int64_t hi) {
    report(key, check_range(static_cast<std::int64_t>(field.count()), lo, hi, " ms"));
  }

  void boolean(const std::string&, const bool&) {}

  void text(const std::string& key, const std::string& field, text_rule rule) {
    report(key, check_text(field, rule));
  }

  void text_list(const std::string& key, const std::vector<std::string>& field, text_rule rule) {
    for (std::size_t i = 0; i < field.size(); ++i)
      report(key + "[" + std::to_string(i) + "]", check_text(field[i], rule));
  }

  template <class Enum, std::size_t N>
  void choice(const std::string& key, const Enum& field,
              const std::array<enum_name<Enum>, N>& names) {
    for (const auto& entry : names)
      if (entry.value == field)
        return;
    report(key, std::string{"holds a value that cannot be configured here: "} +
                    std::string{to_string(field)});
  }

private:
  void report(const std::string& key, std::optional<std::string> problem) {
    if (problem)
      errors_.push_back(config_error{key, std::move(*problem)});
  }

  std::vector<config_error>& errors_;
};

void check_cross_field_rules(const node_config& cfg, std::vector<config_error>& errors) {
  auto fail = [&errors](std::string key, std::string message) {
    errors.push_back(config_error{std::move(key), std::move(message)});
  };
  if (cfg.supervision.pool.strategy != restart_strategy::simple_one_for_one)
    fail("supervision.pool", "pool supervisors must be simple_one_for_one");
  if (cfg.health.check_timeout > cfg.health.check_interval)
    fail("health.check_timeout_ms", "must not exceed health.check_interval_ms (" +
                                        std::to_string(cfg.health.check_interval.count()) +
                                        " ms), or checks would overlap");
  const auto& tls = cfg.transports.tls;
  if (tls.cert_file.empty() != tls.key_file.empty())
    fail(tls.cert_file.empty() ? "transports.tls.cert_file" : "transports.tls.key_file",
         "must be set together with the other TLS file (or both left empty)");
  const auto& limits = cfg.limits;
  if (limits.outbound_queue_max_bytes < limits.max_message_bytes)
    fail("limits.outbound_queue_max_bytes", "must be at least limits.max_message_bytes (" +
                                                std::to_string(limits.max_message_bytes) +
                                                "), or a single large message could never be sent");
  const auto& t = cfg.transports;
  if (!t.stdio && !t.http.enabled && !t.sse.enabled && !t.ws.enabled && !t.tcp.enabled)
    fail("transports", "no transport is enabled, so the node could serve no one");
}

} // namespace

std::vector<config_error> validate_config(const node_config& cfg) {
  std::vector<config_error> errors;
  field_validator validator{errors};
  fields::visit_fields(cfg, validator);
  check_cross_field_rules(cfg, errors);
  return errors;
}

} // namespace cafmcp::app
