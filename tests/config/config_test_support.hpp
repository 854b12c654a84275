// Helpers shared by the config tests: temporary files and error lookups.
#pragma once

#include "cafmcp/app/config/config_error.hpp"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

namespace cafmcp::app::test {

/// A file with the given text, removed when the object goes out of scope.
class temp_file {
public:
  explicit temp_file(std::string_view text) {
    static std::atomic<int> counter{0};
    path_ = (std::filesystem::temp_directory_path() /
             ("cafmcp-config-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) +
              ".json"))
                .string();
    std::ofstream out{path_, std::ios::binary};
    out << text;
  }
  ~temp_file() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;

  const std::string& path() const { return path_; }

private:
  std::string path_;
};

/// True when some error has exactly this key and a message containing `fragment`.
inline bool has_error(const std::vector<config_error>& errors, std::string_view key,
                      std::string_view fragment = {}) {
  for (const auto& e : errors)
    if (e.key == key && e.message.find(fragment) != std::string::npos)
      return true;
  return false;
}

} // namespace cafmcp::app::test
