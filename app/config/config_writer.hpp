// node_config -> JSON, in the config file's own format: what the node runs
// with (--print-config), and a file that loads back to the same config.
#pragma once

#include "cafmcp/app/config/node_config.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace cafmcp::app {

/// Every key, including defaults. Note: admin.token is included as is.
nlohmann::json to_json(const node_config& cfg);

/// The same as indented text, keys in schema order (sections as in the docs).
std::string render_config(const node_config& cfg);

/// Every dotted key the config file accepts, in schema order.
std::vector<std::string> config_keys();

} // namespace cafmcp::app
