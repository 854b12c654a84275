#include "cafmcp/app/node/live_tree.hpp"

#include "cafmcp/actors/supervision/supervisor_api.hpp"

namespace cafmcp::app {

namespace sup = cafmcp::supervision;

tree_node read_tree(caf::actor_system& sys, const caf::actor& root, const std::string& name,
                    size_t max_listed) {
  tree_node node;
  node.name = name;
  if (auto counts = sup::count_children(sys, root))
    node.counts = *counts;
  auto kids = sup::which_children(sys, root);
  if (!kids)
    return node;
  size_t workers = 0;
  for (auto& k : *kids) {
    if (k.type == sup::child_type::supervisor && k.child) {
      node.children.push_back(read_tree(sys, k.child, k.id, max_listed));
      node.children.back().status = k.status;
    } else if (workers++ < max_listed) {
      tree_node leaf;
      leaf.name = k.id.empty() ? "<" + std::to_string(k.child.id()) + ">" : k.id;
      leaf.type = k.type;
      leaf.status = k.status;
      node.children.push_back(std::move(leaf));
    }
  }
  return node;
}

namespace {

void render(const tree_node& n, const std::string& indent, std::string& out) {
  out += indent + n.name;
  if (n.type == sup::child_type::supervisor)
    out += "  [supervisor: " + std::to_string(n.counts.active) + "/" +
           std::to_string(n.counts.specs) + " children active]";
  if (n.status != sup::child_status::running)
    out += "  (" + sup::to_string(n.status) + ")";
  out += '\n';
  for (auto& c : n.children)
    render(c, indent + "  ", out);
  auto listed = n.children.size();
  if (n.counts.specs > listed && n.counts.workers > 0)
    out += indent + "  ... " + std::to_string(n.counts.specs - listed) + " more\n";
}

} // namespace

std::string render_tree(const tree_node& root) {
  std::string out;
  render(root, "", out);
  return out;
}

caf::actor find_in_tree(caf::actor_system& sys, const caf::actor& root, const std::string& id) {
  std::vector<caf::actor> level{root};
  while (!level.empty()) {
    std::vector<caf::actor> next;
    for (auto& s : level) {
      auto kids = sup::which_children(sys, s);
      if (!kids)
        continue;
      for (auto& k : *kids) {
        if (k.id == id && k.child)
          return k.child;
        if (k.type == sup::child_type::supervisor && k.child)
          next.push_back(k.child);
      }
    }
    level = std::move(next);
  }
  return {};
}

} // namespace cafmcp::app
