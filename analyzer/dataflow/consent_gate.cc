#include "analyzer/dataflow/consent_gate.h"

#include <algorithm>
#include <cctype>
#include <deque>
#include <map>
#include <set>

#include "dex/code_item.h"
#include "dex/code_walker.h"
#include "signatures/embedded.h"

namespace apkwarden::dataflow {

report::Location code_location(const TaintWorld& w, uint32_t method, uint32_t pc);

namespace {

constexpr size_t kMaxConsentMethods = 20'000;
constexpr size_t kMaxConsentPath = 8;

struct ConsentWords {
  std::vector<std::string> keys;  // lower-case
  std::set<std::string, std::less<>> inits;
};

const ConsentWords& consent_words() {
  static const ConsentWords words = [] {
    ConsentWords w;
    std::string_view text = embedded::find_signature_file("taint/consent.tsv");
    while (!text.empty()) {
      const size_t end = text.find('\n');
      std::string_view line = text.substr(0, end);
      text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
      if (line.empty() || line.front() == '#') continue;
      const size_t tab = line.find('\t');
      if (tab == std::string_view::npos) continue;
      const std::string_view kind = line.substr(0, tab), value = line.substr(tab + 1);
      std::string lower(value);
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (kind == "key") w.keys.push_back(lower);
      else if (kind == "init") w.inits.emplace(value);
    }
    return w;
  }();
  return words;
}

bool names_consent(std::string_view text) {
  if (text.empty() || text.size() > 256) return false;
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& k : consent_words().keys)
    if (lower.find(k) != std::string::npos) return true;
  return false;
}

bool is_init_name(std::string_view name) {
  return name.substr(0, 4) == "init" || consent_words().inits.count(name) > 0;
}

struct Hit {
  uint32_t method = 0;
  uint32_t pc = 0;
  std::string api;        // Java name of the call
  std::string what;       // "device-id" or "SDK initialisation"
  std::optional<std::string> sdk;
  uint32_t entry = 0;
};

// Early entry methods: (method id, label) in a fixed order.
std::vector<uint32_t> early_entries(const apk::Manifest& m, const TaintWorld& w) {
  std::vector<std::pair<std::string, std::vector<std::string>>> wanted;
  for (const auto& c : m.components)
    if (c.enabled && c.kind == apk::ComponentKind::kProvider) wanted.push_back({c.name, {"onCreate", "<init>", "<clinit>"}});
  if (!m.application.name.empty())
    wanted.push_back({m.application.name, {"attachBaseContext", "onCreate", "<init>", "<clinit>"}});
  if (const auto* launcher = m.launcher_activity()) {
    const std::string name = launcher->kind == apk::ComponentKind::kActivityAlias ? launcher->target_activity : launcher->name;
    wanted.push_back({name, {"onCreate", "<clinit>"}});
  }
  std::vector<uint32_t> out;
  for (const auto& [cls, names] : wanted) {
    std::string d = "L";
    for (char c : cls) d += c == '.' ? '/' : c;
    d += ';';
    auto node = w.pool.find(d);
    // The method may be inherited from an app superclass (a BaseApplication).
    for (int depth = 0; node && *node != dex::kNoNode && !w.pool.node(*node).external() && depth < 16; ++depth) {
      for (uint32_t mid : w.methods.of_class(*node)) {
        const auto& am = w.methods[mid];
        const std::string_view n = w.pool.dex(am.dex).method_name(am.method);
        if (std::find(names.begin(), names.end(), n) != names.end()) out.push_back(mid);
      }
      node = w.pool.node(*node).superclass;
    }
  }
  return out;
}

bool is_privacy_switch(const signatures::SdkCatalog* sdks, const std::string& cls_java, std::string_view name) {
  if (!sdks) return false;
  const signatures::Sdk* sdk = sdks->match_class(cls_java);
  if (!sdk) return false;
  for (const auto& p : sdk->privacy_switches)
    if (p.class_name == cls_java && p.method == name) return true;
  return false;
}

}  // namespace

