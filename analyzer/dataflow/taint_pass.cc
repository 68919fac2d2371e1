#include "analyzer/dataflow/taint_pass.h"

#include <algorithm>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "analyzer/callgraph/app_methods.h"
#include "analyzer/callgraph/call_graph.h"
#include "analyzer/dataflow/consent_gate.h"
#include "analyzer/dataflow/flow_findings.h"
#include "analyzer/dataflow/native_models.h"
#include "analyzer/dataflow/taint_rules.h"
#include "analyzer/dataflow/taint_world.h"
#include "analyzer/entrypoints/entry_points.h"
#include "analyzer/native/native_knowledge.h"
#include "analyzer/rules/rules_pass.h"
#include "dex/code_item.h"
#include "dex/debug_info.h"
#include "signatures/sdk_catalog.h"

namespace apkwarden::dataflow {

namespace {

// CPU time of the calling thread: the budget measures the analysis' own work, so a loaded machine
// (or a batch sharing the cores) gives the same result as an idle one.
std::chrono::milliseconds thread_cpu_time() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return std::chrono::milliseconds(static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000);
}

// Rules are compiled once per sources/sinks file and shared by every scan (batch workers too).
const TaintRules* rules_for(const std::string& file, Diagnostics* diags) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<Result<TaintRules>>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto& slot = cache[file];
  if (!slot) slot = std::make_unique<Result<TaintRules>>(TaintRules::load(file));
  if (!slot->ok()) {
    diags->push_back({"taint-rules-invalid", slot->error().message, file.empty() ? "signatures/taint" : file});
    return nullptr;
  }
  return &slot->value();
}

// The scan's SDK set (with a user's Exodus import), else the builtin one shared with the
// signature pass.
std::shared_ptr<const signatures::SdkCatalog> catalog(const ScanOptions& options) {
  if (options.sdk_catalog) return options.sdk_catalog;
  auto builtin = rules::builtin_sdk_catalog();
  return builtin.ok() ? builtin.value() : nullptr;
}


std::string site_api(const TaintWorld& w, const CallSite& s, bool is_source) {
  // A native method modelled from its code: the API its code calls.
  const std::string& via = is_source ? w.rules.source(s.spec).via : w.rules.sink(s.spec).via;
  if (!via.empty()) return via;
  if (s.ref.valid() && !(is_source && w.rules.source(s.spec).kind == signatures::SourceSpec::Kind::kCallback))
    return callgraph::method_full_java(w.pool.dex(s.ref_dex), s.ref);
  if (is_source) {
    const auto& spec = w.rules.source(s.spec);
    return spec.class_name + "." + spec.member + (spec.kind == signatures::SourceSpec::Kind::kField ? "" : "()");
  }
  const auto& spec = w.rules.sink(s.spec);
  return spec.class_name + "." + spec.method + "()";
}

