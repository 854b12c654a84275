// Writes the Prometheus text exposition format (0.0.4) family by family: a family's HELP and
// TYPE lines once, then its samples, so that sources rendered one after the other (the metrics
// service's series, the live table, figures read at scrape time) make one valid document.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cafmcp/actors/services/metric_messages.hpp"
#include "cafmcp/actors/services/metrics_snapshot.hpp"

namespace cafmcp::services {

class metrics_exposition {
public:
  // Starts a family (type: counter, gauge, histogram). False, and the samples that follow are
  // dropped, when the family was written already: a name must appear once in a document.
  bool family(const std::string& name, std::string_view type, std::string_view help);
  // A sample of the current family; `suffix` is "_bucket", "_sum", "_count" or empty.
  void sample(std::string_view suffix, const metric_labels& labels, double value,
              std::string_view extra_label = {});
  // A whole histogram series of the current family; `buckets` are not cumulative (+Inf last).
  void histogram(const metric_labels& labels, const std::vector<double>& bounds,
                 const std::vector<std::uint64_t>& buckets, double sum, std::uint64_t count);

  // Every family of a metrics-service snapshot, with help texts from `help` (by name).
  void snapshot(const metrics_snapshot& s,
                const std::function<std::string(const std::string&)>& help);

  const std::string& text() const noexcept { return text_; }
  static std::string number(double v);
  // A label set in exposition syntax ({k="v",...}, values escaped), `extra`
  // (already rendered, e.g. le="0.5") last; empty for no labels at all.
  static std::string labels(const metric_labels& labels, std::string_view extra = {});

private:
  std::string text_;
  std::string current_;
  bool dropping_ = false;
  std::set<std::string, std::less<>> seen_;
};

} // namespace cafmcp::services
