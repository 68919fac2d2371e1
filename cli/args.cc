#include "cli/args.h"

namespace apkwarden::cli {

namespace {

const OptionSpec* find_long(const CommandSpec& spec, std::string_view name) {
  for (const auto& o : spec.options)
    if (o.name == name) return &o;
  return nullptr;
}

const OptionSpec* find_short(const CommandSpec& spec, char c) {
  for (const auto& o : spec.options)
    if (o.short_name != 0 && o.short_name == c) return &o;
  return nullptr;
}

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

}  // namespace

std::optional<std::string> ParsedArgs::value(std::string_view name) const {
  auto it = values_.find(std::string(name));
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> ParsedArgs::values(std::string_view name) const {
  auto it = values_.find(std::string(name));
  return it == values_.end() ? std::vector<std::string>() : it->second;
}

std::string ParsedArgs::value_or(std::string_view name, std::string fallback) const {
  auto v = value(name);
  return v ? *v : std::move(fallback);
}

ParseOutcome parse_args(const CommandSpec& spec, int argc, char** argv, int first) {
  ParseOutcome out;
  const auto fail = [&](std::string msg) {
    out.error = "apkwarden " + spec.name + ": " + msg + " (see 'apkwarden " + spec.name + " --help')";
    return out;
  };
  bool options_done = false;
  for (int i = first; i < argc; ++i) {
    std::string_view a = argv[i];
    if (options_done || a.size() < 2 || a[0] != '-') {
      out.args.positional.emplace_back(a);
      continue;
    }
    if (a == "--") {
      options_done = true;
      continue;
    }
    if (a == "--help" || a == "-h") {
      out.help = true;
      return out;
    }
    const OptionSpec* opt = nullptr;
    std::optional<std::string> inline_value;
    if (a.substr(0, 2) == "--") {
      std::string_view body = a.substr(2);
      const size_t eq = body.find('=');
      if (eq != std::string_view::npos) {
        inline_value = std::string(body.substr(eq + 1));
        body = body.substr(0, eq);
      }
      opt = find_long(spec, body);
    } else if (a.size() == 2) {
      opt = find_short(spec, a[1]);
    }
    if (!opt) return fail("unknown option '" + std::string(a) + "'");
    if (opt->value_name.empty()) {
      if (inline_value) return fail("option --" + opt->name + " takes no value");
      out.args.set(opt->name, "");
      continue;
    }
    std::string v;
    if (inline_value) v = *inline_value;
    else if (i + 1 < argc) v = argv[++i];
    else return fail("option --" + opt->name + " needs a value");
    if (!opt->choices.empty()) {
      bool allowed = false;
      for (const auto& c : opt->choices) allowed |= c == v;
      if (!allowed) return fail("--" + opt->name + " must be one of " + join(opt->choices, ", ") + ", not '" + v + "'");
    }
    out.args.set(opt->name, std::move(v));
  }
  if (out.args.positional.size() < spec.min_positional) return fail("missing " + spec.usage);
  if (out.args.positional.size() > spec.max_positional) return fail("too many arguments");
  out.ok = true;
  return out;
}

std::string help_text(const CommandSpec& spec) {
  std::string out = "usage: apkwarden " + spec.name + " [options] " + spec.usage + "\n\n" + spec.summary + "\n";
  if (spec.options.empty()) return out;
  out += "\noptions:\n";
  std::vector<std::pair<std::string, std::string>> rows;
  size_t width = 0;
  for (const auto& o : spec.options) {
    std::string left = o.short_name ? std::string("-") + o.short_name + ", --" + o.name : "    --" + o.name;
    if (!o.value_name.empty()) left += " " + o.value_name;
    std::string right = o.help;
    if (!o.choices.empty()) right += " (" + join(o.choices, "|") + ")";
    if (o.repeatable) right += " (repeatable)";
    width = std::max(width, left.size());
    rows.emplace_back(std::move(left), std::move(right));
  }
  rows.emplace_back("-h, --help", "show this help");
  for (const auto& [l, r] : rows) out += "  " + l + std::string(width + 2 - std::min(width, l.size()), ' ') + r + "\n";
  return out;
}

}  // namespace apkwarden::cli
