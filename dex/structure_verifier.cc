#include "dex/structure_verifier.h"

#include <map>
#include <string>
#include <unordered_set>
#include <vector>

#include "dex/annotations.h"
#include "dex/class_data.h"
#include "dex/code_item.h"
#include "dex/debug_info.h"
#include "dex/encoded_value.h"
#include "dex/limits.h"
#include "dex/mutf8.h"

namespace apkwarden::dex {

namespace {

constexpr uint32_t kClassDefSize = 32;

class Verifier {
 public:
  Verifier(const DexFile& dex, Diagnostics* out) : dex_(dex), out_(out) {}

  StructureStats run() {
    check_strings();
    check_types();
    check_protos();
    check_fields();
    check_methods();
    check_method_handles();
    check_call_sites();
    check_class_defs();
    finish();
    return stats_;
  }

 private:
  void report(const char* code, std::string message, uint64_t offset) {
    report(Diagnostic{code, std::move(message), dex_.where(offset)});
  }
  void report(Diagnostic d) {
    uint32_t& n = counts_[d.code];
    ++n;
    if (n > limits::kMaxDiagnosticsPerCode) {
      ++suppressed_;
      return;
    }
    ++stats_.diagnostics;
    if (out_) out_->push_back(std::move(d));
  }
  // Moves what a sub-reader collected in `scratch_` through the per-code cap.
  void flush() {
    for (Diagnostic& d : scratch_) report(std::move(d));
    scratch_.clear();
  }
  void finish() {
    if (suppressed_ == 0) return;
    ++stats_.diagnostics;
    if (out_)
      out_->push_back(Diagnostic{"dex-verifier-diagnostics-suppressed",
                                 std::to_string(suppressed_) + " further structural diagnostics were not reported",
                                 dex_.location()});
  }

  uint64_t table_entry(uint32_t table_off, uint32_t index, uint32_t elem) const {
    return uint64_t{table_off} + uint64_t{index} * elem;
  }

  void check_strings() {
    const DexHeader& h = dex_.header();
    for (uint32_t i = 0; i < dex_.string_ids_size(); ++i) {
      auto data = dex_.string_data_checked(StringIdx(i));
      if (data) {
        ByteCursor c(dex_.container(), dex_.string_data_offset(StringIdx(i)));
        const uint32_t declared = c.uleb128();
        if (declared != mutf8_utf16_length(*data))
          report("dex-string-length-mismatch",
                 "string " + std::to_string(i) + " declares " + std::to_string(declared) + " UTF-16 units but holds " +
                     std::to_string(mutf8_utf16_length(*data)),
                 table_entry(h.string_ids_off, i, 4));
        continue;
      }
      report("dex-bad-string-data",
             "string " + std::to_string(i) + " data at " + std::to_string(dex_.string_data_offset(StringIdx(i))) +
                 " is outside the file, unterminated or longer than declared",
             table_entry(h.string_ids_off, i, 4));
    }
  }

  void check_types() {
    const DexHeader& h = dex_.header();
    for (uint32_t i = 0; i < dex_.type_ids_size(); ++i) {
      const StringIdx s = dex_.type_descriptor_idx(TypeIdx(i));
      if (!dex_.valid(s))
        report("dex-bad-type-id", "type " + std::to_string(i) + " names an out-of-range string",
               table_entry(h.type_ids_off, i, 4));
    }
  }

  bool type_list_ok(uint32_t off) {
    if (!dex_.type_list_in_range(off)) return false;
    const TypeList l = dex_.type_list(off);
    for (uint32_t i = 0; i < l.size(); ++i)
      if (!dex_.valid(l[i])) return false;
    return true;
  }

  void check_protos() {
    const DexHeader& h = dex_.header();
    for (uint32_t i = 0; i < dex_.proto_ids_size(); ++i) {
      auto p = dex_.proto_id(ProtoIdx(i));
      if (!p || !dex_.valid(p->shorty) || !dex_.valid(p->return_type) || !type_list_ok(p->parameters_off))
        report("dex-bad-proto-id", "proto " + std::to_string(i) + " has an out-of-range index or parameter list",
               table_entry(h.proto_ids_off, i, 12));
    }
  }

  void check_fields() {
    const DexHeader& h = dex_.header();
    for (uint32_t i = 0; i < dex_.field_ids_size(); ++i) {
      auto f = dex_.field_id(FieldIdx(i));
      if (!f || !dex_.valid(f->class_idx) || !dex_.valid(f->type_idx) || !dex_.valid(f->name_idx))
        report("dex-bad-field-id", "field " + std::to_string(i) + " has an out-of-range index",
               table_entry(h.field_ids_off, i, 8));
    }
  }

