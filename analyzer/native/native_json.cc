#include "analyzer/native/native_json.h"

#include <cstdio>

namespace apkwarden::native {

namespace {

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

void strings_array(report::JsonWriter& w, std::string_view key, const std::vector<std::string>& v) {
  w.key(key).begin_array();
  for (const auto& s : v) w.value(s);
  w.end_array();
}

}  // namespace

void write_facts_fields(report::JsonWriter& w, const NativeLibFacts& f, bool full) {
  w.field("machine", f.machine).field("bits", f.bits);
  if (f.soname.empty()) w.null_field("soname");
  else w.field("soname", f.soname);
  strings_array(w, "needed", f.needed);
  strings_array(w, "imports", f.imports);
  if (full) strings_array(w, "exports", f.exports);
  w.field("exports_count", static_cast<uint64_t>(f.exports.size()));
  w.field("sections", static_cast<uint64_t>(f.sections));
  if (full) strings_array(w, "section_names", f.section_names);
  w.field("dynamic_entries", static_cast<uint64_t>(f.dynamic_entries));
  w.key("hardening").begin_object();
  w.field("nx", f.hardening.nx).field("pic", f.hardening.pic).field("relro", f.hardening.relro);
  w.field("bind_now", f.hardening.bind_now).field("stack_protector", f.hardening.stack_protector);
  w.field("fortify", f.hardening.fortify);
  w.end_object();
  w.field("jni_onload", f.has_jni_onload);
  w.key("jni").begin_array();
  for (const JniExport& j : f.jni) {
    w.begin_object().field("symbol", j.symbol).field("class", j.class_name).field("method", j.method);
    if (j.signature.empty()) w.null_field("signature");
    else w.field("signature", j.signature);
    w.field("address", hex(j.address));
    strings_array(w, "dex_methods", j.dex_methods);
    w.end_object();
  }
  w.end_array();
  w.key("strings").begin_array();
  for (const NativeString& s : f.strings)
    w.begin_object().field("kind", s.kind).field("value", s.value).field("address", hex(s.address)).end_object();
  w.end_array();
  w.key("calls").begin_array();
  for (const CallSite& c : f.calls) {
    w.begin_object().field("function", c.function).field("kind", c.kind).field("address", hex(c.address));
    if (c.caller.empty()) w.null_field("caller");
    else w.field("caller", c.caller);
    if (c.argument) w.field("argument", *c.argument);
    else w.null_field("argument");
    w.end_object();
  }
  w.end_array();
  w.key("syscalls").begin_array();
  for (const Syscall& s : f.syscalls)
    w.begin_object().field("address", hex(s.address)).field("number", s.number).end_object();
  w.end_array();
  if (f.sdk) w.field("sdk", *f.sdk);
  else w.null_field("sdk");
  w.field("truncated", f.truncated).field("disassembled", f.disassembled);
}

}  // namespace apkwarden::native

namespace apkwarden::native {

std::string native_to_json(const NativeLibFacts& f, const std::vector<report::Finding>& findings,
                           const Diagnostics& diags) {
  report::JsonWriter w;
  w.begin_object().field("path", f.path);
  write_facts_fields(w, f, true);
  w.key("findings").begin_array();
  for (const report::Finding& x : findings) {
    w.begin_object().field("rule", x.rule).field("category", x.category);
    w.field("severity", report::severity_name(x.severity)).field("confidence", x.confidence).field("title", x.title);
    w.field("lib", x.location.lib).field("address", hex(x.location.address));
    if (x.location.symbol.empty()) w.null_field("symbol");
    else w.field("symbol", x.location.symbol);
    strings_array(w, "evidence", x.evidence);
    w.end_object();
  }
  w.end_array();
  w.key("diagnostics").begin_array();
  for (const Diagnostic& d : diags)
    w.begin_object().field("code", d.code).field("message", d.message).field("where", d.where).end_object();
  w.end_array();
  w.end_object();
  std::string out = w.take();
  out += '\n';
  return out;
}

std::string native_to_text(const NativeLibFacts& f, const std::vector<report::Finding>& findings,
                           const Diagnostics& diags) {
  std::string o;
  auto line = [&o](const std::string& k, const std::string& v) { o += k + ": " + v + "\n"; };
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s.empty() ? std::string("-") : s;
  };
  line("path", f.path);
  line("machine", f.machine + " (" + std::to_string(f.bits) + "-bit)");
  if (!f.soname.empty()) line("soname", f.soname);
  line("needed", join(f.needed));
  line("imports", std::to_string(f.imports.size()));
  line("exports", std::to_string(f.exports.size()));
  const Hardening& h = f.hardening;
  line("hardening", std::string("nx=") + (h.nx ? "yes" : "no") + " pic=" + (h.pic ? "yes" : "no") +
                        " relro=" + (h.relro ? (h.bind_now ? "full" : "partial") : "no") +
                        " stack-protector=" + (h.stack_protector ? "yes" : "no") + " fortify=" + (h.fortify ? "yes" : "no"));
  line("JNI_OnLoad", f.has_jni_onload ? "yes" : "no");
  for (const JniExport& j : f.jni)
    o += "jni: " + j.class_name + "." + j.method + j.signature + " -> " + j.symbol + " @" + hex(j.address) + "\n";
  for (const CallSite& c : f.calls)
    o += "call: " + hex(c.address) + " " + c.function + (c.argument ? "(\"" + *c.argument + "\")" : "()") +
         (c.caller.empty() ? "" : " in " + c.caller) + "\n";
  for (const Syscall& s : f.syscalls) o += "syscall: " + hex(s.address) + " #" + std::to_string(s.number) + "\n";
  for (const NativeString& s : f.strings) o += "string: " + s.kind + " " + s.value + "\n";
  for (const report::Finding& x : findings)
    o += std::string("finding: [") + report::severity_name(x.severity) + "] " + x.rule + " — " + x.title + " @" +
         hex(x.location.address) + (x.location.symbol.empty() ? "" : " in " + x.location.symbol) + "\n";
  for (const Diagnostic& d : diags) o += "diagnostic: " + d.code + ": " + d.message + "\n";
  return o;
}

}  // namespace apkwarden::native
