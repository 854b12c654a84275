// Closed-loop throughput: every connection has exactly one request in flight.
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <utility> // before Boost.Asio awaitable.hpp (Boost 1.74 forgets it)
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <nlohmann/json.hpp>

#include "channels.hpp"
#include "mcp_messages.hpp"
#include "runs.hpp"
#include "stats.hpp"

namespace loadgen {

namespace net = boost::asio;
using clock_type = std::chrono::steady_clock;

namespace {

struct window {
  clock_type::time_point from;  // warmup ends
  clock_type::time_point until; // the run ends
};

struct connection_result {
  std::vector<std::uint32_t> latencies_us; // answered and checked, inside the window
  std::uint64_t bad_answers = 0;           // answered wrongly inside the window
  bool failed = false;                     // the connection broke (or never worked)
  std::string error;
};

net::awaitable<void> run_connection(net::io_context& io, const options& opt,
                                    net::ip::tcp::endpoint server, int index, window w,
                                    connection_result& r) {
  auto ch = make_channel(io, opt);
  std::string source = opt.sources.empty() ? "" : opt.sources[index % opt.sources.size()];
  try {
    co_await ch->connect(server, source);
    if (opt.how != mode::get) {
      auto body = co_await ch->request(initialize_request(0));
      if (auto why = check_initialize(body, ch->version); !why.empty())
        throw channel_error(why);
      co_await ch->notify(initialized_notification());
    }
    std::uint64_t seq = 0;
    std::string prefix = "c" + std::to_string(index) + "-";
    std::string text;
    std::string message;
    while (clock_type::now() < w.until) {
      ++seq;
      if (opt.how != mode::get) {
        text = prefix + std::to_string(seq);
        message = echo_request(seq, text);
      }
      auto t0 = clock_type::now();
      auto body = co_await ch->request(message);
      auto t1 = clock_type::now();
      bool ok = opt.how == mode::get ? (opt.expect_body.empty() || body == opt.expect_body)
                                     : is_echo_result(body, seq, text);
      if (t0 < w.from || t1 > w.until)
        continue;
      if (ok)
        r.latencies_us.push_back(static_cast<std::uint32_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(t1 - t0).count()));
      else if (++r.bad_answers == 1)
        r.error = "bad answer: " + body.substr(0, 200);
    }
  } catch (const std::exception& e) {
    r.failed = true;
    r.error = e.what();
  }
}

} // namespace

std::string run_throughput(const options& opt) {
  net::io_context io{opt.threads};
  net::ip::tcp::endpoint server{net::ip::make_address(opt.host), opt.port};
  std::vector<connection_result> results(static_cast<size_t>(opt.connections));
  auto start = clock_type::now();
  window w;
  w.from = start + std::chrono::duration_cast<clock_type::duration>(
                       std::chrono::duration<double>(opt.warmup_s));
  w.until = w.from + std::chrono::duration_cast<clock_type::duration>(
                         std::chrono::duration<double>(opt.duration_s));
  for (int i = 0; i < opt.connections; ++i)
    net::co_spawn(io, run_connection(io, opt, server, i, w, results[static_cast<size_t>(i)]),
                  net::detached);
  std::vector<std::thread> threads;
  for (int i = 1; i < opt.threads; ++i)
    threads.emplace_back([&] { io.run(); });
  io.run();
  for (auto& t : threads)
    t.join();

  std::vector<std::uint32_t> all;
  std::uint64_t bad = 0;
  int failed = 0;
  std::string first_error;
  for (auto& r : results) {
    all.insert(all.end(), r.latencies_us.begin(), r.latencies_us.end());
    bad += r.bad_answers;
    failed += r.failed ? 1 : 0;
    if (first_error.empty())
      first_error = r.error;
  }
  std::sort(all.begin(), all.end());
  nlohmann::json line{{"bench", "throughput"},
                      {"target", opt.label},
                      {"mode", to_string(opt.how)},
                      {"rep", opt.rep},
                      {"connections", opt.connections},
                      {"duration_s", opt.duration_s},
                      {"loadgen_threads", opt.threads},
                      {"requests", all.size()},
                      {"rps", static_cast<double>(all.size()) / opt.duration_s},
                      {"p50_us", percentile(all, 0.50)},
                      {"p90_us", percentile(all, 0.90)},
                      {"p99_us", percentile(all, 0.99)},
                      {"max_us", all.empty() ? 0 : all.back()},
                      {"errors", bad + static_cast<std::uint64_t>(failed)},
                      {"bad_answers", bad},
                      {"failed_connections", failed}};
  if (!first_error.empty())
    line["first_error"] = first_error;
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace loadgen
