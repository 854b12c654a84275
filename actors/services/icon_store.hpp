// The icon cache's data: validated icon lists by owner key, least recently used first out.
//
// Why a separate object: the cache must survive the icon_cache actor's crash (DESIGN.md §2),
// so lists validated once are not lost (and owners need not put them again). Thread-safe (one
// mutex).
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "cafmcp/actors/services/icon_messages.hpp"

namespace cafmcp::services {

struct icon_limits {
  std::size_t max_entries = 4096;
  std::size_t max_bytes = 8 * 1024 * 1024; // data: URIs can be large
  std::size_t max_icons_per_list = 64;
};

// Validates a JSON array of icons; the normalized JSON text, or invalid_icon with the reason.
caf::expected<std::string> validate_icons(const std::string& icons_json, const icon_limits& limits);

class icon_store {
public:
  icon_store() = default;
  icon_store(const icon_store&) = delete;
  icon_store& operator=(const icon_store&) = delete;

  caf::expected<std::string> put(const std::string& owner, const std::string& icons_json,
                                 const icon_limits& limits);
  caf::expected<std::string> get(const std::string& owner);
  caf::error erase(const std::string& owner);
  void count_rejected();
  icon_stats stats() const;

private:
  struct entry {
    std::string owner;
    std::string json;
  };

  mutable std::mutex mtx_;
  std::list<entry> lru_; // most recently used first
  std::unordered_map<std::string, std::list<entry>::iterator> by_owner_;
  icon_stats stats_;
};

} // namespace cafmcp::services
