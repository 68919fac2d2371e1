#include "analyzer/dataflow/taint_pass.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "analyzer/callgraph/app_methods.h"
#include "analyzer/callgraph/call_graph.h"
#include "analyzer/dataflow/taint_rules.h"
#include "analyzer/dataflow/taint_world.h"
#include "analyzer/entrypoints/entry_points.h"
#include "dex/code_item.h"
#include "dex/debug_info.h"
#include "signatures/sdk_catalog.h"

namespace apkwarden::dataflow {

namespace {

const TaintRules* builtin_rules(Diagnostics* diags) {
  static const Result<TaintRules> rules = TaintRules::load();
  if (!rules.ok()) {
    diags->push_back({"taint-rules-invalid", rules.error().message, "signatures/taint"});
    return nullptr;
  }
  return &rules.value();
}

const signatures::SdkCatalog* catalog() {
  static const auto c = signatures::load_sdk_catalog();
  return c.ok() ? c.value().get() : nullptr;
}

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

std::string site_api(const TaintWorld& w, const CallSite& s, bool is_source) {
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

TaintStats run_taint_pass(AnalysisContext& context) {
  TaintStats stats;
  report::Report& r = context.report;
  if (context.code.dex_files.empty()) return stats;
  const TaintRules* rules = builtin_rules(&r.diagnostics);
  if (!rules) return stats;
  const auto start = std::chrono::steady_clock::now();
  const auto budget = std::chrono::milliseconds(limits::kDefaultTaintTimeBudgetMs);

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

  TaintWorld world(pool, methods, *rules, dispatch);
  for (uint32_t m : reach.order) world.analysable[m] = 1;
  stats.reachable = reach.order.size();
  for (uint32_t m : reach.order) world.enqueue(m);
  std::vector<uint32_t> analyses(methods.size(), 0);
  while (!world.queue.empty()) {
    if (std::chrono::steady_clock::now() - start > budget) {
      stats.partial = true;
      r.diagnostics.push_back({"taint-partial",
                               "the taint analysis reached its time budget (" + std::to_string(budget.count()) +
                                   " ms); the flows reported are those found so far",
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

  const signatures::SdkCatalog* sdks = catalog();
  for (const auto& [key, path] : world.flows) {
    const CallSite& src = world.sources[key.first];
    const CallSite& snk = world.sinks[key.second];
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
  if (getenv("APKWARDEN_TAINT_DEBUG"))
    fprintf(stderr, "taint: %zu methods, %zu reachable, %zu analyses, %zu sources, %zu sinks, %zu flows, %lld ms\n",
            stats.app_methods, stats.reachable, stats.analyses, world.sources.size(), world.sinks.size(),
            world.flows.size(),
            (long long)std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count());
  stats.flows = r.flows.size();
  return stats;
}

}  // namespace apkwarden::dataflow
