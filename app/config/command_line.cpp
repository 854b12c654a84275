#include "cafmcp/app/config/command_line.hpp"

#include "cafmcp/app/config/config_loader.hpp"
#include "cafmcp/app/config/config_reader.hpp"
#include "cafmcp/app/config/config_validation.hpp"
#include "cafmcp/app/config/field_checks.hpp"
#include "cafmcp/app/config/host_port.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>

namespace cafmcp::app {

namespace {

using nlohmann::json;

// The raw text of each flag. Values are parsed by us, not by CLI11, so that
// every error names its flag in our own words.
struct flag_values {
  std::string config;
  std::string profile;
  std::string http;
  std::string sse;
  std::string ws;
  std::string tcp;
  std::string admin;
  std::string num_pools;
  std::string servers_per_pool;
  bool stdio = false;
  bool print_tree = false;
  bool help = false;
};

void declare_flags(CLI::App& app, flag_values& v) {
  // Our own --help flag: CLI11's would report help by throwing.
  app.set_help_flag();
  // Unknown arguments are collected and reported by us (see unknown_arguments).
  app.allow_extras();
  auto single = [](CLI::Option* opt) { opt->multi_option_policy(CLI::MultiOptionPolicy::Throw); };
  single(app.add_option("--config", v.config, "JSON config file (built-in defaults without it)")
             ->type_name("FILE"));
  single(app.add_option("--profile", v.profile, "what the node serves besides the runtime")
             ->type_name("default|conformance|loadtest"));
  app.add_flag("--stdio", v.stdio, "serve one MCP session on stdin/stdout");
  single(app.add_option("--http", v.http, "enable Streamable HTTP at this address")
             ->type_name("HOST:PORT"));
  single(app.add_option("--sse", v.sse, "enable the legacy HTTP+SSE transport at this address")
             ->type_name("HOST:PORT"));
  single(app.add_option("--ws", v.ws, "enable WebSocket at this address")->type_name("HOST:PORT"));
  single(app.add_option("--tcp", v.tcp, "enable the TCP transport at this address")
             ->type_name("HOST:PORT"));
  single(app.add_option("--admin", v.admin, "enable the admin endpoint here (loopback only)")
             ->type_name("HOST:PORT"));
  single(app.add_option("--num-pools", v.num_pools, "number of connection pools")->type_name("N"));
  single(app.add_option("--servers-per-pool", v.servers_per_pool, "server actors per pool")
             ->type_name("N"));
  app.add_flag("--print-tree", v.print_tree, "print the supervision tree once it is up");
  app.add_flag("-h,--help", v.help, "print this help and exit");
  app.footer("Flags override the config file, which overrides the built-in defaults.\n"
             "HOST:PORT accepts [::1]:8080 for IPv6; port 0 picks a free port.\n"
             "Exit codes: 0 after a clean shutdown, 2 for a usage or config error.");
}

// Flags become a JSON overlay on the config, read by the same reader as the
// file: one place checks types and bounds, and errors map back to flags.
class flag_overlay {
public:
  void set(const std::string& key, json value, const std::string& flag) {
    std::string pointer = "/" + key;
    std::replace(pointer.begin(), pointer.end(), '.', '/');
    doc[json::json_pointer{pointer}] = std::move(value);
    flag_of[key] = flag;
  }

  void listener(const std::string& flag, const std::string& text, const std::string& prefix) {
    auto address = parse_host_port(text);
    if (!address) {
      for (const auto& e : address.errors())
        errors.push_back(config_error{flag, e.message});
      return;
    }
    set(prefix + ".enabled", true, flag);
    set(prefix + ".host", address.value().host, flag);
    set(prefix + ".port", address.value().port, flag);
  }

  void count(const std::string& flag, const std::string& text, const std::string& key) {
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
      errors.push_back(config_error{flag, "must be a whole number, got " + quote_value(text)});
      return;
    }
    // Saturate instead of overflowing: the reader then reports the bounds.
    std::uint64_t n = 0;
    constexpr auto max = std::numeric_limits<std::uint64_t>::max();
    for (char c : text) {
      auto digit = static_cast<std::uint64_t>(c - '0');
      n = n > (max - digit) / 10 ? max : n * 10 + digit;
    }
    set(key, n, flag);
  }

  /// Renames errors about keys that a flag set after that flag.
  void name_flags(std::vector<config_error>& xs) const {
    for (auto& x : xs)
      if (auto i = flag_of.find(x.key); i != flag_of.end())
        x.key = i->second;
  }

  bool names_a_flag(const std::vector<config_error>& xs) const {
    return std::any_of(xs.begin(), xs.end(),
                       [](const config_error& x) { return x.key.rfind("--", 0) == 0; });
  }

