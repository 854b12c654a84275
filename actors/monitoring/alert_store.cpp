#include "cafmcp/actors/monitoring/alert_store.hpp"

namespace cafmcp::monitoring {

bool alert_store::raise(const std::string& name, std::string message, int64_t now_ns) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto& a = alerts_[name];
  a.name = name;
  a.message = std::move(message);
  if (a.active)
    return false;
  a.active = true;
  a.since_ns = now_ns;
  ++a.fired;
  return true;
}

bool alert_store::clear(const std::string& name) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = alerts_.find(name);
  if (i == alerts_.end() || !i->second.active)
    return false;
  i->second.active = false;
  return true;
}

std::vector<alert> alert_store::all() const {
  std::lock_guard<std::mutex> guard{mtx_};
  std::vector<alert> out;
  for (auto& kv : alerts_)
    out.push_back(kv.second);
  return out;
}

std::vector<alert> alert_store::active() const {
  std::lock_guard<std::mutex> guard{mtx_};
  std::vector<alert> out;
  for (auto& kv : alerts_)
    if (kv.second.active)
      out.push_back(kv.second);
  return out;
}

} // namespace cafmcp::monitoring
