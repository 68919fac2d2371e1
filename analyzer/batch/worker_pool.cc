#include "analyzer/batch/worker_pool.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <new>
#include <vector>

#include "dex/limits.h"

namespace apkwarden::batch {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kExitOutOfMemory = 3;
constexpr int kExitException = 4;
constexpr int kExitWriteFailed = 5;
constexpr int kTickMs = 200;

bool write_all(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

[[noreturn]] void child_main(int fd, pid_t parent, const WorkerBudget& budget,
                             const std::function<std::string(size_t)>& job, size_t index) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(kExitException);  // the parent died before prctl
  signal(SIGPIPE, SIG_DFL);
  const rlimit no_core{0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
#if !defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer reserves terabytes of shadow address space; a limit would stop it at once.
  if (budget.memory_bytes) {
    const rlimit as{budget.memory_bytes, budget.memory_bytes};
    setrlimit(RLIMIT_AS, &as);
  }
#else
  (void)budget;  // the parent's resident-set watch is the memory budget here
#endif
  int code = 0;
  try {
    const std::string out = job(index);
    if (!write_all(fd, out)) code = kExitWriteFailed;
  } catch (const std::bad_alloc&) {
    code = kExitOutOfMemory;
  } catch (...) {
    code = kExitException;
  }
  _exit(code);
}

struct Running {
  size_t index;
  pid_t pid;
  int fd;  // -1 once the pipe reached EOF
  Clock::time_point start;
  bool killed_for_time = false;
  bool killed_for_memory = false;
  bool output_too_large = false;
  std::string output;
};

WorkerOutcome outcome_of(Running& r, int status, const rusage& usage) {
  WorkerOutcome o;
  o.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - r.start).count();
  o.peak_rss_kb = usage.ru_maxrss;
  if (r.killed_for_time) {
    o.kind = WorkerOutcome::Kind::kTimeout;
  } else if (r.killed_for_memory) {
    o.kind = WorkerOutcome::Kind::kMemoryLimit;
  } else if (WIFSIGNALED(status)) {
    o.kind = WorkerOutcome::Kind::kCrash;
    o.signal = WTERMSIG(status);
  } else if (WIFEXITED(status) && WEXITSTATUS(status) == kExitOutOfMemory) {
    o.kind = WorkerOutcome::Kind::kMemoryLimit;
    o.exit_code = kExitOutOfMemory;
  } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && !r.output_too_large) {
    o.kind = WorkerOutcome::Kind::kFinished;
    o.output = std::move(r.output);
  } else {
    o.kind = WorkerOutcome::Kind::kFailed;
    o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  return o;
}

// The worker's resident set in bytes, from /proc/PID/statm (0 when it cannot be read).
uint64_t resident_bytes(pid_t pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/statm", static_cast<int>(pid));
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char text[128];
  const ssize_t n = read(fd, text, sizeof text - 1);
  close(fd);
  if (n <= 0) return 0;
  text[n] = 0;
  unsigned long long size_pages = 0, resident_pages = 0;
  if (std::sscanf(text, "%llu %llu", &size_pages, &resident_pages) != 2) return 0;
  return resident_pages * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

void stop_all(std::vector<Running>& running) {
  for (Running& r : running) {
    kill(r.pid, SIGKILL);
    if (r.fd >= 0) close(r.fd);
    waitpid(r.pid, nullptr, 0);
  }
  running.clear();
}

}  // namespace

const char* WorkerOutcome::kind_name() const {
  switch (kind) {
    case Kind::kFinished: return "finished";
    case Kind::kTimeout: return "timeout";
    case Kind::kMemoryLimit: return "memory-limit";
    case Kind::kCrash: return "crash";
    case Kind::kFailed: return "worker-failure";
  }
  return "worker-failure";
}

std::string WorkerOutcome::describe(const WorkerBudget& budget) const {
  switch (kind) {
    case Kind::kFinished: return "finished";
    case Kind::kTimeout: return "analysis exceeded its time budget of " + std::to_string(static_cast<long>(budget.seconds)) +
                                " s and was stopped";
    case Kind::kMemoryLimit: return "analysis exceeded its memory budget of " +
                                    std::to_string(budget.memory_bytes >> 20) + " MiB";
    case Kind::kCrash: return std::string("analysis crashed (") + (strsignal(signal) ? strsignal(signal) : "signal") +
                              ", signal " + std::to_string(signal) + ")";
    case Kind::kFailed: return "worker process failed (exit code " + std::to_string(exit_code) + ")";
  }
  return "";
}

void run_isolated(size_t count, unsigned parallel, const WorkerBudget& budget,
                  const std::function<std::string(size_t)>& job,
                  const std::function<bool(size_t, WorkerOutcome)>& on_done, const std::function<void()>& on_tick) {
  parallel = std::max(1u, parallel);
  const pid_t self = getpid();
  const auto budget_time = std::chrono::milliseconds(static_cast<int64_t>(budget.seconds * 1000));
  std::vector<Running> running;
  size_t next = 0;
  auto last_tick = Clock::now();
  auto last_memory_check = last_tick;
  std::vector<char> buf(1 << 16);

  while (next < count || !running.empty()) {
    while (running.size() < parallel && next < count) {
      int fds[2];
      if (pipe2(fds, O_CLOEXEC) != 0) break;  // out of descriptors: run fewer at once
      std::fflush(nullptr);
      const pid_t pid = fork();
      if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        break;
      }
      if (pid == 0) {
        close(fds[0]);
        for (const Running& r : running)
          if (r.fd >= 0) close(r.fd);
        child_main(fds[1], self, budget, job, next);
      }
      close(fds[1]);
      running.push_back({next++, pid, fds[0], Clock::now(), false, false, false, {}});
    }
    if (running.empty()) {  // could not start any worker: report the rest as failures
      for (; next < count; ++next)
        if (!on_done(next, WorkerOutcome{})) break;
      break;
    }

    // Wait for output or the next deadline.
    std::vector<pollfd> polls;
    auto now = Clock::now();
    int64_t wait_ms = kTickMs;
    for (const Running& r : running) {
      if (r.fd >= 0) polls.push_back({r.fd, POLLIN, 0});
      if (!r.killed_for_time) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(r.start + budget_time - now).count();
        wait_ms = std::max<int64_t>(0, std::min(wait_ms, left));
      }
    }
    if (polls.empty()) wait_ms = std::min<int64_t>(wait_ms, 5);  // only waiting to reap
    const int ready = poll(polls.data(), polls.size(), static_cast<int>(wait_ms));
    if (ready < 0 && errno != EINTR) wait_ms = 0;

