// A full walk of one dex through the public API, the way a consumer would: every string, every
// class def, its class data, code items, tries and handlers, debug info, static values,
// annotations (with nested encoded values), call sites and method handles. Used by the
// real-file cross-check against dexdump, the bit-flip sweep and the timing measurement.
#pragma once

#include <cstdint>
#include <string>

#include "dex/annotations.h"
#include "dex/class_data.h"
#include "dex/code_item.h"
#include "dex/debug_info.h"
#include "dex/dex_file.h"
#include "dex/encoded_value.h"
#include "dex/mutf8.h"

namespace apkwarden::test {

struct WalkCounts {
  uint64_t classes = 0, fields = 0, methods = 0, code_items = 0, code_units = 0, try_items = 0, handlers = 0,
           debug_positions = 0, annotations = 0, values = 0, string_bytes = 0, name_bytes = 0;
};

inline void walk_value(const dex::DexFile& d, const dex::EncodedValue& v, uint32_t depth, WalkCounts& n) {
  using namespace dex;
  ++n.values;
  if (v.type == ValueType::kString) n.string_bytes += d.string_data(v.string_idx()).size();
  if (v.type == ValueType::kArray) {
    EncodedArrayReader r(d, v.nested_offset, depth + 1);
    EncodedValue e;
    while (r.next(e)) walk_value(d, e, depth + 1, n);
  } else if (v.type == ValueType::kAnnotation) {
    EncodedAnnotationReader r(d, v.nested_offset, depth + 1);
    AnnotationElement e;
    while (r.next(e)) walk_value(d, e.value, depth + 1, n);
  }
}

inline void walk_annotation_set(const dex::DexFile& d, const dex::AnnotationSet& set, WalkCounts& n) {
  for (uint32_t i = 0; i < set.size(); ++i) {
    auto a = set.at(i);
    if (!a) continue;
    ++n.annotations;
    n.name_bytes += d.type_descriptor(a->type).size();
    dex::EncodedAnnotationReader r = a->elements(d);
    dex::AnnotationElement e;
    while (r.next(e)) {
      n.name_bytes += d.string_data(e.name).size();
      walk_value(d, e.value, 1, n);
    }
  }
}

// `deep` also builds people-facing names (allocating) for every method.
inline WalkCounts walk_dex(const dex::DexFile& d, bool deep = true) {
  using namespace dex;
  WalkCounts n;
  std::string storage;
  for (uint32_t i = 0; i < d.string_ids_size(); ++i)
    n.string_bytes += mutf8_view(d.string_data(StringIdx(i)), storage).size();
  for (uint32_t i = 0; i < d.class_defs_size(); ++i) {
    auto def = d.class_def(ClassDefIdx(i));
    if (!def) continue;
    ++n.classes;
    n.name_bytes += d.class_descriptor(*def).size() + d.superclass_descriptor(*def).size() + d.source_file(*def).size();
    const TypeList ifaces = d.class_interfaces(*def);
    for (uint32_t k = 0; k < ifaces.size(); ++k) n.name_bytes += d.type_descriptor(ifaces[k]).size();
    ClassDataReader r(d, *def);
    ClassMember m;
    while (r.next(m)) {
      if (m.is_field()) {
        ++n.fields;
        n.name_bytes += d.field_name(m.field()).size() + d.field_type(m.field()).size();
        continue;
      }
      ++n.methods;
      n.name_bytes += d.method_name(m.method()).size();
      if (deep) n.name_bytes += d.pretty_method(m.method()).size() + d.pretty_method_java(m.method()).size();
      if (m.code_off == 0) continue;
      auto ci = CodeItem::at(d, m.code_off);
      if (!ci) continue;
      ++n.code_items;
      n.code_units += ci->insns_size();
      uint64_t sum = 0;
      const ByteSpan insns = ci->insns_bytes();
      for (size_t b = 0; b < insns.size(); b += 64) sum += insns[b];
      n.values += sum & 1;
      for (uint32_t t = 0; t < ci->tries_size(); ++t) {
        auto ti = ci->try_item(t);
        if (!ti) break;
        ++n.try_items;
        CatchHandlerIterator it = ci->handlers_at(ti->handler_off);
        CatchHandler h;
        while (it.next(h)) {
          ++n.handlers;
          if (!h.is_catch_all()) n.name_bytes += d.type_descriptor(h.type).size();
        }
      }
      (void)ci->end_offset();
      if (ci->debug_info_off() != 0) {
        auto dbg = decode_debug_info(d, ci->debug_info_off(), ci->insns_size());
        if (dbg) n.debug_positions += dbg->lines.size();
      }
    }
    for (const StaticFieldValue& v : static_field_values(d, *def)) walk_value(d, v.value, 0, n);
    const AnnotationsDirectory dir = annotations_of(d, *def);
    walk_annotation_set(d, dir.class_annotations(), n);
    for (uint32_t k = 0; k < dir.fields_size(); ++k)
      if (auto e = dir.field_entry(k)) walk_annotation_set(d, AnnotationSet(d, e->annotations_off), n);
    for (uint32_t k = 0; k < dir.methods_size(); ++k)
      if (auto e = dir.method_entry(k)) walk_annotation_set(d, AnnotationSet(d, e->annotations_off), n);
    for (uint32_t k = 0; k < dir.parameters_size(); ++k)
      if (auto e = dir.parameter_entry(k)) {
        AnnotationSetRefList refs(d, e->annotations_off);
        for (uint32_t p = 0; p < refs.size(); ++p) walk_annotation_set(d, refs.at(p), n);
      }
  }
  for (uint32_t i = 0; i < d.call_site_ids_size(); ++i) {
    EncodedArrayReader r = call_site_reader(d, CallSiteIdx(i));
    EncodedValue v;
    while (r.next(v)) walk_value(d, v, 0, n);
  }
  for (uint32_t i = 0; i < d.method_handles_size(); ++i) n.values += d.method_handle(MethodHandleIdx(i)).has_value();
  return n;
}

}  // namespace apkwarden::test
