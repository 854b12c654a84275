// The complete check of a node_config, whoever built it (file, flags, or an
// embedder's code): every field's bounds and format, then the rules that
// relate several fields.
#pragma once

#include "cafmcp/app/config/config_error.hpp"
#include "cafmcp/app/config/node_config.hpp"

#include <vector>

namespace cafmcp::app {

/// Empty when the config is fit to start a node.
std::vector<config_error> validate_config(const node_config& cfg);

} // namespace cafmcp::app
