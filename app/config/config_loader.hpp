// The config file: reading it, parsing its JSON (with line and column on a
// syntax error, and duplicate keys refused), and turning it into a config.
#pragma once

#include "cafmcp/app/config/config_error.hpp"
#include "cafmcp/app/config/node_config.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace cafmcp::app {

/// The whole file as text; an error names the path and the system's reason.
config_result<std::string> read_config_file(const std::string& path);

/// Parses JSON text. A syntax error's key is "<source>:<line>:<column>"; a
/// key written twice in one object is an error too (JSON would keep the last
/// one silently, hiding the first).
config_result<nlohmann::json> parse_config_text(std::string_view text, const std::string& source);

/// Reads `path` and overlays it on `base`, without the cross-field rules
/// (the command line applies its flags before validating).
config_result<node_config> load_config_file(const std::string& path, node_config base = {});

/// Defaults overlaid with the file at `path`, fully validated.
config_result<node_config> load_config(const std::string& path);

} // namespace cafmcp::app
