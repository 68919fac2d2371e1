#include "dex/dex_dump.h"

#include <cstdio>

#include "dex/access_flags.h"
#include "dex/class_data.h"
#include "dex/code_item.h"
#include "dex/code_walker.h"
#include "dex/dex_file.h"

namespace apkwarden::dex {

std::string DexIndexNamer::string(uint32_t idx) {
  if (!dex_.valid(StringIdx(idx))) return IndexNamer::string(idx);
  return quote_string_literal(dex_.string(StringIdx(idx)));
}

std::string DexIndexNamer::type(uint32_t idx) {
  if (!dex_.valid(TypeIdx(idx))) return IndexNamer::type(idx);
  return std::string(dex_.type_descriptor(TypeIdx(idx)));
}

std::string DexIndexNamer::field(uint32_t idx) {
  if (!dex_.valid(FieldIdx(idx))) return IndexNamer::field(idx);
  return dex_.pretty_field(FieldIdx(idx));
}

std::string DexIndexNamer::method(uint32_t idx) {
  if (!dex_.valid(MethodIdx(idx))) return IndexNamer::method(idx);
  return dex_.pretty_method(MethodIdx(idx));
}

std::string DexIndexNamer::proto(uint32_t idx) {
  if (!dex_.valid(ProtoIdx(idx))) return IndexNamer::proto(idx);
  return dex_.proto_signature(ProtoIdx(idx));
}

std::string access_flags_text(uint32_t flags, bool for_method) {
  struct Name {
    uint32_t bit;
    const char* text;
    int where;  // 0 any, 1 methods only, 2 not methods
  };
  static constexpr Name kNames[] = {
      {kAccPublic, "public", 0},         {kAccPrivate, "private", 0},       {kAccProtected, "protected", 0},
      {kAccStatic, "static", 0},         {kAccFinal, "final", 0},           {kAccSynchronized, "synchronized", 1},
      {kAccBridge, "bridge", 1},         {kAccVarargs, "varargs", 1},       {kAccNative, "native", 1},
      {kAccInterface, "interface", 2},   {kAccAbstract, "abstract", 0},     {kAccStrict, "strictfp", 1},
      {kAccSynthetic, "synthetic", 0},   {kAccAnnotation, "annotation", 2}, {kAccEnum, "enum", 2},
      {kAccConstructor, "constructor", 1}, {kAccDeclaredSynchronized, "declared-synchronized", 1},
  };
  // Fields reuse 0x40/0x80 as volatile/transient.
  std::string out;
  const auto add = [&](const char* t) {
    if (!out.empty()) out += ' ';
    out += t;
  };
  for (const Name& n : kNames) {
    if (!(flags & n.bit)) continue;
    if (!for_method && n.bit == kAccBridge) add("volatile");
    else if (!for_method && n.bit == kAccVarargs) add("transient");
    else if ((n.where == 1 && !for_method) || (n.where == 2 && for_method)) continue;
    else add(n.text);
  }
  return out;
}

namespace {

void dump_code(const DexFile& dex, uint32_t code_off, DexIndexNamer& namer, std::string& out) {
  auto code = CodeItem::at(dex, code_off);
  if (!code) {
    out += "    # code item unreadable: " + code.error().message + "\n";
    return;
  }
  out += "    .registers " + std::to_string(code->registers_size()) + "\n";
  CodeWalker walker(code->insns_bytes());
  Instruction insn;
  char pc[16];
  while (walker.next(insn)) {
    std::snprintf(pc, sizeof pc, "%04x: ", insn.pc);
    out += "    ";
    out += pc;
    append_instruction(out, insn, namer, FormatStyle::kPlain);
    out += '\n';
  }
  if (walker.stop() != WalkStop::kEnd)
    out += "    # decoding stopped at " + std::to_string(walker.stop_pc()) + ": " + walk_stop_name(walker.stop()) + "\n";
}

}  // namespace

void dump_class(const DexFile& dex, ClassDefIdx idx, std::string& out) {
  auto def = dex.class_def(idx);
  if (!def) return;
  DexIndexNamer namer(dex);
  std::string flags = access_flags_text(def->access_flags, false);
  out += ".class " + (flags.empty() ? "" : flags + " ") + std::string(dex.class_descriptor(*def)) + "\n";
  if (def->superclass_idx.value != kNoIndex) out += ".super " + std::string(dex.superclass_descriptor(*def)) + "\n";
  const TypeList interfaces = dex.class_interfaces(*def);
  for (uint32_t i = 0; i < interfaces.size(); ++i)
    out += ".implements " + std::string(dex.type_descriptor(interfaces[i])) + "\n";
  if (def->source_file_idx.value != kNoIndex) out += ".source " + quote_string_literal(dex.source_file(*def)) + "\n";
  out += "# " + dex.location() + "\n";
  if (def->class_data_off == 0) {
    out += "\n";
    return;
  }
  ClassDataReader reader(dex, *def);
  ClassMember m;
  while (reader.next(m)) {
    const std::string mflags = access_flags_text(m.access_flags, m.is_method());
    const std::string prefix = mflags.empty() ? "" : mflags + " ";
    if (m.is_field()) {
      out += "\n.field " + prefix + std::string(dex.field_name(m.field())) + ":" +
             std::string(dex.field_type(m.field())) + "\n";
      continue;
    }
    auto mid = dex.method_id(m.method());
    out += "\n.method " + prefix + std::string(dex.method_name(m.method())) +
           (mid ? dex.proto_signature(mid->proto_idx) : std::string("?")) + "\n";
    if (m.code_off != 0) dump_code(dex, m.code_off, namer, out);
    out += ".end method\n";
  }
  if (!reader.ok()) out += "# class data malformed; the rest is not shown\n";
  out += "\n";
}

}  // namespace apkwarden::dex
