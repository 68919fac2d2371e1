#include "signatures/taint_spec.h"

#include <re2/re2.h>
#include <tinyxml2.h>

#include <fstream>
#include <sstream>

#include "dex/limits.h"
#include "signatures/embedded.h"
#include "signatures/sdk.h"

namespace apkwarden::signatures {

namespace {

std::string attr(const tinyxml2::XMLElement* e, const char* name) {
  const char* v = e->Attribute(name);
  return v ? v : "";
}

bool parse_int(const std::string& s, int& out) {
  if (s.empty() || s.size() > 3) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

bool known_sink_kind(std::string_view k) {
  for (std::string_view x : kSinkKinds)
    if (x == k) return true;
  return false;
}

}  // namespace

void TaintSpecBuilder::issue(const std::string& file, int line, std::string message) {
  issues_.push_back(CatalogIssue{file, line, std::move(message)});
}

void TaintSpecBuilder::add_embedded() {
  for (const auto& f : embedded::signature_files())
    if (f.path.substr(0, 6) == "taint/" && f.path.size() > 4 && f.path.substr(f.path.size() - 4) == ".xml")
      add_xml(std::string(f.path), f.contents);
}

void TaintSpecBuilder::add_xml(const std::string& file, std::string_view text) {
  if (text.size() > limits::kMaxSignatureFileBytes) return issue(file, 0, "file too large");
  tinyxml2::XMLDocument doc;
  if (doc.Parse(text.data(), text.size()) != tinyxml2::XML_SUCCESS)
    return issue(file, doc.ErrorLineNum(), std::string("not well-formed XML: ") + doc.ErrorName());
  const tinyxml2::XMLElement* root = doc.RootElement();
  const std::string_view root_name = root ? root->Name() : "";
  if (root_name != "sources" && root_name != "sinks")
    return issue(file, root ? root->GetLineNum() : 0, "root element must be <sources> or <sinks>");
  for (auto* e = root->FirstChildElement(); e; e = e->NextSiblingElement()) {
    const int line = e->GetLineNum();
    const std::string origin = file + ":" + std::to_string(line);
    const std::string_view tag = e->Name();
    const std::string cls = attr(e, "class");
    if (cls.empty() || cls.find('/') != std::string::npos || cls.find(' ') != std::string::npos) {
      issue(file, line, "missing or malformed class attribute");
      continue;
    }
    if (root_name == "sinks") {
      if (tag != "sink") {
        issue(file, line, "unknown element <" + std::string(tag) + "> in <sinks>");
        continue;
      }
      SinkSpec s{cls, attr(e, "method"), attr(e, "params"), {}, attr(e, "kind"), origin, {}, -1, -1};
      if (s.method.empty()) issue(file, line, "sink without a method");
      if (!known_sink_kind(s.kind)) issue(file, line, "unknown sink kind '" + s.kind + "'");
      const std::string args = attr(e, "args");
      if (args != "all") {
        std::stringstream ss(args);
        std::string part;
        bool bad = args.empty();
        while (std::getline(ss, part, ',')) {
          int v;
          if (parse_int(part, v)) s.args.push_back(v);
          else bad = true;
        }
        if (bad) issue(file, line, "bad args value '" + args + "': \"all\" or a list of positions");
      }
      if (e->Attribute("uri-arg") && !parse_int(attr(e, "uri-arg"), s.uri_arg))
        issue(file, line, "bad uri-arg value: a position");
      spec_.sinks.push_back(std::move(s));
      continue;
    }
    SourceSpec s;
    s.class_name = cls;
    s.data = attr(e, "data");
    s.permission = attr(e, "permission");
    s.params = attr(e, "params");
    s.origin = origin;
    if (!is_data_type(s.data)) issue(file, line, "unknown data type '" + s.data + "'");
    if (tag == "source") {
      s.kind = SourceSpec::Kind::kReturn;
      s.member = attr(e, "method");
      if (e->Attribute("arg") || e->Attribute("equals")) {
        s.equals = attr(e, "equals");
        if (!parse_int(attr(e, "arg"), s.arg) || s.equals.empty())
          issue(file, line, "arg and equals go together: a position and a constant");
      }
      if (e->Attribute("uri-arg") && !parse_int(attr(e, "uri-arg"), s.uri_arg))
        issue(file, line, "bad uri-arg value: a position");
    } else if (tag == "field-source") {
      s.kind = SourceSpec::Kind::kField;
      s.member = attr(e, "field");
    } else if (tag == "callback-source") {
      s.kind = SourceSpec::Kind::kCallback;
      s.member = attr(e, "method");
      if (!parse_int(attr(e, "param"), s.param)) issue(file, line, "callback-source needs a param position");
    } else {
      issue(file, line, "unknown element <" + std::string(tag) + "> in <sources>");
      continue;
    }
    if (s.member.empty()) issue(file, line, "source without a method or field name");
    spec_.sources.push_back(std::move(s));
  }
}

void TaintSpecBuilder::add_flowdroid(const std::string& file, std::string_view text) {
  if (text.size() > limits::kMaxSignatureFileBytes) return issue(file, 0, "file too large");
  // <class: type name(params)> [permission...] -> _SOURCE_ | _SINK_ | _BOTH_   (methods)
  // <class: type NAME> ... -> _SOURCE_                                        (fields)
  static const RE2 kMethod(R"(^<([\w.$]+):\s+([\w.$\[\]]+)\s+([\w$<>]+)\(([^)]*)\)>\s*(.*?)\s*->\s*(_SOURCE_|_SINK_|_BOTH_)\s*$)");
  static const RE2 kField(R"(^<([\w.$]+):\s+([\w.$\[\]]+)\s+([\w$]+)>\s*(.*?)\s*->\s*(_SOURCE_|_SINK_|_BOTH_)\s*$)");
  int line_no = 0;
  std::string_view rest = text;
  while (!rest.empty()) {
    const size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    ++line_no;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (line.empty() || line[0] == '%' || line[0] == '#') continue;
    const std::string origin = file + ":" + std::to_string(line_no);
    std::string cls, type, name, params, extra, role;
    if (RE2::FullMatch(line, kMethod, &cls, &type, &name, &params, &extra, &role)) {
      std::string compact;
      for (char c : params)
        if (c != ' ') compact += c;
      if (role != "_SINK_")
        spec_.sources.push_back({SourceSpec::Kind::kReturn, cls, name, compact, "unspecified", extra, -1, "", -1, origin, {}, -1});
      if (role != "_SOURCE_") spec_.sinks.push_back({cls, name, compact, {}, "network", origin, {}, -1, -1});
    } else if (RE2::FullMatch(line, kField, &cls, &type, &name, &extra, &role)) {
      spec_.sources.push_back({SourceSpec::Kind::kField, cls, name, "", "unspecified", extra, -1, "", -1, origin, {}, -1});
    } else {
      issue(file, line_no, "not a FlowDroid source/sink line: " + std::string(line.substr(0, 120)));
    }
  }
}

Result<TaintSpec> TaintSpecBuilder::build() && {
  if (!issues_.empty()) {
    std::string msg;
    for (const auto& i : issues_) msg += (msg.empty() ? "" : "\n") + i.to_string();
    return make_error(ErrorCode::kMalformed, msg);
  }
  return std::move(spec_);
}

Result<TaintSpec> load_taint_spec(const std::string& flowdroid_file) {
  TaintSpecBuilder b;
  b.add_embedded();
  if (!flowdroid_file.empty()) {
    std::ifstream in(flowdroid_file, std::ios::binary);
    if (!in) return make_error(ErrorCode::kIo, flowdroid_file + ": cannot read");
    std::string text;
    text.resize(limits::kMaxSignatureFileBytes + 1);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<size_t>(in.gcount()));
    b.add_flowdroid(flowdroid_file, text);
  }
  return std::move(b).build();
}

}  // namespace apkwarden::signatures