  void check_methods() {
    const DexHeader& h = dex_.header();
    for (uint32_t i = 0; i < dex_.method_ids_size(); ++i) {
      auto m = dex_.method_id(MethodIdx(i));
      if (!m || !dex_.valid(m->class_idx) || !dex_.valid(m->proto_idx) || !dex_.valid(m->name_idx))
        report("dex-bad-method-id", "method " + std::to_string(i) + " has an out-of-range index",
               table_entry(h.method_ids_off, i, 8));
    }
  }

  void check_method_handles() {
    for (uint32_t i = 0; i < dex_.method_handles_size(); ++i) {
      auto mh = dex_.method_handle(MethodHandleIdx(i));
      if (!mh) continue;
      // Types 0..3 are field accessors (static-put, static-get, instance-put, instance-get).
      const bool field = mh->type <= 3;
      const bool ok = mh->type <= 8 && (field ? dex_.valid(FieldIdx(mh->field_or_method_idx))
                                              : dex_.valid(MethodIdx(mh->field_or_method_idx)));
      if (!ok)
        report("dex-bad-method-handle", "method handle " + std::to_string(i) + " has a bad type or index",
               dex_.header_offset());
    }
  }

  void check_call_sites() {
    for (uint32_t i = 0; i < dex_.call_site_ids_size(); ++i) {
      const uint32_t off = dex_.call_site_offset(CallSiteIdx(i));
      EncodedArrayReader r = call_site_reader(dex_, CallSiteIdx(i));
      EncodedValue v;
      uint32_t n = 0;
      bool ok = r.ok();
      while (r.next(v)) {
        ++stats_.encoded_values;
        ok &= encoded_value_index_valid(dex_, v);
        ++n;
      }
      ok &= r.ok() && n >= 3;
      if (!ok)
        report("dex-bad-call-site", "call site " + std::to_string(i) + " is malformed or refers out of range", off);
    }
  }

  void check_class_defs() {
    const DexHeader& h = dex_.header();
    const uint64_t file_size = dex_.container().size();
    std::unordered_set<uint32_t> seen_classes;
    for (uint32_t i = 0; i < dex_.class_defs_size(); ++i) {
      auto def = dex_.class_def(ClassDefIdx(i));
      if (!def) continue;
      ++stats_.class_defs;
      const uint64_t at = table_entry(h.class_defs_off, i, kClassDefSize);
      if (!dex_.valid(def->class_idx)) {
        report("dex-bad-class-def", "class def " + std::to_string(i) + " names an out-of-range type", at);
      } else if (!seen_classes.insert(def->class_idx.value).second) {
        report("dex-duplicate-class-def",
               "class " + std::string(dex_.type_descriptor(def->class_idx)) + " is defined twice in this dex", at);
      }
      if (def->superclass_idx.valid() && !dex_.valid(def->superclass_idx))
        report("dex-bad-class-def", "class def " + std::to_string(i) + " has an out-of-range superclass", at);
      if (def->superclass_idx == def->class_idx)
        report("dex-class-extends-itself",
               "class " + std::string(dex_.type_descriptor(def->class_idx)) + " is its own superclass", at);
      if (!type_list_ok(def->interfaces_off))
        report("dex-bad-class-def", "class def " + std::to_string(i) + " has a bad interface list", at);
      if (def->source_file_idx.valid() && !dex_.valid(def->source_file_idx))
        report("dex-bad-class-def", "class def " + std::to_string(i) + " has an out-of-range source file", at);
      if (def->annotations_off >= file_size || def->class_data_off >= file_size || def->static_values_off >= file_size)
        report("dex-bad-class-def", "class def " + std::to_string(i) + " has an offset outside the file", at);
      check_class_data(*def);
      check_static_values(*def);
      check_annotations(*def);
    }
  }

  // Structures may be shared between referrers (legitimately or to make a walker quadratic):
  // each one is checked once, so the pass stays linear in the file size.
  bool first_visit(std::unordered_set<uint32_t>& seen, uint32_t off) { return seen.insert(off).second; }

  void check_class_data(const ClassDef& def) {
    if (def.class_data_off == 0 || def.class_data_off >= dex_.container().size()) return;
    if (!first_visit(seen_class_data_, def.class_data_off)) {
      report("dex-shared-class-data", "class_data_item is shared by several class defs", def.class_data_off);
      return;
    }
    ClassDataReader r(dex_, def, &scratch_);
    ClassMember m;
    int group = -1;
    uint32_t prev = 0;
    while (r.next(m)) {
      if (static_cast<int>(m.kind) == group && m.index <= prev)
        report("dex-class-data-unordered", "class data member index " + std::to_string(m.index) +
                                               " is not greater than the previous one",
               m.offset);
      group = static_cast<int>(m.kind);
      prev = m.index;
      if (m.is_field()) {
        ++stats_.fields;
        continue;
      }
      ++stats_.methods;
      check_method(m);
    }
    flush();
  }

