#include "analyzer/payload/loader_links.h"

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/app/analysis_context.h"
#include "analyzer/code/code_index.h"
#include "analyzer/code/dex_lookup.h"
#include "analyzer/payload/code_loaders.h"
#include "analyzer/rules/rule_finding.h"
#include "dex/limits.h"
#include "signatures/rule_set.h"

namespace apkwarden::payload {

namespace {

// One call of a code-loading API in the app's code.
struct LoaderCall {
  uint32_t invoke = 0;  // index into CodeIndex::invokes()
  const CodeLoaderApi* api = nullptr;
};

std::string_view basename(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// The entry of the APK a payload lives in: "assets/a.jar" for "assets/a.jar!classes.dex".
std::string_view outer_entry(std::string_view path) { return path.substr(0, path.find('!')); }

// Whether a constant string of the loading code names the payload's file: its name
// ("plugin.dex"), its path inside the APK or under assets/ ("gdt_plugin/gdtadv2.jar"), or a path
// ending in it ("/data/.../plugin.dex"); for native loaders also loadLibrary's short form ("x" for
// "libx.so").
bool names_payload(std::string_view s, std::string_view entry, bool native) {
  const std::string_view name = basename(entry);
  if (s.empty() || name.empty() || s.size() > limits::kMaxClassNameBytes) return false;
  if (s == name || s == entry) return true;
  if (entry.size() > s.size() && entry.ends_with(s) && entry[entry.size() - s.size() - 1] == '/') return true;
  if (s.size() > name.size() && s.ends_with(name) && s[s.size() - name.size() - 1] == '/') return true;
  if (native) return name == "lib" + std::string(s) + ".so";
  return false;
}

std::vector<LoaderCall> find_loader_calls(const code::CodeIndex& ix, const std::vector<CodeLoaderApi>& apis) {
  std::vector<LoaderCall> calls;
  for (uint32_t d = 0; d < ix.code().dex_files.size(); ++d) {
    const dex::DexFile& dex = ix.dex(d);
    for (const CodeLoaderApi& api : apis)
      for (dex::MethodIdx id : code::find_method_ids(dex, code::java_to_descriptor(api.class_name), api.method))
        for (uint32_t site : ix.calls_to(d, id)) calls.push_back({site, &api});
  }
  std::sort(calls.begin(), calls.end(), [](const LoaderCall& a, const LoaderCall& b) { return a.invoke < b.invoke; });
  return calls;
}

// The constant strings of every method of class `cls` (the asset name often sits in a field
// initialiser or a helper method next to the loader call).
std::vector<std::string> class_strings(const code::CodeIndex& ix, uint32_t cls) {
  const code::IndexedClass& c = ix.classes()[cls];
  const auto& sites = ix.strings();  // ordered by method
  auto it = std::lower_bound(sites.begin(), sites.end(), c.first_method,
                             [](const code::StringSite& s, uint32_t m) { return s.method < m; });
  std::vector<std::string> out;
  const dex::DexFile& dex = ix.dex_of_class(cls);
  for (; it != sites.end() && it->method < c.first_method + c.method_count; ++it)
    if (auto s = dex.string_data_checked(it->string)) out.emplace_back(*s);
  return out;
}

std::string caller_name(const code::CodeIndex& ix, uint32_t method) {
  return ix.class_java_name(ix.methods()[method].cls) + "." + ix.method_java_signature(method);
}

// payload.loaded_by for every payload a loader call names; returns the linked payload indices.
std::set<size_t> link_payloads(const code::CodeIndex& ix, const std::vector<LoaderCall>& calls,
                               std::vector<report::Payload>& payloads) {
  std::set<size_t> linked;
  for (const LoaderCall& call : calls) {
    const code::InvokeSite& site = ix.invokes()[call.invoke];
    const uint32_t cls = ix.methods()[site.caller].cls;
    const std::vector<std::string> strings = class_strings(ix, cls);
    for (size_t p = 0; p < payloads.size(); ++p) {
      report::Payload& payload = payloads[p];
      if (!payload.loaded_by.empty()) continue;
      const bool native_payload = payload.kind == "elf";
      if (call.api->native != native_payload) continue;
      const std::string_view entry = outer_entry(payload.path);
      for (const std::string& s : strings)
        if (names_payload(s, entry, call.api->native)) {
          payload.loaded_by = caller_name(ix, site.caller);
          linked.insert(p);
          break;
        }
    }
  }
  return linked;
}

// What every check of this pass reads.
struct PassInputs {
  const AnalysisContext& context;
  const code::CodeIndex& ix;
  const std::vector<LoaderCall>& calls;
};

// Personal data read by code loaded at run time (a flow whose source is in a payload's dex).
void collection_in_runtime_code(const PassInputs& in, const signatures::Rule& rule, std::vector<report::Finding>& out) {
  const AnalysisContext& context = in.context;
  const AppCode& code = context.code;
  std::set<std::string> runtime_dex;
  for (size_t i = code.installed_dex_count; i < code.dex_files.size(); ++i)
    runtime_dex.insert(code.dex_files[i].location());
  std::set<std::pair<report::Location, std::string>> seen;
  for (const report::Flow& flow : context.report.flows) {
    const report::Location& at = flow.source.location;
    if (at.kind != report::Location::Kind::kCode || !runtime_dex.count(at.dex)) continue;
    if (!seen.insert({at, flow.sink.api}).second) continue;
    report::Finding f = rules::finding_from_rule(rule);
    f.location = at;
    f.sdk = flow.sdk;
    f.evidence.push_back(flow.source.api + " (" + flow.source.kind + ") in code loaded at run time from " +
                         at.dex);
    f.evidence.push_back("reaches " + flow.sink.api + " (" + flow.sink.kind + ")" +
                         (flow.sink.url_or_host.empty() ? "" : " " + flow.sink.url_or_host));
    out.push_back(std::move(f));
  }
}

// Encrypted-looking payloads the app loads (or may load: it calls a dex loader).
void encrypted_payloads(const PassInputs& in, const signatures::Rule& rule, std::vector<report::Finding>& out) {
  const code::CodeIndex& ix = in.ix;
  const std::vector<report::Payload>& payloads = in.context.report.payloads;
  const LoaderCall* dex_call = nullptr;
  for (const LoaderCall& c : in.calls)
    if (!c.api->native) {
      dex_call = &c;
      break;
    }
  if (!dex_call) return;
  for (const report::Payload& p : payloads) {
    if (p.kind != "high-entropy") continue;
    report::Finding f = rules::finding_from_rule(rule);
    f.location.kind = report::Location::Kind::kResource;
    f.location.path = p.path;
    f.evidence.push_back(p.path + ": " + std::to_string(p.size) + " bytes that look encrypted (no known format, near-maximal entropy)");
    if (!p.loaded_by.empty()) {
      f.evidence.push_back("named by " + p.loaded_by + ", which loads code at run time");
    } else {
      const code::InvokeSite& site = ix.invokes()[dex_call->invoke];
      f.evidence.push_back("the app loads code at run time: " + dex_call->api->class_name + "." +
                           dex_call->api->method + " in " + caller_name(ix, site.caller));
      f.confidence = "medium";
    }
    f.evidence.push_back("verdict: cannot verify (the code that runs is not in the APK in readable form)");
    out.push_back(std::move(f));
  }
}

// The checks behind the rules whose match is <analysis name="payloads"/>, by rule id (a rule file
// may carry the metadata of only some of them; an unknown id makes no findings).
using Check = void (*)(const PassInputs&, const signatures::Rule&, std::vector<report::Finding>&);
constexpr std::pair<std::string_view, Check> kChecks[] = {
    {"runtime-code-collects-data", collection_in_runtime_code},
    {"encrypted-code-payload", encrypted_payloads},
};

}  // namespace

void run_payload_pass(AnalysisContext& context) {
  report::Report& r = context.report;
  if (!context.index) return;
  const auto& apis = builtin_code_loaders();
  if (!apis.ok()) {
    r.diagnostics.push_back({"code-loaders-invalid", apis.error().message, "signatures/android/code_loaders.tsv"});
    return;
  }
  const code::CodeIndex& ix = *context.index;
  const std::vector<LoaderCall> calls = find_loader_calls(ix, apis.value());
  link_payloads(ix, calls, r.payloads);
  if (!context.rules) return;

  const PassInputs in{context, ix, calls};
  for (const auto& [id, check] : kChecks) {
    const signatures::Rule* rule = context.rules->find(id);
    if (!rule || rule->match.children.size() != 1 ||
        rule->match.children.front().kind != signatures::MatchNode::Kind::kAnalysis)
      continue;
    std::vector<report::Finding> findings;
    check(in, *rule, findings);
    std::sort(findings.begin(), findings.end());
    if (findings.size() > limits::kMaxFindingsPerRule) findings.resize(limits::kMaxFindingsPerRule);
    for (auto& f : findings) r.findings.push_back(std::move(f));
  }
  std::sort(r.findings.begin(), r.findings.end());
}

}  // namespace apkwarden::payload