    for (Running& r : running) {
      if (r.fd < 0) continue;
      auto p = std::find_if(polls.begin(), polls.end(), [&](const pollfd& x) { return x.fd == r.fd; });
      if (p == polls.end() || !(p->revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = read(r.fd, buf.data(), buf.size());
      if (n > 0) {
        if (r.output.size() + static_cast<size_t>(n) > limits::kMaxBatchWorkerOutput) {
          r.output_too_large = true;
          r.output.clear();
          kill(r.pid, SIGKILL);
        } else if (!r.output_too_large) {
          r.output.append(buf.data(), static_cast<size_t>(n));
        }
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        close(r.fd);
        r.fd = -1;
      }
    }

    now = Clock::now();
    const bool check_memory = budget.memory_bytes && now - last_memory_check >= std::chrono::milliseconds(kTickMs);
    if (check_memory) last_memory_check = now;
    for (Running& r : running) {
      if (r.killed_for_time || r.killed_for_memory) continue;
      if (now - r.start >= budget_time) {
        kill(r.pid, SIGKILL);
        r.killed_for_time = true;
      } else if (check_memory && resident_bytes(r.pid) > budget.memory_bytes) {
        kill(r.pid, SIGKILL);
        r.killed_for_memory = true;
      }
    }

    // Reap workers whose pipe is closed (they have exited or are exiting).
    for (size_t i = 0; i < running.size();) {
      Running& r = running[i];
      int status = 0;
      rusage usage{};
      if (r.fd < 0 && wait4(r.pid, &status, WNOHANG, &usage) == r.pid) {
        Running done = std::move(r);
        running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
        const size_t index = done.index;
        if (!on_done(index, outcome_of(done, status, usage))) {
          stop_all(running);
          return;
        }
        continue;
      }
      ++i;
    }
    if (Clock::now() - last_tick >= std::chrono::milliseconds(kTickMs)) {
      last_tick = Clock::now();
      if (on_tick) on_tick();
    }
  }
}

}  // namespace apkwarden::batch
