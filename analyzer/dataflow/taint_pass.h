// The taint pass of a scan: builds the class pool, the call graph from the manifest's entry
// points, runs method summaries to a fixpoint over the reachable methods (callees first,
// re-analysing callers when a summary grows and readers when a field or store gains labels),
// and writes one report::Flow per (source call site, sink call site).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "analyzer/app/analysis_context.h"

namespace apkwarden::dataflow {

struct TaintBudget {
  std::chrono::milliseconds time{0};  // 0: limits::kDefaultTaintTimeBudgetMs
};

struct TaintStats {
  size_t app_methods = 0, reachable = 0, analyses = 0, flows = 0;
  bool partial = false;
};

TaintStats run_taint_pass(AnalysisContext& context);

// Compiles the sources/sinks (built-in plus `sources_sinks_file`) now, for processes that fork
// workers after it (batch): the children share the compiled rules instead of each building them.
void preload_taint_rules(const std::string& sources_sinks_file);

}  // namespace apkwarden::dataflow