  void check_method(const ClassMember& m) {
    const bool no_code_expected = (m.access_flags & (kAccAbstract | kAccNative)) != 0;
    if (m.code_off == 0) {
      if (!no_code_expected)
        report("dex-method-without-code", dex_.pretty_method(m.method()) + " is concrete but has no code", m.offset);
      return;
    }
    if (no_code_expected)
      report("dex-abstract-method-with-code", dex_.pretty_method(m.method()) + " is abstract or native but has code",
             m.offset);
    if (m.code_off % 4 != 0) report("dex-misaligned-section", "code_item is not 4-byte aligned", m.code_off);
    if (!first_visit(seen_code_, m.code_off)) return;
    auto ci = CodeItem::at(dex_, m.code_off);
    if (!ci) {
      report(ci.error().code == ErrorCode::kLimitExceeded ? "dex-code-too-large" : "dex-bad-code-item",
             dex_.pretty_method(m.method()) + ": " + ci.error().message, m.code_off);
      return;
    }
    ++stats_.code_items;
    stats_.code_units += ci->insns_size();
    if (ci->ins_size() > ci->registers_size())
      report("dex-code-ins-exceed-registers",
             dex_.pretty_method(m.method()) + " has ins_size " + std::to_string(ci->ins_size()) + " > registers_size " +
                 std::to_string(ci->registers_size()),
             m.code_off);
    check_tries(*ci, m);
    if (ci->debug_info_off() != 0) {
      auto dbg = decode_debug_info(dex_, ci->debug_info_off(), ci->insns_size(), &scratch_);
      flush();
      if (!dbg)
        report("dex-bad-debug-info", dbg.error().message, ci->debug_info_off());
      else
        stats_.debug_positions += dbg->lines.size();
    }
  }

  void check_tries(const CodeItem& ci, const ClassMember& m) {
    if (ci.tries_size() == 0) return;
    auto list_size = ci.handler_list_size();
    if (!list_size) {
      report("dex-code-bad-handler", dex_.pretty_method(m.method()) + ": unreadable catch handler list", m.code_off);
      return;
    }
    uint64_t prev_end = 0;
    for (uint32_t i = 0; i < ci.tries_size(); ++i) {
      auto t = ci.try_item(i);
      if (!t) break;
      ++stats_.try_items;
      const uint64_t end = uint64_t{t->start_addr} + t->insn_count;
      if (end > ci.insns_size())
        report("dex-code-try-out-of-range", dex_.pretty_method(m.method()) + ": try item " + std::to_string(i) +
                                                " covers code units past the end",
               m.code_off);
      if (t->start_addr < prev_end)
        report("dex-code-try-overlap", dex_.pretty_method(m.method()) + ": try items overlap or are unsorted",
               m.code_off);
      prev_end = end;
      CatchHandlerIterator it = ci.handlers_at(t->handler_off);
      CatchHandler hnd;
      bool bad_target = false, bad_type = false;
      while (it.next(hnd)) {
        ++stats_.catch_handlers;
        bad_target |= hnd.address >= ci.insns_size();
        bad_type |= !hnd.is_catch_all() && !dex_.valid(hnd.type);
      }
      if (!it.ok())
        report("dex-code-bad-handler", dex_.pretty_method(m.method()) + ": catch handler " + std::to_string(i) +
                                           " is malformed or out of range",
               m.code_off);
      if (bad_target)
        report("dex-code-handler-out-of-range",
               dex_.pretty_method(m.method()) + ": a catch handler address lies past the code", m.code_off);
      if (bad_type)
        report("dex-code-bad-handler", dex_.pretty_method(m.method()) + ": a catch type index is out of range",
               m.code_off);
    }
  }

  void check_static_values(const ClassDef& def) {
    if (def.static_values_off == 0 || def.static_values_off >= dex_.container().size()) return;
    if (!first_visit(seen_static_values_, def.static_values_off)) return;
    for (const StaticFieldValue& v : static_field_values(dex_, def, &scratch_)) {
      ++stats_.encoded_values;
      if (!encoded_value_index_valid(dex_, v.value))
        report("dex-bad-encoded-value", "static value of " + dex_.pretty_field(v.field) + " refers out of range",
               def.static_values_off);
      walk_nested(v.value, 0);
    }
    flush();
  }

