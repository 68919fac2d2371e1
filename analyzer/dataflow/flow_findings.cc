#include "analyzer/dataflow/flow_findings.h"

#include <map>
#include <set>
#include <string>
#include <tuple>

namespace apkwarden::dataflow {

namespace {

constexpr size_t kMaxEvidence = 5;

const std::set<std::string, std::less<>> kCollectionKinds = {"network", "sms", "webview", "stream", "ipc", "process"};
const std::set<std::string, std::less<>> kStorageKinds = {"log", "file", "prefs"};

std::string describe(const report::Flow& f) {
  std::string s = f.source.kind + ": " + f.source.api + " in " + f.source.location.class_name + "." +
                  f.source.location.method + " -> " + f.sink.api + " in " + f.sink.location.class_name + "." +
                  f.sink.location.method;
  if (f.sink.location.line) s += " line " + std::to_string(*f.sink.location.line);
  if (!f.sink.url_or_host.empty()) s += " (" + f.sink.url_or_host + ")";
  return s;
}

std::string owner(const report::Flow& f) { return f.sdk ? "the " + *f.sdk + " SDK" : "the app's own code"; }

}  // namespace

std::vector<report::Finding> flow_findings(const std::vector<report::Flow>& flows) {
  std::map<std::tuple<std::string, std::string, std::string, std::string>, report::Finding> grouped;
  std::map<report::Location, report::Finding> cleartext;
  for (const auto& f : flows) {
    const std::string owner_id = f.sdk.value_or("");
    std::string rule;
    if (kCollectionKinds.count(f.sink.kind)) rule = "data-collection";
    else if (kStorageKinds.count(f.sink.kind)) rule = "insecure-storage";
    if (!rule.empty()) {
      auto key = std::tuple(rule, owner_id, f.source.kind, f.sink.kind);
      auto [it, inserted] = grouped.try_emplace(key);
      report::Finding& g = it->second;
      if (inserted) {
        g.rule = rule;
        g.sdk = f.sdk;
        g.location = f.sink.location;
        if (rule == "data-collection") {
          g.category = "data-collection";
          g.severity = f.sink.kind == "sms" ? report::Severity::kHigh : report::Severity::kMedium;
          g.title = f.source.kind + " collected and sent out (" + f.sink.kind + ") by " + owner(f);
          g.regulation = {"信管函〔2020〕164号", "GB/T 35273-2020 5.2", "GB/T 41391-2022"};
          g.remediation = "Collect this data only after consent and when the feature needs it; disclose it in the privacy policy.";
        } else {
          g.category = "insecure-storage";
          g.severity = f.sink.kind == "prefs" ? report::Severity::kLow : report::Severity::kMedium;
          g.title = f.source.kind + " written to " + f.sink.kind + " by " + owner(f);
          g.regulation = {"GB/T 35273-2020 6.3"};
          g.remediation = "Do not log personal data; store it encrypted in app-private storage, or not at all.";
        }
        g.confidence = "medium";
      }
      if (g.evidence.size() < kMaxEvidence) g.evidence.push_back(describe(f));
    }
    if (kCollectionKinds.count(f.sink.kind) && f.sink.url_or_host.rfind("http://", 0) == 0) {
      auto [it, inserted] = cleartext.try_emplace(f.sink.location);
      report::Finding& c = it->second;
      if (inserted) {
        c.rule = "cleartext";
        c.category = "cleartext";
        c.severity = report::Severity::kHigh;
        c.confidence = "high";
        c.sdk = f.sdk;
        c.location = f.sink.location;
        c.title = "Personal data sent without encryption to " + f.sink.url_or_host;
        c.regulation = {"GB/T 35273-2020 6.3", "MIIT-2019-认定方法"};
        c.remediation = "Use https:// and keep cleartextTrafficPermitted off.";
      }
      if (c.evidence.size() < kMaxEvidence) c.evidence.push_back(describe(f));
    }
  }
  std::vector<report::Finding> out;
  for (auto& [k, f] : grouped) out.push_back(std::move(f));
  for (auto& [k, f] : cleartext) out.push_back(std::move(f));
  return out;
}

}  // namespace apkwarden::dataflow
