// apkwarden rules list|show ID|check FILE: the behaviour rules of the knowledge base.
#include <cstdio>

#include "analyzer/report/json_writer.h"
#include "cli/command.h"
#include "cli/knowledge_options.h"
#include "cli/output.h"

namespace apkwarden::cli {

namespace {

using signatures::MatchNode;
using signatures::Rule;

void write_node_json(report::JsonWriter& w, const MatchNode& n) {
  w.begin_object();
  w.field("kind", signatures::match_kind_name(n.kind));
  if (n.is_combinator()) {
    if (n.kind != MatchNode::Kind::kNot) w.field("scope", signatures::scope_name(n.scope));
    w.key("children").begin_array();
    for (const auto& c : n.children) write_node_json(w, c);
    w.end_array();
  }
  const std::pair<const char*, const std::string*> text[] = {
      {"attr", &n.attr},         {"value", &n.value},     {"name", &n.name},       {"pattern", &n.pattern},
      {"prefix", &n.prefix},     {"category", &n.category}, {"permission", &n.permission},
      {"class", &n.class_name},  {"method", &n.method},   {"proto", &n.proto},     {"owner_category", &n.owner_category},
      {"caller", &n.caller},     {"description", &n.description}};
  for (const auto& [k, v] : text)
    if (!v->empty()) w.field(k, *v);
  if (!n.component_kinds.empty()) {
    w.key("component_kinds").begin_array();
    for (const auto& k : n.component_kinds) w.value(k);
    w.end_array();
  }
  if (!n.actions.empty()) {
    w.key("actions").begin_array();
    for (const auto& a : n.actions) w.value(a);
    w.end_array();
  }
  if (n.exported) w.field("exported", *n.exported);
  if (n.below) w.field("below", *n.below);
  if (n.at_least) w.field("at_least", *n.at_least);
  if (n.kind == MatchNode::Kind::kIntArg) w.field("arg", n.arg);
  if (!n.values.empty()) {
    w.key("values").begin_array();
    for (int64_t v : n.values) w.value(v);
    w.end_array();
  }
  if (n.mask) w.field("mask", *n.mask);
  if (n.foreign) w.field("foreign", true);
  if (!n.ad_kinds.empty()) {
    w.key("ad_kinds").begin_array();
    for (const auto& k : n.ad_kinds) w.value(k);
    w.end_array();
  }
  if (n.owner != signatures::Owner::kAny) w.field("owner", n.owner == signatures::Owner::kApp ? "app" : "sdk");
  w.end_object();
}

void write_rule_json(report::JsonWriter& w, const Rule& r, bool full) {
  w.begin_object();
  w.field("id", r.id).field("title", r.title).field("category", r.category);
  w.field("severity", r.severity).field("confidence", r.confidence);
  w.field("origin", r.origin == signatures::RuleOrigin::kBuiltin ? "builtin" : "user");
  if (full) {
    w.field("description", r.description);
    w.key("regulation").begin_array();
    for (const auto& s : r.regulation) w.value(s);
    w.end_array();
    w.field("remediation", r.remediation);
    w.key("fixtures").begin_object();
    w.key("positive").begin_array();
    for (const auto& s : r.positive_fixtures) w.value(s);
    w.end_array();
    w.key("negative").begin_array();
    for (const auto& s : r.negative_fixtures) w.value(s);
    w.end_array();
    w.end_object();
    w.field("source", r.source);
    w.key("match");
    write_node_json(w, r.match);
  }
  w.end_object();
}

void node_text(std::string& out, const MatchNode& n, int depth) {
  report::JsonWriter w(0);
  write_node_json(w, n);
  out += std::string(static_cast<size_t>(depth) * 2, ' ');
  out += signatures::match_kind_name(n.kind);
  if (n.is_combinator()) {
    if (n.kind != MatchNode::Kind::kNot) out += std::string(" (scope ") + signatures::scope_name(n.scope) + ")";
    out += "\n";
    for (const auto& c : n.children) node_text(out, c, depth + 1);
    return;
  }
  // The leaf's attributes, as the compact JSON object without its "kind".
  std::string attrs = w.take();
  const size_t comma = attrs.find(',');
  out += " " + (comma == std::string::npos ? std::string("{}") : "{" + attrs.substr(comma + 1)) + "\n";
}

std::string rule_text(const Rule& r) {
  std::string out = r.id + "\n  title:       " + r.title + "\n  category:    " + r.category +
                    "\n  severity:    " + r.severity + "\n  confidence:  " + r.confidence + "\n";
  if (!r.description.empty()) out += "  description: " + r.description + "\n";
  for (const auto& s : r.regulation) out += "  regulation:  " + s + "\n";
  if (!r.remediation.empty()) out += "  remediation: " + r.remediation + "\n";
  for (const auto& s : r.positive_fixtures) out += "  fixture +:   " + s + "\n";
  for (const auto& s : r.negative_fixtures) out += "  fixture -:   " + s + "\n";
  out += "  source:      " + r.source + "\n  match (scope " + std::string(signatures::scope_name(r.match.scope)) + "):\n";
  for (const auto& c : r.match.children) node_text(out, c, 2);
  return out;
}

int run_rules(const ParsedArgs& args) {
  const std::string& action = args.positional.at(0);
  const bool json = args.value_or("format", "text") == "json";
  const std::string out_path = args.value_or("output", "");

  if (action == "check") {
    if (args.positional.size() != 2) {
      std::fprintf(stderr, "apkwarden rules check: give one rule FILE or directory\n");
      return kExitError;
    }
    const std::string& path = args.positional[1];
    signatures::RuleSetBuilder b;
    b.add_embedded();
    b.add_path(path);
    const size_t builtin = signatures::builtin_rule_set().ok() ? (*signatures::builtin_rule_set())->size() : 0;
    auto built = std::move(b).build();
    if (!built.ok()) {
      std::fprintf(stderr, "%s\n", built.error().message.c_str());
      return kExitFindings;
    }
    return write_output(out_path, path + ": " + std::to_string((*built)->size() - builtin) + " rule(s), valid\n")
               ? kExitOk
               : kExitError;
  }

  auto rules = load_rules(args);
  if (!rules.ok()) {
    print_error(args.value_or("rules", "signatures/rules"), rules.error().message);
    return kExitError;
  }
  const signatures::RuleSet& set = **rules;
  if (action == "list") {
    if (args.positional.size() != 1) {
      std::fprintf(stderr, "apkwarden rules list: takes no argument\n");
      return kExitError;
    }
    if (json) {
      report::JsonWriter w(2);
      w.begin_array();
      for (const Rule& r : set.rules()) write_rule_json(w, r, false);
      w.end_array();
      return write_output(out_path, w.take() + "\n") ? kExitOk : kExitError;
    }
    std::string out;
    char line[512];
    for (const Rule& r : set.rules()) {
      std::snprintf(line, sizeof line, "%-36s %-8s %-20s %s\n", r.id.c_str(), r.severity.c_str(), r.category.c_str(),
                    r.title.c_str());
      out += line;
    }
    return write_output(out_path, out) ? kExitOk : kExitError;
  }
  if (action == "show") {
    if (args.positional.size() != 2) {
      std::fprintf(stderr, "apkwarden rules show: give one rule ID\n");
      return kExitError;
    }
    const Rule* r = set.find(args.positional[1]);
    if (!r) {
      std::fprintf(stderr, "apkwarden rules show: no rule '%s' (see 'apkwarden rules list')\n",
                   args.positional[1].c_str());
      return kExitError;
    }
    if (json) {
      report::JsonWriter w(2);
      write_rule_json(w, *r, true);
      return write_output(out_path, w.take() + "\n") ? kExitOk : kExitError;
    }
    return write_output(out_path, rule_text(*r)) ? kExitOk : kExitError;
  }
  std::fprintf(stderr, "apkwarden rules: unknown action '%s' (list, show ID, check FILE)\n", action.c_str());
  return kExitError;
}

}  // namespace

Command rules_command() {
  return {{"rules",
           "list | show ID | check FILE",
           "The behaviour rules: 'list' them, 'show' one (metadata and match tree), or 'check' a\n"
           "rule file or directory of your own (exit 0 when valid, 1 with file:line problems).\n"
           "The format is documented in docs/rules.md.",
           {{"format", 'f', "FORMAT", "output format (list, show)", {"text", "json"}},
            {"output", 'o', "FILE", "write to FILE instead of stdout", {}},
            rules_option()},
           1,
           2},
          run_rules};
}

}  // namespace apkwarden::cli
