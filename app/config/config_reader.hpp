// JSON -> node_config: overlays the keys present in a JSON document on a
// base config (the defaults, usually). Checks each value's type, bounds and
// format, and reports every key the schema does not know.
#pragma once

#include "cafmcp/app/config/config_error.hpp"
#include "cafmcp/app/config/node_config.hpp"

#include <nlohmann/json.hpp>

namespace cafmcp::app {

/// Cross-field rules are not checked here (see validate_config), so that
/// command-line flags applied afterwards can still settle them.
config_result<node_config> config_from_json(const nlohmann::json& doc, node_config base = {});

} // namespace cafmcp::app
