#include "analyzer/dataflow/native_models.h"

#include <map>
#include <set>
#include <stdexcept>
#include <string_view>

#include "dex/limits.h"
#include "signatures/embedded.h"
#include "signatures/text_split.h"

namespace apkwarden::dataflow {

namespace {

struct NativeSink {
  std::string import, kind;
  std::vector<std::string> requires_any;  // empty: none
};

using signatures::split;

// signatures/taint/native-sinks.tsv, embedded: a malformed line is our bug (throws at first use).
const std::vector<NativeSink>& native_sinks() {
  static const std::vector<NativeSink> sinks = [] {
    std::vector<NativeSink> out;
    int line_no = 0;
    for (std::string_view line : split(embedded::find_signature_file("taint/native-sinks.tsv"), '\n')) {
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty() || line.front() == '#') continue;
      const auto cols = split(line, '\t');
      bool known_kind = false;
      for (std::string_view k : signatures::kSinkKinds) known_kind = known_kind || (cols.size() == 3 && cols[1] == k);
      if (cols.size() != 3 || cols[0].empty() || !known_kind)
        throw std::logic_error("taint/native-sinks.tsv:" + std::to_string(line_no) + ": expected import, sink kind, requires");
      NativeSink s{std::string(cols[0]), std::string(cols[1]), {}};
      if (cols[2] != "-")
        for (std::string_view any : split(cols[2], '|')) s.requires_any.emplace_back(any);
      out.push_back(std::move(s));
    }
    if (out.empty()) throw std::logic_error("taint/native-sinks.tsv is missing");
    return out;
  }();
  return sinks;
}

// "android/telephony/TelephonyManager": a JNI class name (FindClass), slashes only.
bool is_jni_class(const std::string& s) {
  if (s.size() < 3 || s.size() > 256 || s.find('/') == std::string::npos || s.front() == '/' || s.back() == '/')
    return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' || c == '/'))
      return false;
  return true;
}

bool is_member_name(const std::string& s) {
  if (s == "<init>") return true;
  if (s.empty() || s.size() > 128 || (s[0] >= '0' && s[0] <= '9')) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$'))
      return false;
  return true;
}

struct JavaMethod {
  std::string cls, name, params;  // params as SourceSpec.params: "java.lang.String,int"
  int count = 0;
};

// "com.x.A.foo(java.lang.String, int)" (DexFile::pretty_method_java).
std::optional<JavaMethod> parse_java(const std::string& pretty) {
  const size_t open = pretty.find('('), close = pretty.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return std::nullopt;
  const size_t dot = pretty.rfind('.', open);
  if (dot == std::string::npos || dot == 0 || dot + 1 >= open) return std::nullopt;
  JavaMethod m{pretty.substr(0, dot), pretty.substr(dot + 1, open - dot - 1), "", 0};
  const std::string inner = pretty.substr(open + 1, close - open - 1);
  for (std::string_view p : split(inner, ',')) {
    std::string t(p);
    while (!t.empty() && t.front() == ' ') t.erase(t.begin());
    if (t.empty()) continue;
    if (m.count++) m.params += ',';
    m.params += t;
  }
  return m;
}

std::string dotted(std::string s) {
  for (char& c : s)
    if (c == '/') c = '.';
  return s;
}

}  // namespace

NativeModels native_models(const std::vector<const native::NativeLibFacts*>& libs, const TaintRules& rules,
                           const dex::ClassPool& pool) {
  NativeModels out;
  // Every library (ABI) implementing a method adds to what it does.
  std::map<std::string, std::pair<std::set<std::string>, std::set<std::string>>> behaviour;
  for (const native::NativeLibFacts* lib : libs)
    for (const native::JniExport& j : lib->jni) {
      if (!j.behaviour_scanned) continue;
      for (const std::string& m : j.dex_methods) {
        auto& [imports, strings] = behaviour[m];
        imports.insert(j.calls_imports.begin(), j.calls_imports.end());
        strings.insert(j.call_strings.begin(), j.call_strings.end());
      }
    }
  size_t modelled = 0;
  for (const auto& [method, b] : behaviour) {
    if (modelled >= limits::kMaxNativeTaintModels) break;
    const auto& [imports, strings] = b;
    const auto jm = parse_java(method);
    if (!jm) continue;
    int32_t src = -1, jsink = -1;
    std::string src_api, sink_api;
    for (const std::string& c : strings) {
      if (!is_jni_class(c)) continue;
      const std::string descriptor = "L" + c + ";";
      for (const std::string& n : strings) {
        if (!is_member_name(n)) continue;
        if (src < 0)
          if ((src = rules.source_named(pool, descriptor, n)) >= 0) src_api = dotted(c) + "." + n + "()";
        if (jsink < 0)
          if ((jsink = rules.sink_named(pool, descriptor, n)) >= 0) sink_api = dotted(c) + "." + n + "()";
      }
    }
    const NativeSink* isink = nullptr;
    for (const NativeSink& s : native_sinks()) {
      if (!imports.count(s.import)) continue;
      bool ok = s.requires_any.empty();
      for (const std::string& r : s.requires_any) ok = ok || imports.count(r);
      if (ok) {
        isink = &s;
        break;
      }
    }
    if (src < 0 && jsink < 0 && !isink) continue;
    ++modelled;
    const std::string where = " (native code of " + method + ")";
    int src_index = -1;
    if (src >= 0) {
      signatures::SourceSpec s = rules.source(src);  // its data and permission
      s.kind = signatures::SourceSpec::Kind::kReturn;
      s.class_name = jm->cls;
      s.member = jm->name;
      s.params = jm->params;
      s.arg = -1;
      s.equals.clear();
      s.param = -1;
      s.origin = "native:" + method;
      s.via = src_api + where;
      src_index = static_cast<int>(out.sources.size());
      out.sources.push_back(std::move(s));
    }
    if (jsink >= 0 || isink) {
      signatures::SinkSpec k;
      k.class_name = jm->cls;
      k.method = jm->name;
      k.params = jm->params;
      for (int i = 0; i < jm->count; ++i) k.args.push_back(i);
      k.kind = jsink >= 0 ? rules.sink(jsink).kind : isink->kind;
      k.origin = "native:" + method;
      k.via = (jsink >= 0 ? sink_api : isink->import) + where;
      if (jsink >= 0 && src_index >= 0) k.internal_source = src_index;
      if (!k.args.empty() || k.internal_source >= 0) out.sinks.push_back(std::move(k));
    }
  }
  return out;
}

TaintRules with_native_models(const TaintRules& base, NativeModels models) {
  TaintRules rules = base;
  const int offset = static_cast<int>(rules.source_count());
  for (auto& k : models.sinks)
    if (k.internal_source >= 0) k.internal_source += offset;
  rules.add_app_rules(std::move(models.sources), std::move(models.sinks));
  return rules;
}

}  // namespace apkwarden::dataflow