  json doc = json::object();
  std::map<std::string, std::string> flag_of; // dotted key -> flag
  std::vector<config_error> errors;
};

flag_overlay make_overlay(const CLI::App& app, const flag_values& v) {
  flag_overlay overlay;
  if (app.count("--profile") > 0)
    overlay.set("profile", v.profile, "--profile");
  if (v.stdio) {
    overlay.set("transports.stdio", true, "--stdio");
    // A desktop client starts one node per session over stdio: such a node
    // opens no network listener unless told to, so that two of them never
    // fight over a port.
    if (app.count("--http") == 0)
      overlay.set("transports.http.enabled", false, "--stdio");
    if (app.count("--admin") == 0)
      overlay.set("admin.enabled", false, "--stdio");
  }
  auto listener = [&](const char* flag, const std::string& text, const char* prefix) {
    if (app.count(flag) > 0)
      overlay.listener(flag, text, prefix);
  };
  listener("--http", v.http, "transports.http");
  listener("--sse", v.sse, "transports.sse");
  listener("--ws", v.ws, "transports.ws");
  listener("--tcp", v.tcp, "transports.tcp");
  listener("--admin", v.admin, "admin");
  if (app.count("--num-pools") > 0)
    overlay.count("--num-pools", v.num_pools, "supervision.num_pools");
  if (app.count("--servers-per-pool") > 0)
    overlay.count("--servers-per-pool", v.servers_per_pool, "supervision.servers_per_pool");
  return overlay;
}

// Whatever CLI11 did not recognize: an unknown flag, or a stray word.
std::vector<config_error> unknown_arguments(const std::vector<std::string>& extras) {
  std::vector<config_error> errors;
  for (const auto& arg : extras)
    if (arg.size() > 1 && arg.front() == '-')
      errors.push_back(config_error{arg.substr(0, arg.find('=')), "unknown flag (see --help)"});
  if (errors.empty())
    for (const auto& arg : extras)
      errors.push_back(config_error{arg, "unexpected argument: cafmcp-node takes flags only"});
  return errors;
}

// CLI11's own messages start with the flag ("--http: 1 required ...").
config_error from_cli11(const CLI::ParseError& e) {
  std::string what = e.what();
  auto colon = what.find(": ");
  if (what.rfind("-", 0) == 0 && colon != std::string::npos)
    return config_error{what.substr(0, colon), what.substr(colon + 2)};
  return config_error{"command line", what};
}

void fail(command_line_result& result, command_line_outcome outcome,
          std::vector<config_error> errors) {
  result.outcome = outcome;
  result.errors = std::move(errors);
}

void parse_into(command_line_result& result, std::vector<std::string> args) {
  CLI::App app{"cafmcp-node: a Model Context Protocol server runtime whose failures are "
               "contained and repaired by supervisors.",
               "cafmcp-node"};
  flag_values flags;
  declare_flags(app, flags);
  result.help_text = app.help();
  try {
    std::reverse(args.begin(), args.end()); // CLI11 takes them last first
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    fail(result, command_line_outcome::usage_error, {from_cli11(e)});
    return;
  }
  if (flags.help) {
    result.outcome = command_line_outcome::help;
    return;
  }
  // Report every malformed argument at once, not one per attempt.
  auto overlay = make_overlay(app, flags);
  auto usage_errors = unknown_arguments(app.remaining());
  usage_errors.insert(usage_errors.end(), overlay.errors.begin(), overlay.errors.end());
  if (!usage_errors.empty()) {
    fail(result, command_line_outcome::usage_error, std::move(usage_errors));
    return;
  }
  result.print_tree = flags.print_tree;

  node_config cfg;
  if (app.count("--config") > 0) {
    result.config_file = flags.config;
    auto loaded = load_config_file(flags.config);
    if (!loaded) {
      fail(result, command_line_outcome::config_error, loaded.errors());
      return;
    }
    cfg = std::move(loaded).value();
  }
  auto applied = config_from_json(overlay.doc, std::move(cfg));
  if (!applied) {
    auto errors = applied.errors();
    overlay.name_flags(errors);
    fail(result, command_line_outcome::usage_error, std::move(errors));
    return;
  }
  if (auto errors = validate_config(applied.value()); !errors.empty()) {
    overlay.name_flags(errors);
    auto outcome = overlay.names_a_flag(errors) ? command_line_outcome::usage_error
                                                : command_line_outcome::config_error;
    fail(result, outcome, std::move(errors));
    return;
  }
  result.config = std::move(applied).value();
  result.outcome = command_line_outcome::run;
}

} // namespace

command_line_result parse_command_line(const std::vector<std::string>& args) {
  command_line_result result;
  try {
    parse_into(result, args);
  } catch (const std::exception& e) {
    // Only allocation failures or library bugs get here; still a value.
    fail(result, command_line_outcome::usage_error,
         {config_error{"command line", std::string{"cannot be parsed: "} + e.what()}});
  }
  return result;
}

command_line_result parse_command_line(int argc, const char* const* argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i)
    args.emplace_back(argv[i]);
  return parse_command_line(args);
}

} // namespace cafmcp::app
