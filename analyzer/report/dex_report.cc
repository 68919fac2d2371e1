#include "analyzer/report/dex_report.h"

#include <cstdio>

#include "analyzer/report/json_writer.h"
#include "analyzer/report/report.h"

namespace apkwarden::report {

namespace {

void write_counts(JsonWriter& w, const dex::DexStats& s) {
  w.field("classes", s.classes);
  w.field("methods", s.methods);
  w.field("methods_with_code", s.methods_with_code);
  w.field("instructions", s.instructions);
  w.field("code_units", s.code_units);
  w.field("malformed_methods", s.malformed_methods);
}

}  // namespace

std::string to_json(const DexInspection& d) {
  JsonWriter w(2);
  w.begin_object();
  w.field("schema_version", kSchemaVersion);
  w.field("path", d.path);
  w.field("dex_files", static_cast<uint64_t>(d.files.size()));
  w.field("dex_bytes", d.dex_bytes);
  write_counts(w, d.total);
  w.key("opcodes").begin_object();
  d.total.opcodes.for_each([&](dex::Opcode, std::string_view name, uint64_t count) { w.field(name, count); });
  w.end_object();
  w.key("files").begin_array();
  for (const auto& f : d.files) {
    w.begin_object().field("name", f.name).field("version", f.version).field("size", f.size);
    write_counts(w, f.stats);
    w.end_object();
  }
  w.end_array();
  w.key("diagnostics").begin_array();
  for (const auto& x : d.diagnostics)
    w.begin_object().field("code", x.code).field("message", x.message).field("where", x.where).end_object();
  w.end_array();
  w.end_object();
  return w.take();
}

std::string to_text(const DexInspection& d) {
  std::string out = d.path + ": " + std::to_string(d.files.size()) + " dex file(s), " +
                    std::to_string(d.dex_bytes) + " bytes\n\n";
  char line[160];
  std::snprintf(line, sizeof line, "%-28s %8s %9s %9s %12s\n", "file", "classes", "methods", "with code",
                "instructions");
  out += line;
  const auto row = [&](const std::string& name, const dex::DexStats& s) {
    std::snprintf(line, sizeof line, "%-28s %8llu %9llu %9llu %12llu\n", name.c_str(),
                  static_cast<unsigned long long>(s.classes), static_cast<unsigned long long>(s.methods),
                  static_cast<unsigned long long>(s.methods_with_code),
                  static_cast<unsigned long long>(s.instructions));
    out += line;
  };
  for (const auto& f : d.files) row(f.name, f.stats);
  row("total", d.total);
  out += "\nopcodes (" + std::to_string(d.total.opcodes.distinct()) + " distinct):\n";
  d.total.opcodes.for_each([&](dex::Opcode, std::string_view name, uint64_t count) {
    std::snprintf(line, sizeof line, "  %-26.*s %12llu\n", static_cast<int>(name.size()), name.data(),
                  static_cast<unsigned long long>(count));
    out += line;
  });
  if (!d.diagnostics.empty()) {
    out += "\ndiagnostics (" + std::to_string(d.diagnostics.size()) + "):\n";
    for (const auto& x : d.diagnostics) out += "  " + x.code + "  " + x.where + ": " + x.message + "\n";
  }
  return out;
}

}  // namespace apkwarden::report