std::vector<report::Finding> consent_gate_findings(const apk::Manifest& manifest, TaintWorld& w,
                                                   const signatures::SdkCatalog* sdks) {
  const std::vector<uint32_t> entries = early_entries(manifest, w);
  std::map<uint32_t, uint32_t> parent;  // BFS tree for paths
  std::map<uint32_t, uint32_t> entry_of;
  std::deque<uint32_t> queue;
  for (uint32_t e : entries)
    if (parent.emplace(e, e).second) {
      entry_of[e] = e;
      queue.push_back(e);
    }
  std::vector<Hit> hits;
  while (!queue.empty() && parent.size() < kMaxConsentMethods) {
    const uint32_t m = queue.front();
    queue.pop_front();
    const auto& am = w.methods[m];
    const dex::DexFile& dex = w.pool.dex(am.dex);
    auto code = dex::CodeItem::at(dex, am.code_off);
    if (!code.ok()) continue;
    const uint32_t regs = code->registers_size();
    std::vector<uint8_t> consent(regs, 0);
    std::vector<uint32_t> strings(regs, UINT32_MAX);
    bool pending = false, guarded = false;
    const std::optional<std::string> caller_sdk = [&]() -> std::optional<std::string> {
      if (!sdks) return std::nullopt;
      if (const auto* s = sdks->match_class(w.pool.node(am.node).descriptor)) return s->id;
      return std::nullopt;
    }();
    dex::CodeWalker walker(code->insns_bytes());
    dex::Instruction in;
    while (walker.next(in) && !guarded) {
      const uint32_t f = in.flags();
      const bool had_pending = pending;
      pending = false;
      if (in.opcode == dex::Opcode::kConstString || in.opcode == dex::Opcode::kConstStringJumbo) {
        if (in.va < regs) strings[in.va] = in.index, consent[in.va] = 0;
        continue;
      }
      if (f & dex::opflags::kMoveResult) {
        if (in.va < regs) consent[in.va] = had_pending;
        continue;
      }
      if (f & dex::opflags::kFieldGet) {
        if (in.va < regs && in.index < dex.field_ids_size())
          consent[in.va] = names_consent(dex.field_name(dex::FieldIdx(in.index)));
        continue;
      }
      if (f & dex::opflags::kMove) {
        if (in.va < regs && in.vb < regs) consent[in.va] = consent[in.vb], strings[in.va] = strings[in.vb];
        continue;
      }
      if (f & dex::opflags::kConditional) {
        if ((in.va < regs && consent[in.va]) || (in.vb < regs && consent[in.vb] && in.format() == dex::InstructionFormat::k22t))
          guarded = true;  // everything after a branch on a consent flag counts as guarded
        continue;
      }
      if (!(f & dex::opflags::kInvoke) || in.index >= dex.method_ids_size()) {
        if (in.reg_count() && in.va < regs) consent[in.va] = 0;
        continue;
      }
      const dex::MethodIdx ref(in.index);
      const std::string_view name = dex.method_name(ref);
      const std::string_view cls_desc = dex.method_class_descriptor(ref);
      const std::string cls_java = callgraph::method_class_java(dex, ref);
      // Reading a stored consent flag, or asking an app method whether the user agreed.
      if ((cls_desc == "Landroid/content/SharedPreferences;" && name.substr(0, 3) == "get") || name == "contains") {
        for (uint32_t i = 0; i < in.reg_count(); ++i) {
          const uint32_t r = in.reg(i);
          if (r < regs && strings[r] != UINT32_MAX && strings[r] < dex.string_ids_size() &&
              names_consent(dex.string_data(dex::StringIdx(strings[r]))))
            pending = true;
        }
        continue;
      }
      if (is_privacy_switch(sdks, cls_java, name)) {
        // An SDK's privacy API: telling it the user's choice guards what follows; its
        // consent-free pre-initialisation (Umeng preInit) is not collection.
        if (names_consent(name)) guarded = true;
        continue;
      }
      if (names_consent(name) && !callgraph::AppMethods::is_platform_class(cls_desc)) {
        pending = true;
        continue;
      }
      const CallRules& rules = w.call_rules(am.dex, ref);
      if (rules.source >= 0) {
        const auto& spec = w.rules.source(rules.source);
        bool ok = spec.arg < 0;
        if (!ok) {
          // Settings.Secure.getString(resolver, "android_id"): needs the constant.
          const uint32_t pos = (in.opcode == dex::Opcode::kInvokeStatic || in.opcode == dex::Opcode::kInvokeStaticRange ? 0 : 1) +
                               static_cast<uint32_t>(spec.arg);
          if (pos < in.reg_count()) {
            const uint32_t r = in.reg(pos);
            ok = r < regs && strings[r] < dex.string_ids_size() && dex.string_data(dex::StringIdx(strings[r])) == spec.equals;
          }
        }
        if (ok) hits.push_back({m, in.pc, callgraph::method_full_java(dex, ref), spec.data, caller_sdk, entry_of[m]});
      }
      if (sdks && is_init_name(name)) {
        const auto* callee_sdk = sdks->match_class(cls_java);
        if (callee_sdk && (!caller_sdk || *caller_sdk != callee_sdk->id))
          hits.push_back({m, in.pc, callgraph::method_full_java(dex, ref), "SDK initialisation",
                          callee_sdk->id, entry_of[m]});
      }
      for (uint32_t t : w.dispatch.targets(am.dex, in))
        if (parent.emplace(t, m).second) {
          entry_of[t] = entry_of[m];
          queue.push_back(t);
        }
    }
  }

  // One finding per (sdk, api, data), at its first hit in BFS order.
  std::map<std::tuple<std::string, std::string, std::string>, report::Finding> out;
  for (const Hit& h : hits) {
    auto key = std::tuple(h.sdk.value_or(""), h.api, h.what);
    if (out.count(key)) continue;
    report::Finding f;
    f.rule = "pre-consent-collection";
    f.category = "consent";
    f.severity = report::Severity::kHigh;
    f.confidence = "medium";
    f.sdk = h.sdk;
    f.location = code_location(w, h.method, h.pc);
    const std::string who = h.sdk ? "the " + *h.sdk + " SDK" : "the app";
    f.title = h.what == "SDK initialisation" ? who + " is initialised before the user could consent"
                                              : h.what + " collected by " + who + " before the user could consent";
    // The call chain from the early entry point.
    std::vector<std::string> chain;
    for (uint32_t cur = h.method; chain.size() < kMaxConsentPath;) {
      chain.push_back(callgraph::method_full_java(w.pool.dex(w.methods[cur].dex), w.methods[cur].method));
      const uint32_t p = parent[cur];
      if (p == cur) break;
      cur = p;
    }
    std::reverse(chain.begin(), chain.end());
    std::string path;
    for (const auto& c : chain) path += (path.empty() ? "" : " -> ") + c;
    f.evidence = {"calls " + h.api, "reached from " + path, "no consent check (stored agreement flag or SDK privacy switch) before the call"};
    f.regulation = {"信管函〔2020〕164号", "App违法违规收集使用个人信息行为认定方法 (2019) 3.1", "GB/T 35273-2020 5.4"};
    f.remediation = "Initialise SDKs and read personal data only after the user accepts the privacy policy; "
                    "call the SDK's privacy switch with the user's choice first.";
    out.emplace(std::move(key), std::move(f));
  }
  std::vector<report::Finding> findings;
  for (auto& [k, f] : out) findings.push_back(std::move(f));
  return findings;
}

}  // namespace apkwarden::dataflow