  // Walks nested arrays / annotations so every value is checked once.
  void walk_nested(const EncodedValue& v, uint32_t depth) {
    if (v.type == ValueType::kArray) {
      EncodedArrayReader r(dex_, v.nested_offset, depth + 1);
      EncodedValue e;
      while (r.next(e)) visit_value(e, depth + 1, v.nested_offset);
    } else if (v.type == ValueType::kAnnotation) {
      EncodedAnnotationReader r(dex_, v.nested_offset, depth + 1);
      if (!dex_.valid(r.type()))
        report("dex-bad-encoded-value", "nested annotation type is out of range", v.nested_offset);
      AnnotationElement e;
      while (r.next(e)) {
        if (!dex_.valid(e.name))
          report("dex-bad-encoded-value", "annotation element name is out of range", v.nested_offset);
        visit_value(e.value, depth + 1, v.nested_offset);
      }
    }
  }

  void visit_value(const EncodedValue& v, uint32_t depth, uint64_t where) {
    ++stats_.encoded_values;
    if (!encoded_value_index_valid(dex_, v))
      report("dex-bad-encoded-value", std::string(value_type_name(v.type)) + " value refers out of range", where);
    if (depth < limits::kMaxEncodedValueDepth) walk_nested(v, depth);
  }

  void check_annotation_set(const AnnotationSet& set, uint32_t set_off) {
    if (set_off == 0 || !first_visit(seen_annotation_sets_, set_off)) return;
    const uint64_t where = set_off;
    if (!set.in_range()) {
      report("dex-bad-annotations", "annotation set lies outside the file", where);
      return;
    }
    for (uint32_t i = 0; i < set.size(); ++i) {
      auto a = set.at(i);
      if (!a) {
        report("dex-bad-annotations", "annotation item lies outside the file", where);
        continue;
      }
      ++stats_.annotations;
      if (!first_visit(seen_annotation_items_, a->offset)) continue;
      if (a->visibility > kVisibilitySystem)
        report("dex-bad-annotations", "annotation has unknown visibility " + std::to_string(a->visibility), a->offset);
      EncodedAnnotationReader r = a->elements(dex_);
      if (!dex_.valid(r.type())) report("dex-bad-annotations", "annotation type is out of range", a->offset);
      AnnotationElement e;
      while (r.next(e)) {
        if (!dex_.valid(e.name)) report("dex-bad-annotations", "annotation element name is out of range", a->offset);
        visit_value(e.value, 1, a->offset);
      }
      if (!r.ok()) report("dex-bad-annotations", "annotation elements are malformed", a->offset);
    }
  }

  void check_annotations(const ClassDef& def) {
    if (def.annotations_off == 0 || def.annotations_off >= dex_.container().size()) return;
    if (!first_visit(seen_directories_, def.annotations_off)) return;
    auto dir = AnnotationsDirectory::at(dex_, def.annotations_off);
    if (!dir) {
      report("dex-bad-annotations", dir.error().message, def.annotations_off);
      return;
    }
    check_annotation_set(dir->class_annotations(), dir->class_annotations_offset());
    for (uint32_t i = 0; i < dir->fields_size(); ++i) {
      auto e = dir->field_entry(i);
      if (!e) break;
      if (!dex_.valid(e->field)) report("dex-bad-annotations", "field annotation names an out-of-range field", def.annotations_off);
      check_annotation_set(AnnotationSet(dex_, e->annotations_off), e->annotations_off);
    }
    for (uint32_t i = 0; i < dir->methods_size(); ++i) {
      auto e = dir->method_entry(i);
      if (!e) break;
      if (!dex_.valid(e->method)) report("dex-bad-annotations", "method annotation names an out-of-range method", def.annotations_off);
      check_annotation_set(AnnotationSet(dex_, e->annotations_off), e->annotations_off);
    }
    for (uint32_t i = 0; i < dir->parameters_size(); ++i) {
      auto e = dir->parameter_entry(i);
      if (!e) break;
      if (!dex_.valid(e->method)) report("dex-bad-annotations", "parameter annotation names an out-of-range method", def.annotations_off);
      AnnotationSetRefList refs(dex_, e->annotations_off);
      if (!refs.in_range()) {
        report("dex-bad-annotations", "parameter annotation list lies outside the file", e->annotations_off);
        continue;
      }
      if (!first_visit(seen_ref_lists_, e->annotations_off)) continue;
      for (uint32_t p = 0; p < refs.size(); ++p) check_annotation_set(refs.at(p), refs.offset_at(p));
    }
  }

  const DexFile& dex_;
  Diagnostics* out_;
  Diagnostics scratch_;
  std::map<std::string, uint32_t> counts_;
  std::unordered_set<uint32_t> seen_class_data_, seen_code_, seen_static_values_, seen_directories_,
      seen_annotation_sets_, seen_annotation_items_, seen_ref_lists_;
  uint64_t suppressed_ = 0;
  StructureStats stats_;
};

}  // namespace

StructureStats verify_structure(const DexFile& dex, Diagnostics* diags) { return Verifier(dex, diags).run(); }

}  // namespace apkwarden::dex
