// Sources and sinks of personal data for the taint analysis: our own lists
// (signatures/taint/sources.xml, sinks.xml, embedded) plus, optionally, the user's lists in
// FlowDroid's SourcesAndSinks.txt format (`--sources-sinks FILE`).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dex/result.h"
#include "signatures/sdk_catalog.h"

namespace apkwarden::signatures {

struct SourceSpec {
  enum class Kind { kReturn, kField, kCallback };
  Kind kind = Kind::kReturn;
  std::string class_name;   // dotted, inner classes with '$'
  std::string member;       // method or field name ("<init>" for constructors)
  std::string params;       // optional: "java.lang.String,int" picks one overload; empty = any
  std::string data;         // kDataTypes, or "unspecified" (FlowDroid lists carry none)
  std::string permission;   // may be empty
  int arg = -1;             // kReturn: only when argument `arg` is the constant `equals`
  std::string equals;
  int param = -1;           // kCallback: the parameter that receives the data
  std::string origin;       // "taint/sources.xml:12"
  std::string via;          // a native method modelled from its code: the API its code calls, as reported
  int uri_arg = -1;         // kReturn: argument holding a content URI; one of the app's own
                            // providers means the app reads back what it stored there
};

struct SinkSpec {
  std::string class_name;
  std::string method;
  std::string params;
  std::vector<int> args;    // sensitive argument positions (receiver excluded); empty = all
  std::string kind;         // network, sms, log, file, ipc, webview, prefs, stream
  std::string origin;
  std::string via;          // a native method modelled from its code: the API its code calls, as reported
  int internal_source = -1; // its code also reads this source (index): each call is a flow of its own
  int uri_arg = -1;         // argument holding a content URI; one of the app's own providers
                            // keeps the data in the app (stored there, not leaked)
};

struct TaintSpec {
  std::vector<SourceSpec> sources;
  std::vector<SinkSpec> sinks;
};

inline constexpr std::string_view kSinkKinds[] = {"network", "sms", "log", "file", "ipc", "webview", "prefs", "stream", "process"};

class TaintSpecBuilder {
 public:
  void add_embedded();
  // Our XML format (sources.xml / sinks.xml shape, told apart by the root element).
  void add_xml(const std::string& file, std::string_view text);
  // FlowDroid's SourcesAndSinks.txt: `<cls: ret name(params)> [permission] -> _SOURCE_|_SINK_|_BOTH_`,
  // fields as `<cls: type NAME>`; '%' starts a comment line.
  void add_flowdroid(const std::string& file, std::string_view text);
  const std::vector<CatalogIssue>& issues() const { return issues_; }
  // Any issue makes this an Error listing them ("file:line: message").
  Result<TaintSpec> build() &&;

 private:
  void issue(const std::string& file, int line, std::string message);
  TaintSpec spec_;
  std::vector<CatalogIssue> issues_;
};

// The built-in lists, optionally with a FlowDroid-format file of the user's.
Result<TaintSpec> load_taint_spec(const std::string& flowdroid_file = "");

}  // namespace apkwarden::signatures
