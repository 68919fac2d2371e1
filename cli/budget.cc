#include "cli/budget.h"

#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <thread>

#include "cli/output.h"
#include "dex/limits.h"

#if defined(__SANITIZE_ADDRESS__)
#define APKWARDEN_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define APKWARDEN_ASAN 1
#endif
#endif

namespace apkwarden::cli {

namespace {

std::atomic<uint64_t> g_memory_mib{0};

std::optional<uint64_t> parse_number(const std::string& text) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

}  // namespace

std::vector<OptionSpec> budget_options() {
  return {{"timeout", 0, "SECONDS",
           "stop with exit 2 when the app takes longer (default " +
               std::to_string(limits::kDefaultAppTimeoutSeconds) + "; 0: no limit)",
           {}},
          {"max-memory", 0, "MIB",
           "stop with exit 2 when the app needs more memory (default " +
               std::to_string(limits::kDefaultAppMemoryMiB) + "; 0: no limit)",
           {}}};
}

std::optional<std::string> parse_budget(const ParsedArgs& args, Budget* out) {
  Budget b{limits::kDefaultAppTimeoutSeconds, limits::kDefaultAppMemoryMiB};
  if (auto t = args.value("timeout")) {
    auto v = parse_number(*t);
    if (!v || *v > 7 * 24 * 3600) return "--timeout wants whole seconds (0 for none), not '" + *t + "'";
    b.timeout_seconds = static_cast<unsigned>(*v);
  }
  if (auto m = args.value("max-memory")) {
    auto v = parse_number(*m);
    if (!v || *v > (1ull << 30)) return "--max-memory wants MiB (0 for none), not '" + *m + "'";
    b.memory_mib = *v;
  }
  *out = b;
  return std::nullopt;
}

void enforce_budget(const Budget& budget, const std::string& what) {
#ifndef APKWARDEN_ASAN
  if (budget.memory_mib > 0) {
    const rlim_t bytes = static_cast<rlim_t>(budget.memory_mib) << 20;
    rlimit current{};
    if (getrlimit(RLIMIT_AS, &current) == 0 && (current.rlim_cur == RLIM_INFINITY || current.rlim_cur > bytes)) {
      rlimit wanted{bytes, current.rlim_max};
      if (current.rlim_max != RLIM_INFINITY && current.rlim_max < bytes) wanted.rlim_cur = current.rlim_max;
      if (setrlimit(RLIMIT_AS, &wanted) == 0) g_memory_mib = budget.memory_mib;
    }
  }
#endif
  if (budget.timeout_seconds > 0) {
    const unsigned seconds = budget.timeout_seconds;
    std::thread([seconds, what] {
      std::this_thread::sleep_for(std::chrono::seconds(seconds));
      print_error(what, "analysis exceeded its time budget of " + std::to_string(seconds) +
                            " s (--timeout); no report");
      std::fflush(stderr);
      _exit(2);
    }).detach();
  }
}

uint64_t memory_budget_mib() { return g_memory_mib; }

}  // namespace apkwarden::cli
