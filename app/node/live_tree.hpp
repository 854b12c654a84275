#pragma once
// Walks a running supervision tree (which_children, recursively) and renders it,
// for --print-tree now and for the admin endpoint later.

#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "cafmcp/actors/supervision/supervisor_messages.hpp"

namespace cafmcp::app {

struct tree_node {
  std::string name;
  cafmcp::supervision::child_type type = cafmcp::supervision::child_type::supervisor;
  cafmcp::supervision::child_status status = cafmcp::supervision::child_status::running;
  cafmcp::supervision::child_counts counts; // supervisors only
  std::vector<tree_node> children;
};

// Children of a supervisor with more than `max_listed` workers (a pool of
// thousands of sessions) are summarized by their counts instead of listed.
tree_node read_tree(caf::actor_system& sys, const caf::actor& root, const std::string& name,
                    size_t max_listed = 20);

std::string render_tree(const tree_node& root);

// The first actor with child id `id` under `root`, searched breadth first
// (supervisors level by level); invalid when there is none.
caf::actor find_in_tree(caf::actor_system& sys, const caf::actor& root, const std::string& id);

} // namespace cafmcp::app
