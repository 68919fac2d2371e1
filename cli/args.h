// Command-line parsing for the subcommands: each command declares its options once, and the
// same declaration produces the parser and the --help text.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace apkwarden::cli {

struct OptionSpec {
  std::string name;         // long name without dashes: "format"
  char short_name = 0;      // 'o' for -o, or 0
  std::string value_name;   // "FORMAT"; empty for a flag
  std::string help;
  std::vector<std::string> choices;  // allowed values, empty = any
  bool repeatable = false;  // may be given several times; values(name) returns them all
};

struct CommandSpec {
  std::string name;         // "scan"
  std::string usage;        // "APP.apk"
  std::string summary;      // one line
  std::vector<OptionSpec> options;
  size_t min_positional = 0;
  size_t max_positional = 1;
};

class ParsedArgs {
 public:
  std::vector<std::string> positional;

  bool flag(std::string_view name) const { return values_.count(std::string(name)) != 0; }
  // The last value given for `name`.
  std::optional<std::string> value(std::string_view name) const;
  std::string value_or(std::string_view name, std::string fallback) const;
  // Every value given for `name`, in command-line order (repeatable options).
  std::vector<std::string> values(std::string_view name) const;
  void set(const std::string& name, std::string value) { values_[name].push_back(std::move(value)); }

 private:
  std::map<std::string, std::vector<std::string>> values_;
};

struct ParseOutcome {
  bool ok = false;
  bool help = false;        // --help/-h was given: print help_text and exit 0
  std::string error;        // when !ok and !help
  ParsedArgs args;
};

// Parses argv[first..argc) against `spec`. Accepts --name=value, --name value, -o value,
// and "--" to end options.
ParseOutcome parse_args(const CommandSpec& spec, int argc, char** argv, int first);

std::string help_text(const CommandSpec& spec);

}  // namespace apkwarden::cli
