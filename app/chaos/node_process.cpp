#include <caf/sec.hpp>

#include "cafmcp/app/chaos/node_process.hpp"

#include <csignal>
#include <cstring>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace cafmcp::app {

node_process::node_process(std::vector<std::string> argv) : argv_(std::move(argv)) {}

node_process::~node_process() {
  stop(SIGTERM, std::chrono::seconds{5});
}

caf::error node_process::spawn() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    return caf::make_error(caf::sec::runtime_error, std::string{"pipe: "} + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
  std::vector<char*> args;
  for (auto& a : argv_)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int pid = -1;
  auto rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return caf::make_error(caf::sec::runtime_error,
                           "cannot start " + argv_[0] + ": " + std::strerror(rc));
  }
  {
    std::lock_guard<std::mutex> guard{mtx_};
    pid_ = pid;
    stdout_fd_ = fds[0];
    started_at_ = clock::now();
    ready_at_.reset();
    lines_.clear();
  }
  // One reader per incarnation: it ends at EOF, when the process is gone.
  reader_ = std::thread{[this, fd = fds[0]] {
    std::string pending;
    char buf[4096];
    for (;;) {
      auto n = read(fd, buf, sizeof(buf));
      if (n <= 0)
        break;
      pending.append(buf, static_cast<size_t>(n));
      for (auto nl = pending.find('\n'); nl != std::string::npos; nl = pending.find('\n')) {
        auto line = pending.substr(0, nl);
        pending.erase(0, nl + 1);
        std::lock_guard<std::mutex> guard{mtx_};
        if (line == "cafmcp: ready" && !ready_at_)
          ready_at_ = clock::now();
        lines_.push_back(std::move(line));
        cv_.notify_all();
      }
    }
    close(fd);
  }};
  return caf::none;
}

caf::error node_process::start(std::chrono::milliseconds limit) {
  auto began = clock::now();
  if (auto err = spawn())
    return err;
  if (!await_ready(began, began + limit)) {
    std::string said;
    for (auto& l : lines())
      said += "\n  " + l;
    return caf::make_error(caf::sec::runtime_error,
                           argv_[0] + " did not print 'cafmcp: ready' in time; it said:" + said);
  }
  return caf::none;
}

void node_process::stop(int signal, std::chrono::milliseconds grace) {
  int pid;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    pid = pid_;
    pid_ = -1;
  }
  if (pid > 0) {
    kill(pid, signal);
    int status = 0;
    if (signal == SIGKILL) {
      waitpid(pid, &status, 0); // a SIGKILL always ends it, at once
      if (reader_.joinable())
        reader_.join();
      return;
    }
    auto deadline = clock::now() + grace;
    while (waitpid(pid, &status, WNOHANG) == 0) {
      if (clock::now() > deadline) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds{10});
    }
  }
  if (reader_.joinable())
    reader_.join();
}

caf::error node_process::kill_and_restart() {
  stop(SIGKILL, std::chrono::seconds{5});
  return spawn();
}

std::optional<node_process::clock::time_point>
node_process::await_ready(clock::time_point since, clock::time_point deadline) {
  std::unique_lock<std::mutex> guard{mtx_};
  cv_.wait_until(guard, deadline, [&] { return ready_at_ && started_at_ >= since; });
  if (ready_at_ && started_at_ >= since)
    return ready_at_;
  return std::nullopt;
}

std::vector<std::string> node_process::lines() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return lines_;
}

} // namespace cafmcp::app
