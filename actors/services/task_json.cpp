#include "cafmcp/actors/services/task_json.hpp"

#include "cafmcp/actors/services/service_clock.hpp"

namespace cafmcp::services {

nlohmann::json task_to_json(const task_record& rec) {
  nlohmann::json j{
      {"taskId", rec.task_id},
      {"status", to_string(rec.status)},
      {"createdAt", iso8601_utc(rec.created_ms)},
      {"lastUpdatedAt", iso8601_utc(rec.last_updated_ms)},
      {"ttl", rec.ttl_ms},
  };
  if (!rec.status_message.empty())
    j["statusMessage"] = rec.status_message;
  if (rec.poll_interval_ms > 0)
    j["pollInterval"] = rec.poll_interval_ms;
  return j;
}

} // namespace cafmcp::services
