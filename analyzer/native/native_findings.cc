#include "analyzer/native/native_findings.h"

#include <cstdio>
#include <map>

#include "analyzer/native/native_knowledge.h"
#include "dex/limits.h"
#include "signatures/rule_set.h"

namespace apkwarden::native {

namespace {

struct RuleDefault {
  const char* data;  // the data type (sensitive.tsv) this rule reports
  const char* id;
  const char* title;
};
constexpr RuleDefault kRules[] = {
    {"device-id", "native-device-identifier", "Native code reads a device identifier"},
    {"mac-address", "native-mac-address", "Native code reads a MAC address"},
    {"app-list", "native-app-list", "Native code lists the installed apps"},
};

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

report::Finding make_finding(const RuleDefault& d) {
  report::Finding f;
  f.rule = d.id;
  f.category = "data-collection";
  f.severity = report::Severity::kHigh;
  f.confidence = "high";
  f.title = d.title;
  auto set = signatures::builtin_rule_set();
  if (set.ok())
    if (const signatures::Rule* r = (*set)->find(d.id)) {
      f.title = r->title;
      f.category = r->category;
      if (auto s = report::parse_severity(r->severity)) f.severity = *s;
      f.confidence = r->confidence;
      f.regulation = r->regulation;
      f.remediation = r->remediation;
    }
  return f;
}

}  // namespace

std::vector<report::Finding> native_findings(const NativeLibFacts& facts) {
  const NativeKnowledge& k = native_knowledge();
  // Network sends in the same library: evidence that what is read may leave the device.
  std::string sends;
  for (const CallSite& c : facts.calls)
    if (c.function == "sendto" || c.function == "send" || c.function == "sendmsg" || c.function == "connect") {
      if (sends.find(c.function) != std::string::npos) continue;
      sends += (sends.empty() ? "" : ", ") + c.function + " at " + hex(c.address);
    }
  std::vector<report::Finding> out;
  std::map<std::string, size_t> per_rule;
  for (const CallSite& c : facts.calls) {
    if (!c.argument) continue;
    const std::string kind = c.kind == "ioctl" ? "ioctl" : c.kind;
    auto data = k.classify(kind, *c.argument);
    if (!data) continue;
    for (const RuleDefault& d : kRules) {
      if (*data != d.data || per_rule[d.id]++ >= limits::kMaxFindingsPerRule) continue;
      report::Finding f = make_finding(d);
      f.sdk = facts.sdk;
      f.location.kind = report::Location::Kind::kNative;
      f.location.lib = facts.path;
      f.location.address = c.address;
      f.location.symbol = c.caller;
      f.evidence.push_back("calls " + c.function + "(\"" + *c.argument + "\") at " + hex(c.address) +
                           (c.caller.empty() ? "" : " in " + c.caller));
      if (!sends.empty()) f.evidence.push_back("the library also sends over sockets: " + sends);
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace apkwarden::native