std::string host_of(const std::string& url) {
  size_t start = url.find("://");
  if (start == std::string::npos) return url;
  start += 3;
  size_t end = url.find_first_of("/:?#", start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace

report::Location code_location(const TaintWorld& w, uint32_t method, uint32_t pc) {
  const auto& am = w.methods[method];
  const dex::DexFile& dex = w.pool.dex(am.dex);
  report::Location l;
  l.kind = report::Location::Kind::kCode;
  l.dex = dex.location();
  if (auto slash = l.dex.rfind('!'); slash != std::string::npos) l.dex = l.dex.substr(slash + 1);
  l.class_name = callgraph::method_class_java(dex, am.method);
  l.method = callgraph::method_signature_java(dex, am.method);
  l.pc = pc;
  if (auto code = dex::CodeItem::at(dex, am.code_off); code.ok() && code->debug_info_off()) {
    if (auto dbg = dex::decode_debug_info(dex, code->debug_info_off(), code->insns_size()); dbg.ok()) {
      if (uint32_t line = dbg->line_at(pc)) l.line = line;
    }
  }
  return l;
}

void preload_taint_rules(const std::string& sources_sinks_file) {
  Diagnostics ignored;  // a broken file is reported by the scan that uses it
  (void)rules_for(sources_sinks_file, &ignored);
}

TaintStats run_taint_pass(AnalysisContext& context) {
  TaintStats stats;
  report::Report& r = context.report;
  if (context.code.dex_files.empty()) return stats;
  if (!context.options.dataflow) return stats;
  const TaintRules* rules = rules_for(context.options.sources_sinks_file, &r.diagnostics);
  if (!rules) return stats;
  const auto start = thread_cpu_time();
  const auto wall_start = std::chrono::steady_clock::now();
  const auto budget = std::chrono::milliseconds(
      context.options.taint_time_budget_ms ? context.options.taint_time_budget_ms : limits::kDefaultTaintTimeBudgetMs);
  const uint64_t memory_budget = context.options.taint_memory_budget_bytes ? context.options.taint_memory_budget_bytes
                                                                            : limits::kDefaultTaintMemoryBudgetBytes;

  Diagnostics pool_diags;  // the dex pass reports hierarchy problems; not repeated here
  const dex::ClassPool pool = dex::ClassPool::build(context.code.dex_files, &pool_diags);
  const callgraph::AppMethods methods = callgraph::AppMethods::build(pool);
  stats.app_methods = methods.size();
  callgraph::Dispatch dispatch(pool, methods);
  callgraph::add_instantiated_classes(pool, methods, dispatch);
  const entrypoints::EntryPoints entries =
      entrypoints::find_entry_points(r.manifest, r.has_manifest, pool, methods);
  for (uint32_t node : entries.component_nodes) dispatch.add_instantiated(node);
  const callgraph::Reachability reach = callgraph::compute_reachability(pool, methods, dispatch, entries.methods);

  // Native methods modelled from their implementation (the native pass ran before): this app's
  // rules are the shared ones plus those.
  std::optional<TaintRules> app_rules;
  {
    std::vector<const native::NativeLibFacts*> libs;
    for (const auto& lib : r.native_libs)
      if (lib.facts) libs.push_back(&*lib.facts);
    if (!libs.empty())
      if (NativeModels models = native_models(libs, *rules, pool); !models.empty())
        rules = &app_rules.emplace(with_native_models(*rules, std::move(models)));
  }

  TaintWorld world(pool, methods, *rules, dispatch, &context.file);
  for (uint32_t m : reach.order) world.analysable[m] = 1;
  world.entry = reach.is_entry;
  for (const auto& lib : r.native_libs)
    if (lib.facts)
      if (auto evidence = native::rewrites_app_code(*lib.facts)) {
        world.code_rewritten = true;
        r.diagnostics.push_back({"taint-code-rewritten",
                                 "native code rewrites the app's compiled code in memory (" + *evidence +
                                     "): a call to an app method is taken to possibly run any method of its class "
                                     "with the same signature",
                                 lib.path});
      }
  for (const auto& c : r.manifest.components) {
    for (const auto& filter : c.intent_filters)
      for (const auto& a : filter.actions) world.add_own_action(a);
    if (c.kind != apk::ComponentKind::kProvider) continue;
    std::string_view all = c.authorities;
    while (!all.empty()) {
      const size_t semi = all.find(';');
      if (std::string_view a = all.substr(0, semi); !a.empty()) world.own_authorities.emplace_back(a);
      all = semi == std::string_view::npos ? std::string_view{} : all.substr(semi + 1);
    }
  }
  stats.reachable = reach.order.size();
  // Static initialisers first: the constants they store (a provider's CONTENT_URI) are known
  // before the code that reads them decides where its data goes.
  for (uint32_t m : reach.order)
    if (pool.dex(methods[m].dex).method_name(methods[m].method) == "<clinit>") world.enqueue(m);
  for (uint32_t m : reach.order) world.enqueue(m);
  std::vector<uint32_t> analyses(methods.size(), 0);
  while (!world.queue.empty()) {
    if ((stats.analyses & 63) == 0 && thread_cpu_time() - start > budget) {
      stats.partial = true;
      r.diagnostics.push_back({"taint-partial",
                               "the taint analysis reached its time budget (" + std::to_string(budget.count()) +
                                   " ms); the flows reported are those found so far",
                               "dataflow"});
      break;
    }
    if ((stats.analyses & 4095) == 0 && world.approx_bytes() > memory_budget) {
      stats.partial = true;
      r.diagnostics.push_back({"taint-partial",
                               "the taint analysis reached its memory budget (" + std::to_string(memory_budget >> 20) +
                                   " MiB of analysis state); the flows reported are those found so far",
                               "dataflow"});
      break;
    }
    const uint32_t m = world.queue.front();
    world.queue.pop_front();
    world.queued[m] = 0;
    if (++analyses[m] > limits::kMaxMethodAnalysesPerReachable) {
      if (!stats.partial) {
        stats.partial = true;
        r.diagnostics.push_back({"taint-partial",
                                 "a method's summary did not settle within " +
                                     std::to_string(limits::kMaxMethodAnalysesPerReachable) +
                                     " analyses; the flows reported may be incomplete",
                                 callgraph::method_full_java(pool.dex(methods[m].dex), methods[m].method)});
      }
      continue;
    }
    ++stats.analyses;
    if (analyze_method(world, m)) {
      for (uint32_t c : reach.callers[m]) world.enqueue(c);
      for (uint32_t c : world.summary_readers(m)) world.enqueue(c);
    }
  }

  const std::shared_ptr<const signatures::SdkCatalog> sdks = catalog(context.options);
  for (const auto& [key, path] : world.flows) {
    const CallSite& src = world.sources[key.first];
    const CallSite& snk = world.sinks[key.second];
    if (snk.action && world.own_actions.count(snk.action)) continue;  // delivered inside the app
    const auto& sspec = rules->source(src.spec);
    const auto& kspec = rules->sink(snk.spec);
    report::Flow f;
    f.source.api = site_api(world, src, true);
    f.source.kind = sspec.data;
    f.source.permission = sspec.permission;
    f.source.location = code_location(world, src.method, src.pc);
    f.sink.api = site_api(world, snk, false);
    f.sink.kind = kspec.kind;
    f.sink.location = code_location(world, snk.method, snk.pc);
    f.sink.url_or_host = snk.url;
    for (uint32_t m : path.methods) f.path.push_back(callgraph::method_full_java(pool.dex(methods[m].dex), methods[m].method));
    if (sdks)
      if (const auto* sdk = sdks->match_class(pool.node(methods[src.method].node).descriptor)) f.sdk = sdk->id;
    r.flows.push_back(std::move(f));
  }
  (void)host_of;
  for (auto& f : flow_findings(r.flows)) r.findings.push_back(std::move(f));
  if (r.has_manifest)
    for (auto& f : consent_gate_findings(r.manifest, world, sdks.get())) r.findings.push_back(std::move(f));
  if (getenv("APKWARDEN_TAINT_DEBUG"))
    fprintf(stderr, "taint: %zu methods, %zu reachable, %zu analyses, %zu sources, %zu sinks, %zu flows, %lld ms\n",
            stats.app_methods, stats.reachable, stats.analyses, world.sources.size(), world.sinks.size(),
            world.flows.size(),
            (long long)std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - wall_start).count());
  stats.flows = r.flows.size();
  return stats;
}

}  // namespace apkwarden::dataflow
