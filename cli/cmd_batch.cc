// apkwarden batch INPUTS... --store DB: scan a catalog of apps into a results database, each app
// in its own worker process under time and memory budgets, resumable after any interruption.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <vector>
#include <thread>

#include "analyzer/app/scan.h"
#include "analyzer/batch/app_record.h"
#include "analyzer/batch/result_store.h"
#include "analyzer/batch/scan_job.h"
#include "analyzer/batch/work_list.h"
#include "analyzer/batch/worker_pool.h"
#include "analyzer/report/json_writer.h"
#include "cli/batch_progress.h"
#include "cli/command.h"
#include "cli/output.h"
#include "dex/limits.h"

namespace apkwarden::cli {

namespace {

using namespace apkwarden::batch;

// Test hooks, for the isolation tests only: a worker whose app path contains the value of
// APKWARDEN_TEST_WORKER_SLEEP_ON sleeps an hour (so the time budget must stop it); one whose path
// contains APKWARDEN_TEST_WORKER_CRASH_ON crashes with SIGSEGV; one whose path contains
// APKWARDEN_TEST_WORKER_BLOAT_ON allocates (and touches) memory until its budget stops it.
bool path_matches_env(const std::string& path, const char* var) {
  const char* v = std::getenv(var);
  return v && *v && path.find(v) != std::string::npos;
}

void apply_test_hooks(const std::string& path) {
  if (path_matches_env(path, "APKWARDEN_TEST_WORKER_SLEEP_ON")) sleep(3600);
  if (path_matches_env(path, "APKWARDEN_TEST_WORKER_CRASH_ON")) raise(SIGSEGV);
  if (path_matches_env(path, "APKWARDEN_TEST_WORKER_BLOAT_ON")) {
    std::vector<std::unique_ptr<char[]>> hog;
    for (;;) {
      hog.emplace_back(new char[64 << 20]);
      std::memset(hog.back().get(), 1, 64 << 20);
    }
  }
}

bool parse_positive(const std::string& text, double& out) {
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end && *end == 0 && out > 0;
}

std::string json_line(const AppRecord& rec) {
  report::JsonWriter w(0);
  w.begin_object();
  w.field("sha256", rec.key.sha256).field("ruleset", rec.key.ruleset);
  for (const char* column : {"path", "status", "verdict", "package"}) {
    const Value v = rec.app_value(column);
    if (v) w.field(column, *v);
    else w.null_field(column);
  }
  for (const char* column : {"findings", "sdks", "flows", "duration_ms", "peak_rss_kb"}) {
    const Value v = rec.app_value(column);
    if (v) w.field(column, static_cast<int64_t>(std::stoll(*v)));
    else w.null_field(column);
  }
  auto errors = rec.rows.find("errors");
  if (errors != rec.rows.end() && !errors->second.empty()) {
    w.field("error_kind", errors->second[0][2].value_or(""));
    w.field("error", errors->second[0][3].value_or(""));
  }
  w.end_object();
  return w.take();
}

int run_batch(const ParsedArgs& args) {
  if (!args.value("store")) return print_error("batch", "--store DB is required"), kExitError;
  const std::string location = *args.value("store");
  WorkerBudget budget;
  budget.seconds = limits::kBatchDefaultAppSeconds;
  budget.memory_bytes = limits::kBatchDefaultWorkerMemory;
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  double number = 0;
  if (auto v = args.value("timeout")) {
    if (!parse_positive(*v, number)) return print_error("--timeout", "wants a positive number of seconds"), kExitError;
    budget.seconds = number;
  }
  if (auto v = args.value("memory")) {
    if (!parse_positive(*v, number) || number * (1 << 20) < static_cast<double>(limits::kBatchMinWorkerMemory))
      return print_error("--memory", "wants a number of MiB, at least 64"), kExitError;
    budget.memory_bytes = static_cast<uint64_t>(number * (1 << 20));
  }
  if (auto v = args.value("jobs")) {
    if (!parse_positive(*v, number) || number > 1024) return print_error("--jobs", "wants 1..1024"), kExitError;
    jobs = static_cast<unsigned>(number);
  }
  Shard shard;
  if (auto v = args.value("shard")) {
    auto s = parse_shard(*v);
    if (!s.ok()) return print_error("--shard", s.error().message), kExitError;
    shard = *s;
  }

  // Inputs: "-" reads paths from stdin; everything else is a file, directory or list file.
  std::vector<std::string> inputs;
  for (const std::string& p : args.positional) {
    if (p != "-") {
      inputs.push_back(p);
      continue;
    }
    std::string line;
    size_t lines = 0;
    while (std::getline(std::cin, line) && ++lines <= limits::kMaxBatchListLines)
      if (!line.empty() && line[0] != '#') inputs.push_back(line);
  }
  Diagnostics problems;
  const std::vector<std::string> paths = collect_inputs(inputs, &problems);
  std::vector<WorkItem> items = hash_inputs(paths, jobs, !args.flag("no-dedupe"), &problems);
  for (const Diagnostic& d : problems)
    if (d.code != "batch-input-duplicate") print_error(d.where, d.message);

  auto store = ResultStore::open(location);
  if (!store.ok()) return print_error(location, store.error().message), kExitError;
  const std::string ruleset = embedded_ruleset_version();
  auto done = (*store)->scanned(ruleset, /*ok_only=*/args.flag("retry-errors"));
  if (!done.ok()) return print_error(location, done.error().message), kExitError;

  std::vector<WorkItem> todo;
  size_t skipped = 0, other_shards = 0;
  for (WorkItem& item : items) {
    if (!in_shard(item.sha256, shard)) ++other_shards;
    else if (!args.flag("rescan") && done->count(item.sha256)) ++skipped;
    else todo.push_back(std::move(item));
  }
  const bool quiet = args.flag("quiet");
  if (!quiet)
    std::fprintf(stderr, "batch: %zu apps to scan (%zu already in the store%s), rule set %s, %u workers\n",
                 todo.size(), skipped,
                 shard.count > 1 ? (", " + std::to_string(other_shards) + " in other shards").c_str() : "",
                 ruleset.c_str(), jobs);

  const bool json = args.flag("json");
  BatchProgress progress(todo.size(), isatty(STDERR_FILENO) == 1 && !json, quiet);
  const std::string tool_version = APKWARDEN_VERSION;
  std::optional<Error> store_error;
  size_t failed = 0;
  preload_knowledge(ScanOptions{});  // workers (scan_job: default options) inherit it compiled
  run_isolated(
      todo.size(), jobs, budget,
      [&](size_t i) {
        apply_test_hooks(todo[i].path);
        return scan_job(todo[i], ruleset, tool_version);
      },
      [&](size_t i, WorkerOutcome outcome) {
        const WorkItem& item = todo[i];
        const AppKey key{item.sha256, ruleset};
        std::optional<AppRecord> record;
        if (outcome.kind == WorkerOutcome::Kind::kFinished) {
          auto decoded = decode_record(outcome.output);
          if (decoded.ok() && decoded->key == key) record = std::move(decoded.value());
          else record = record_from_error(key, item.path, item.size, "worker-failure", "malformed result from the worker");
        } else {
          record = record_from_error(key, item.path, item.size, outcome.kind_name(), outcome.describe(budget));
        }
        set_measurements(*record, outcome.duration_ms, outcome.peak_rss_kb);
        if (auto err = (*store)->save(*record)) {
          store_error = err;
          return false;
        }
        const bool app_failed = record->app_value("status") != Value("ok");
        failed += app_failed;
        if (json) {
          std::printf("%s\n", json_line(*record).c_str());
          std::fflush(stdout);
        }
        progress.app_done(app_failed);
        return true;
      },
      [&] { progress.tick(); });
  progress.finish();
  if (store_error) return print_error(location, store_error->message), kExitError;
  return kExitOk;
}

}  // namespace

Command batch_command() {
  return {{"batch",
           "INPUTS... --store DB",
           "Scan many apps into a results database, resumably. INPUTS are directories (searched\n"
           "recursively for .apk .apks .xapk .dex), app files, list files (one path per line) or '-'\n"
           "(paths on stdin). Each app runs in its own worker process under --timeout and --memory;\n"
           "an app that fails, hangs or crashes is stored as an error row and the batch goes on.\n"
           "Results are keyed by the app's SHA-256 and the rule-set version: apps already in the\n"
           "store are skipped, so rerunning an interrupted batch finishes the rest. DB is a SQLite\n"
           "file or postgresql://... Exit 0 when every app has a result, 2 when the store fails.",
           {{"store", 's', "DB", "results database: a SQLite file, or postgresql://user@host/db (required)", {}},
            {"jobs", 'j', "N", "worker processes at once (default: one per core)", {}},
            {"timeout", 0, "SECONDS", "wall-clock budget per app (default 600)", {}},
            {"memory", 0, "MIB", "address-space budget per worker process in MiB (default 4096)", {}},
            {"shard", 0, "K/N", "scan only shard K (0-based) of N, chosen by SHA-256", {}},
            {"rescan", 0, "", "scan apps again even when the store has their results", {}},
            {"retry-errors", 0, "", "scan again the apps whose stored result is an error", {}},
            {"no-dedupe", 0, "", "scan every path, even when its content was met under another path", {}},
            {"json", 0, "", "print one JSON line per finished app on stdout", {}},
            {"quiet", 'q', "", "no progress output", {}}},
           1,
           SIZE_MAX},
          run_batch};
}

}  // namespace apkwarden::cli
