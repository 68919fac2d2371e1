// Process isolation for the batch: each job runs in its own forked worker process under a
// wall-clock budget (the parent kills it with SIGKILL when it runs over) and a memory budget:
// an address-space limit (RLIMIT_AS, set in the child; not in sanitizer builds, whose shadow
// memory needs terabytes of address space) and the parent's watch on its resident set, read from
// /proc every 200 ms, which kills a worker whose RSS passes the budget. A worker that crashes, runs out of memory or time
// becomes an outcome, never a failure of the batch. The parent stays single-threaded while
// workers run, so fork() is safe, and a worker dies with the parent (PR_SET_PDEATHSIG).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace apkwarden::batch {

struct WorkerBudget {
  double seconds = 600;
  uint64_t memory_bytes = 4ull << 30;  // 0: no limit
};

struct WorkerOutcome {
  enum class Kind {
    kFinished,     // exited normally; `output` holds what the job returned
    kTimeout,      // killed after budget.seconds
    kMemoryLimit,  // ran out of its address-space budget, or its resident set passed it
    kCrash,        // killed by a signal (SIGSEGV, SIGABRT, …)
    kFailed,       // exited with an error (an exception, a write error, output too large)
  };
  Kind kind = Kind::kFailed;
  std::string output;
  int signal = 0;
  int exit_code = 0;
  int64_t duration_ms = 0;
  int64_t peak_rss_kb = 0;  // the worker's maximum resident set (getrusage)

  const char* kind_name() const;  // timeout, memory-limit, crash, worker-failure, finished
  std::string describe(const WorkerBudget& budget) const;
};

// Runs job(i) for every i in [0, count) in a fresh worker process, at most `parallel` at once,
// and calls on_done(i, outcome) in the parent as each one ends (in completion order); when it
// returns false, the workers still running are killed and run_isolated returns. on_tick is called
// about every 200 ms (progress display). `job` runs in the child only.
void run_isolated(size_t count, unsigned parallel, const WorkerBudget& budget,
                  const std::function<std::string(size_t)>& job,
                  const std::function<bool(size_t, WorkerOutcome)>& on_done, const std::function<void()>& on_tick);

}  // namespace apkwarden::batch
