#include "options.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace loadgen {

namespace {

const char usage[] =
    "usage: loadgen --port P [--mode http|ws|tcp|get] [--host H] [--path /mcp]\n"
    "               [--sources 127.0.0.1,127.0.0.2] [--threads 1] [--label NAME]\n"
    "  throughput:  [--connections 64] [--duration 10] [--warmup 1] [--rep 1]\n"
    "               [--expect-body TEXT]   (get mode)\n"
    "  sessions:    --sessions N [--open-concurrency 256] [--idle 5] [--trickle RPS]\n"
    "               [--server-pid PID]\n"
    "Prints one JSON line per run on stdout.\n";

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in{s};
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty())
      out.push_back(item);
  return out;
}

bool to_number(const char* text, double& out) {
  char* end = nullptr;
  out = std::strtod(text, &end);
  return end != text && *end == '\0';
}

} // namespace

const char* to_string(mode m) {
  switch (m) {
  case mode::ws:
    return "ws";
  case mode::tcp:
    return "tcp";
  case mode::get:
    return "get";
  case mode::http:
    break;
  }
  return "http";
}

std::optional<options> parse_options(int argc, char** argv) {
  options o;
  auto fail = [](const std::string& why) -> std::optional<options> {
    std::fprintf(stderr, "loadgen: %s\n%s", why.c_str(), usage);
    return std::nullopt;
  };
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--help")
      return fail("help");
    if (i + 1 >= argc)
      return fail(flag + " needs a value");
    const char* value = argv[++i];
    double n = 0;
    bool numeric = to_number(value, n);
    auto number = [&](auto& field, double lo) {
      if (!numeric || n < lo)
        return false;
      field = static_cast<std::decay_t<decltype(field)>>(n);
      return true;
    };
    bool ok = true;
    if (flag == "--mode") {
      std::string m = value;
      if (m == "http")
        o.how = mode::http;
      else if (m == "ws")
        o.how = mode::ws;
      else if (m == "tcp")
        o.how = mode::tcp;
      else if (m == "get")
        o.how = mode::get;
      else
        ok = false;
    } else if (flag == "--host")
      o.host = value;
    else if (flag == "--port")
      ok = number(o.port, 1) && n <= 65535;
    else if (flag == "--path")
      o.path = value;
    else if (flag == "--sources")
      o.sources = split_commas(value);
    else if (flag == "--label")
      o.label = value;
    else if (flag == "--threads")
      ok = number(o.threads, 1);
    else if (flag == "--connections")
      ok = number(o.connections, 1);
    else if (flag == "--duration")
      ok = number(o.duration_s, 0.01);
    else if (flag == "--warmup")
      ok = number(o.warmup_s, 0);
    else if (flag == "--rep")
      ok = number(o.rep, 0);
    else if (flag == "--expect-body")
      o.expect_body = value;
    else if (flag == "--sessions")
      ok = number(o.sessions, 1);
    else if (flag == "--open-concurrency")
      ok = number(o.open_concurrency, 1);
    else if (flag == "--idle")
      ok = number(o.idle_s, 0);
    else if (flag == "--trickle")
      ok = number(o.trickle_rps, 0);
    else if (flag == "--server-pid")
      ok = number(o.server_pid, 1);
    else
      return fail("unknown flag " + flag);
    if (!ok)
      return fail("bad value for " + flag + ": " + value);
  }
  if (o.port == 0)
    return fail("--port is required");
  if (o.path.empty())
    o.path = o.how == mode::ws ? "/ws" : o.how == mode::get ? "/" : "/mcp";
  return o;
}

} // namespace loadgen
