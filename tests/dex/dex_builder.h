// An in-test DEX builder: assembles a small, valid dex (sorted id tables, class data, code
// items with tries and handlers, debug info, static values, annotations, map list, checksum
// and signature) from a description, and records where each structure landed so a test can
// mutate exactly one of them. `dexdump` accepts its output (see dex_builder_test.cc).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "dex/byte_span.h"
#include "dex/checksum.h"

namespace apkwarden::test {

struct DexValue {
  enum Kind { kInt, kLong, kString, kType, kBool, kNull, kArray } kind = kNull;
  int64_t i = 0;
  std::string s;
  std::vector<DexValue> items;
  static DexValue Int(int64_t v) { return DexValue{kInt, v, {}, {}}; }
  static DexValue Long(int64_t v) { return DexValue{kLong, v, {}, {}}; }
  static DexValue Str(std::string v) { return DexValue{kString, 0, std::move(v), {}}; }
  static DexValue Type(std::string v) { return DexValue{kType, 0, std::move(v), {}}; }
  static DexValue Bool(bool v) { return DexValue{kBool, v ? 1 : 0, {}, {}}; }
  static DexValue Null() { return DexValue{}; }
  static DexValue Array(std::vector<DexValue> v) { return DexValue{kArray, 0, {}, std::move(v)}; }
};

struct DexAnnotation {
  std::string type;
  uint8_t visibility = 1;  // runtime
  std::vector<std::pair<std::string, DexValue>> elements;
};

struct DexTry {
  uint32_t start = 0;
  uint16_t count = 0;
  std::vector<std::pair<std::string, uint32_t>> handlers;  // exception type -> address
  std::optional<uint32_t> catch_all;
};

struct DexMethod {
  std::string name;
  std::string ret = "V";
  std::vector<std::string> params;
  uint32_t flags = 0x0001;  // public
  bool direct = false;      // static/private/constructor methods are direct
  bool has_code = true;
  uint16_t registers = 1, ins = 0, outs = 0;
  std::vector<uint16_t> insns{0x000e};  // return-void
  std::vector<DexTry> tries;
  std::optional<uint32_t> line_start;  // debug info when set
  std::vector<uint8_t> debug_ops{0x00};  // after the header; must end with DBG_END_SEQUENCE
  std::vector<DexAnnotation> annotations;
};

struct DexField {
  std::string name, type = "I";
  uint32_t flags = 0x0001;
  bool is_static = false;
  std::optional<DexValue> initial;
};

struct DexClass {
  std::string descriptor;
  std::string super = "Ljava/lang/Object;";  // empty: no superclass
  std::vector<std::string> interfaces;
  uint32_t flags = 0x0001;
  std::string source_file;
  std::vector<DexField> fields;
  std::vector<DexMethod> methods;
  std::vector<DexAnnotation> annotations;
};

// Where things landed in the built file.
struct DexLayout {
  uint32_t string_ids_off = 0, type_ids_off = 0, proto_ids_off = 0, field_ids_off = 0, method_ids_off = 0,
           class_defs_off = 0, map_off = 0, data_off = 0;
  std::map<std::string, uint32_t> strings, types;  // value -> index
  std::map<std::string, uint32_t> methods;          // "Lx;.name:(I)V" -> index
  std::map<std::string, uint32_t> fields;           // "Lx;.name:I" -> index
  std::map<std::string, uint32_t> code_off, debug_info_off;  // by method key
  std::vector<uint32_t> class_data_off, static_values_off, annotations_off;  // by class
  std::vector<uint32_t> string_data_off;                                    // by string index
};

// ULEB/SLEB writers, also used by tests to craft mutations.
inline void put_uleb(std::vector<uint8_t>& out, uint32_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    if (v) b |= 0x80;
    out.push_back(b);
  } while (v);
}
inline void put_sleb(std::vector<uint8_t>& out, int32_t v) {
  bool more = true;
  while (more) {
    uint8_t b = v & 0x7f;
    v >>= 7;
    if ((v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40))) more = false;
    else b |= 0x80;
    out.push_back(b);
  }
}
inline void put_u16(std::vector<uint8_t>& out, uint16_t v) {
  out.push_back(v & 0xff);
  out.push_back(v >> 8);
}
inline void put_u32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
inline void set_u32(std::vector<uint8_t>& out, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) out[at + i] = static_cast<uint8_t>(v >> (8 * i));
}
inline void set_u16(std::vector<uint8_t>& out, size_t at, uint16_t v) {
  out[at] = v & 0xff;
  out[at + 1] = v >> 8;
}
inline uint32_t get_u32(const std::vector<uint8_t>& b, size_t at) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= uint32_t{b[at + i]} << (8 * i);
  return v;
}

// Recomputes the signature and checksum after a mutation (so the mutation under test is the
// only anomaly).
// For a dex inside a DEX 041 container, pass its header offset: the digests cover
// [base, base + file_size).
inline void fix_digests(std::vector<uint8_t>& b, size_t base = 0) {
  if (b.size() < base + 0x70) return;
  const uint64_t claimed = uint64_t{base} + get_u32(b, base + 32);
  const size_t end = claimed <= b.size() && claimed >= base + 0x70 ? static_cast<size_t>(claimed) : b.size();
  const auto sig = dex::sha1(ByteSpan(b.data() + base + 32, end - base - 32));
  std::memcpy(b.data() + base + 12, sig.data(), 20);
  set_u32(b, base + 8, dex::adler32(ByteSpan(b.data() + base + 12, end - base - 12)));
}

class DexBuilder {
 public:
  uint32_t version = 35;
  // DEX 041 containers: the offset this dex's header will have in the container. build()
  // then returns `base` zero bytes followed by the dex, all offsets container-relative.
  uint32_t base = 0;
  uint32_t header_size() const { return version >= 41 ? 0x78 : 0x70; }

  DexClass& add_class(std::string descriptor) {
    classes_.push_back(DexClass{});
    classes_.back().descriptor = std::move(descriptor);
    return classes_.back();
  }
  void add_string(std::string s) { extra_strings_.insert(std::move(s)); }
  void add_type(std::string t) { extra_types_.insert(std::move(t)); }
  void add_method_ref(std::string cls, std::string name, std::string ret, std::vector<std::string> params) {
    extra_methods_.push_back({std::move(cls), std::move(name), std::move(ret), std::move(params)});
  }
  void add_field_ref(std::string cls, std::string name, std::string type) {
    extra_fields_.push_back({std::move(cls), std::move(name), std::move(type)});
  }

  static std::string method_key(const std::string& cls, const std::string& name, const std::string& ret,
                                const std::vector<std::string>& params) {
    std::string k = cls + "." + name + ":(";
    for (auto& p : params) k += p;
    return k + ")" + ret;
  }

  std::vector<uint8_t> build(DexLayout* layout_out = nullptr) const {
    DexLayout L;
    // ---- collect strings and types ----
    std::set<std::string> strings = extra_strings_;
    std::set<std::string> types = extra_types_;
    auto type = [&](const std::string& t) {
      types.insert(t);
      strings.insert(t);
    };
    auto shorty_char = [](const std::string& t) { return t[0] == '[' ? 'L' : t[0]; };
    auto shorty = [&](const std::string& ret, const std::vector<std::string>& ps) {
      std::string s(1, shorty_char(ret));
      for (auto& p : ps) s += shorty_char(p);
      return s;
    };
    std::vector<MRefIn> mrefs = extra_methods_;
    std::vector<FRefIn> frefs = extra_fields_;
    std::function<void(const DexValue&)> value_strings = [&](const DexValue& v) {
      if (v.kind == DexValue::kString) strings.insert(v.s);
      if (v.kind == DexValue::kType) type(v.s);
      for (auto& i : v.items) value_strings(i);
    };
    auto annotation_strings = [&](const DexAnnotation& a) {
      type(a.type);
      for (auto& [n, v] : a.elements) {
        strings.insert(n);
        value_strings(v);
      }
    };
    for (const DexClass& c : classes_) {
      type(c.descriptor);
      if (!c.super.empty()) type(c.super);
      for (auto& i : c.interfaces) type(i);
      if (!c.source_file.empty()) strings.insert(c.source_file);
      for (auto& a : c.annotations) annotation_strings(a);
      for (const DexField& f : c.fields) {
        frefs.push_back({c.descriptor, f.name, f.type});
        if (f.initial) value_strings(*f.initial);
      }
      for (const DexMethod& m : c.methods) {
        mrefs.push_back({c.descriptor, m.name, m.ret, m.params});
        for (auto& t : m.tries)
          for (auto& h : t.handlers) type(h.first);
        for (auto& a : m.annotations) annotation_strings(a);
      }
    }
    for (auto& f : frefs) {
      type(f.cls);
      type(f.type);
      strings.insert(f.name);
    }
    for (auto& m : mrefs) {
      type(m.cls);
      type(m.ret);
      for (auto& p : m.params) type(p);
      strings.insert(m.name);
      strings.insert(shorty(m.ret, m.params));
    }
    uint32_t n = 0;
    for (auto& s : strings) L.strings[s] = n++;
    n = 0;
    for (auto& t : types) L.types[t] = n++;  // sorted like their strings
    auto sidx = [&](const std::string& s) { return L.strings.at(s); };
    auto tidx = [&](const std::string& t) { return L.types.at(t); };

    // ---- protos, fields, methods (sorted as the format requires) ----
    using ProtoKey = std::tuple<uint32_t, std::vector<uint32_t>, std::string, std::vector<std::string>>;
    std::set<ProtoKey> proto_set;
    for (auto& m : mrefs) {
      std::vector<uint32_t> pi;
      for (auto& p : m.params) pi.push_back(tidx(p));
      proto_set.insert({tidx(m.ret), pi, m.ret, m.params});
    }
    std::vector<ProtoKey> protos(proto_set.begin(), proto_set.end());
    auto proto_index = [&](const std::string& ret, const std::vector<std::string>& ps) {
      for (uint32_t i = 0; i < protos.size(); ++i)
        if (std::get<2>(protos[i]) == ret && std::get<3>(protos[i]) == ps) return i;
      return ~0u;
    };
    std::set<std::tuple<uint32_t, uint32_t, uint32_t>> field_set;  // class, name, type
    for (auto& f : frefs) field_set.insert({tidx(f.cls), sidx(f.name), tidx(f.type)});
    std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> fields(field_set.begin(), field_set.end());
    for (auto& f : frefs) {
      auto it = std::find(fields.begin(), fields.end(), std::make_tuple(tidx(f.cls), sidx(f.name), tidx(f.type)));
      L.fields[f.cls + "." + f.name + ":" + f.type] = static_cast<uint32_t>(it - fields.begin());
    }
    std::set<std::tuple<uint32_t, uint32_t, uint32_t>> method_set;  // class, name, proto
    for (auto& m : mrefs) method_set.insert({tidx(m.cls), sidx(m.name), proto_index(m.ret, m.params)});
    std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> methods(method_set.begin(), method_set.end());
    for (auto& m : mrefs) {
      auto it = std::find(methods.begin(), methods.end(),
                          std::make_tuple(tidx(m.cls), sidx(m.name), proto_index(m.ret, m.params)));
      L.methods[method_key(m.cls, m.name, m.ret, m.params)] = static_cast<uint32_t>(it - methods.begin());
    }

    // ---- id section layout ----
    std::vector<uint8_t> b(base + header_size(), 0);
    L.string_ids_off = base + header_size();
    L.type_ids_off = L.string_ids_off + 4 * static_cast<uint32_t>(strings.size());
    L.proto_ids_off = L.type_ids_off + 4 * static_cast<uint32_t>(types.size());
    L.field_ids_off = L.proto_ids_off + 12 * static_cast<uint32_t>(protos.size());
    L.method_ids_off = L.field_ids_off + 8 * static_cast<uint32_t>(fields.size());
    L.class_defs_off = L.method_ids_off + 8 * static_cast<uint32_t>(methods.size());
    L.data_off = L.class_defs_off + 32 * static_cast<uint32_t>(classes_.size());
    b.resize(L.data_off, 0);
    struct Section {
      uint16_t type;
      uint32_t count, off;
    };
    std::vector<Section> map{{0x0000, 1, base}};
    auto add_section = [&](uint16_t t, uint32_t count, uint32_t off) {
      if (count) map.push_back({t, count, off});
    };
    add_section(0x0001, static_cast<uint32_t>(strings.size()), L.string_ids_off);
    add_section(0x0002, static_cast<uint32_t>(types.size()), L.type_ids_off);
    add_section(0x0003, static_cast<uint32_t>(protos.size()), L.proto_ids_off);
    add_section(0x0004, static_cast<uint32_t>(fields.size()), L.field_ids_off);
    add_section(0x0005, static_cast<uint32_t>(methods.size()), L.method_ids_off);
    add_section(0x0006, static_cast<uint32_t>(classes_.size()), L.class_defs_off);
    auto align4 = [&] {
      while (b.size() % 4) b.push_back(0);
    };

    // ---- data: string_data ----
    uint32_t start = static_cast<uint32_t>(b.size()), count = 0;
    for (auto& s : strings) {
      set_u32(b, L.string_ids_off + 4 * L.strings[s], static_cast<uint32_t>(b.size()));
      L.string_data_off.push_back(static_cast<uint32_t>(b.size()));
      put_uleb(b, static_cast<uint32_t>(s.size()));  // ASCII only in tests
      b.insert(b.end(), s.begin(), s.end());
      b.push_back(0);
      ++count;
    }
    add_section(0x2002, count, start);
    for (auto& t : types) set_u32(b, L.type_ids_off + 4 * tidx(t), sidx(t));

    // ---- annotation items and encoded arrays (before their referrers) ----
    std::function<void(std::vector<uint8_t>&, const DexValue&)> put_value = [&](std::vector<uint8_t>& o,
                                                                                const DexValue& v) {
      auto put_signed = [&](uint8_t t, int64_t x, int max) {
        int size = 1;
        while (size < max) {
          const int64_t lo = -(int64_t{1} << (8 * size - 1)), hi = (int64_t{1} << (8 * size - 1)) - 1;
          if (x >= lo && x <= hi) break;
          ++size;
        }
        o.push_back(static_cast<uint8_t>(((size - 1) << 5) | t));
        for (int i = 0; i < size; ++i) o.push_back(static_cast<uint8_t>(static_cast<uint64_t>(x) >> (8 * i)));
      };
      auto put_unsigned = [&](uint8_t t, uint32_t x) {
        int size = 1;
        while (size < 4 && (x >> (8 * size))) ++size;
        o.push_back(static_cast<uint8_t>(((size - 1) << 5) | t));
        for (int i = 0; i < size; ++i) o.push_back(static_cast<uint8_t>(x >> (8 * i)));
      };
      switch (v.kind) {
        case DexValue::kInt: put_signed(0x04, v.i, 4); break;
        case DexValue::kLong: put_signed(0x06, v.i, 8); break;
        case DexValue::kString: put_unsigned(0x17, sidx(v.s)); break;
        case DexValue::kType: put_unsigned(0x18, tidx(v.s)); break;
        case DexValue::kBool: o.push_back(static_cast<uint8_t>((v.i ? 1 : 0) << 5 | 0x1f)); break;
        case DexValue::kNull: o.push_back(0x1e); break;
        case DexValue::kArray:
          o.push_back(0x1c);
          put_uleb(o, static_cast<uint32_t>(v.items.size()));
          for (auto& i : v.items) put_value(o, i);
          break;
      }
    };
    std::map<const DexAnnotation*, uint32_t> annotation_off;
    start = static_cast<uint32_t>(b.size());
    count = 0;
    auto put_annotation = [&](const DexAnnotation& a) {
      annotation_off[&a] = static_cast<uint32_t>(b.size());
      b.push_back(a.visibility);
      put_uleb(b, tidx(a.type));
      auto elems = a.elements;
      std::sort(elems.begin(), elems.end(),
                [&](auto& x, auto& y) { return sidx(x.first) < sidx(y.first); });
      put_uleb(b, static_cast<uint32_t>(elems.size()));
      for (auto& [name, v] : elems) {
        put_uleb(b, sidx(name));
        put_value(b, v);
      }
      ++count;
    };
    for (auto& c : classes_) {
      for (auto& a : c.annotations) put_annotation(a);
      for (auto& m : c.methods)
        for (auto& a : m.annotations) put_annotation(a);
    }
    add_section(0x2004, count, start);

    start = static_cast<uint32_t>(b.size());
    count = 0;
    L.static_values_off.assign(classes_.size(), 0);
    for (size_t ci = 0; ci < classes_.size(); ++ci) {
      const DexClass& c = classes_[ci];
      std::vector<const DexField*> statics;
      for (auto& f : c.fields)
        if (f.is_static) statics.push_back(&f);
      std::sort(statics.begin(), statics.end(), [&](auto* x, auto* y) {
        return L.fields.at(c.descriptor + "." + x->name + ":" + x->type) <
               L.fields.at(c.descriptor + "." + y->name + ":" + y->type);
      });
      size_t last = 0;
      for (size_t i = 0; i < statics.size(); ++i)
        if (statics[i]->initial) last = i + 1;
      if (last == 0) continue;
      L.static_values_off[ci] = static_cast<uint32_t>(b.size());
      put_uleb(b, static_cast<uint32_t>(last));
      for (size_t i = 0; i < last; ++i) {
        if (statics[i]->initial) put_value(b, *statics[i]->initial);
        else if (statics[i]->type[0] == 'L' || statics[i]->type[0] == '[') put_value(b, DexValue::Null());
        else put_value(b, DexValue::Int(0));
      }
      ++count;
    }
    add_section(0x2005, count, start);

    // ---- debug info ----
    start = static_cast<uint32_t>(b.size());
    count = 0;
    for (auto& c : classes_)
      for (auto& m : c.methods) {
        if (!m.line_start || !m.has_code) continue;
        L.debug_info_off[method_key(c.descriptor, m.name, m.ret, m.params)] = static_cast<uint32_t>(b.size());
        put_uleb(b, *m.line_start);
        put_uleb(b, static_cast<uint32_t>(m.params.size()));
        for (size_t i = 0; i < m.params.size(); ++i) put_uleb(b, 0);  // unnamed
        b.insert(b.end(), m.debug_ops.begin(), m.debug_ops.end());
        ++count;
      }
    add_section(0x2003, count, start);

    // ---- type lists (4-aligned) ----
    align4();
    std::map<std::vector<uint32_t>, uint32_t> type_lists;
    start = static_cast<uint32_t>(b.size());
    count = 0;
    auto type_list = [&](const std::vector<std::string>& ts) -> uint32_t {
      if (ts.empty()) return 0;
      std::vector<uint32_t> key;
      for (auto& t : ts) key.push_back(tidx(t));
      auto it = type_lists.find(key);
      if (it != type_lists.end()) return it->second;
      align4();
      const uint32_t off = static_cast<uint32_t>(b.size());
      put_u32(b, static_cast<uint32_t>(key.size()));
      for (uint32_t k : key) put_u16(b, static_cast<uint16_t>(k));
      type_lists[key] = off;
      ++count;
      return off;
    };
    std::vector<uint32_t> proto_params_off;
    for (auto& p : protos) proto_params_off.push_back(type_list(std::get<3>(p)));
    std::vector<uint32_t> interfaces_off;
    for (auto& c : classes_) interfaces_off.push_back(type_list(c.interfaces));
    add_section(0x1001, count, start);

    // ---- annotation sets and directories ----
    align4();
    start = static_cast<uint32_t>(b.size());
    count = 0;
    auto annotation_set = [&](const std::vector<DexAnnotation>& as) -> uint32_t {
      if (as.empty()) return 0;
      std::vector<const DexAnnotation*> sorted;
      for (auto& a : as) sorted.push_back(&a);
      std::sort(sorted.begin(), sorted.end(), [&](auto* x, auto* y) { return tidx(x->type) < tidx(y->type); });
      const uint32_t off = static_cast<uint32_t>(b.size());
      put_u32(b, static_cast<uint32_t>(sorted.size()));
      for (auto* a : sorted) put_u32(b, annotation_off.at(a));
      ++count;
      return off;
    };
    std::vector<uint32_t> class_set_off;
    std::vector<std::vector<std::pair<uint32_t, uint32_t>>> method_sets(classes_.size());
    for (size_t ci = 0; ci < classes_.size(); ++ci) {
      const DexClass& c = classes_[ci];
      class_set_off.push_back(annotation_set(c.annotations));
      for (auto& m : c.methods) {
        const uint32_t off = annotation_set(m.annotations);
        if (off) method_sets[ci].push_back({L.methods.at(method_key(c.descriptor, m.name, m.ret, m.params)), off});
      }
      std::sort(method_sets[ci].begin(), method_sets[ci].end());
    }
    add_section(0x1003, count, start);
    start = static_cast<uint32_t>(b.size());
    count = 0;
    L.annotations_off.assign(classes_.size(), 0);
    for (size_t ci = 0; ci < classes_.size(); ++ci) {
      if (class_set_off[ci] == 0 && method_sets[ci].empty()) continue;
      L.annotations_off[ci] = static_cast<uint32_t>(b.size());
      put_u32(b, class_set_off[ci]);
      put_u32(b, 0);
      put_u32(b, static_cast<uint32_t>(method_sets[ci].size()));
      put_u32(b, 0);
      for (auto& [mi, off] : method_sets[ci]) {
        put_u32(b, mi);
        put_u32(b, off);
      }
      ++count;
    }
    add_section(0x2006, count, start);

    // ---- code items ----
    start = static_cast<uint32_t>(b.size());
    count = 0;
    for (auto& c : classes_)
      for (auto& m : c.methods) {
        if (!m.has_code) continue;
        align4();
        const std::string key = method_key(c.descriptor, m.name, m.ret, m.params);
        L.code_off[key] = static_cast<uint32_t>(b.size());
        put_u16(b, m.registers);
        put_u16(b, m.ins);
        put_u16(b, m.outs);
        put_u16(b, static_cast<uint16_t>(m.tries.size()));
        auto dbg = L.debug_info_off.find(key);
        put_u32(b, dbg == L.debug_info_off.end() ? 0 : dbg->second);
        put_u32(b, static_cast<uint32_t>(m.insns.size()));
        for (uint16_t u : m.insns) put_u16(b, u);
        if (!m.tries.empty()) {
          if (m.insns.size() % 2) put_u16(b, 0);
          // Handlers first (to know their offsets), then write try items before them.
          std::vector<uint8_t> handlers;
          std::vector<uint16_t> handler_offs;
          put_uleb(handlers, static_cast<uint32_t>(m.tries.size()));
          for (auto& t : m.tries) {
            handler_offs.push_back(static_cast<uint16_t>(handlers.size()));
            const int32_t n = static_cast<int32_t>(t.handlers.size());
            put_sleb(handlers, t.catch_all ? -n : n);
            for (auto& [ty, addr] : t.handlers) {
              put_uleb(handlers, tidx(ty));
              put_uleb(handlers, addr);
            }
            if (t.catch_all) put_uleb(handlers, *t.catch_all);
          }
          for (size_t i = 0; i < m.tries.size(); ++i) {
            put_u32(b, m.tries[i].start);
            put_u16(b, m.tries[i].count);
            put_u16(b, handler_offs[i]);
          }
          b.insert(b.end(), handlers.begin(), handlers.end());
        }
        ++count;
      }
    add_section(0x2001, count, start);

    // ---- class data ----
    start = static_cast<uint32_t>(b.size());
    count = 0;
    L.class_data_off.assign(classes_.size(), 0);
    for (size_t ci = 0; ci < classes_.size(); ++ci) {
      const DexClass& c = classes_[ci];
      if (c.fields.empty() && c.methods.empty()) continue;
      std::vector<std::pair<uint32_t, const DexField*>> sf, inf;
      std::vector<std::pair<uint32_t, const DexMethod*>> dm, vm;
      for (auto& f : c.fields)
        (f.is_static ? sf : inf).push_back({L.fields.at(c.descriptor + "." + f.name + ":" + f.type), &f});
      for (auto& m : c.methods)
        (m.direct ? dm : vm).push_back({L.methods.at(method_key(c.descriptor, m.name, m.ret, m.params)), &m});
      std::sort(sf.begin(), sf.end());
      std::sort(inf.begin(), inf.end());
      std::sort(dm.begin(), dm.end());
      std::sort(vm.begin(), vm.end());
      L.class_data_off[ci] = static_cast<uint32_t>(b.size());
      put_uleb(b, static_cast<uint32_t>(sf.size()));
      put_uleb(b, static_cast<uint32_t>(inf.size()));
      put_uleb(b, static_cast<uint32_t>(dm.size()));
      put_uleb(b, static_cast<uint32_t>(vm.size()));
      for (auto* list : {&sf, &inf}) {
        uint32_t prev = 0;
        for (size_t i = 0; i < list->size(); ++i) {
          put_uleb(b, (*list)[i].first - (i ? prev : 0));
          put_uleb(b, (*list)[i].second->flags);
          prev = (*list)[i].first;
        }
      }
      for (auto* list : {&dm, &vm}) {
        uint32_t prev = 0;
        for (size_t i = 0; i < list->size(); ++i) {
          const DexMethod& m = *(*list)[i].second;
          put_uleb(b, (*list)[i].first - (i ? prev : 0));
          put_uleb(b, m.flags);
          put_uleb(b, m.has_code ? L.code_off.at(method_key(c.descriptor, m.name, m.ret, m.params)) : 0);
          prev = (*list)[i].first;
        }
      }
      ++count;
    }
    add_section(0x2000, count, start);

    // ---- id tables ----
    for (uint32_t i = 0; i < protos.size(); ++i) {
      const size_t at = L.proto_ids_off + 12 * i;
      set_u32(b, at, sidx(shorty(std::get<2>(protos[i]), std::get<3>(protos[i]))));
      set_u32(b, at + 4, std::get<0>(protos[i]));
      set_u32(b, at + 8, proto_params_off[i]);
    }
    for (uint32_t i = 0; i < fields.size(); ++i) {
      const size_t at = L.field_ids_off + 8 * i;
      set_u16(b, at, static_cast<uint16_t>(std::get<0>(fields[i])));
      set_u16(b, at + 2, static_cast<uint16_t>(std::get<2>(fields[i])));
      set_u32(b, at + 4, std::get<1>(fields[i]));
    }
    for (uint32_t i = 0; i < methods.size(); ++i) {
      const size_t at = L.method_ids_off + 8 * i;
      set_u16(b, at, static_cast<uint16_t>(std::get<0>(methods[i])));
      set_u16(b, at + 2, static_cast<uint16_t>(std::get<2>(methods[i])));
      set_u32(b, at + 4, std::get<1>(methods[i]));
    }
    for (uint32_t ci = 0; ci < classes_.size(); ++ci) {
      const DexClass& c = classes_[ci];
      const size_t at = L.class_defs_off + 32 * ci;
      set_u32(b, at, tidx(c.descriptor));
      set_u32(b, at + 4, c.flags);
      set_u32(b, at + 8, c.super.empty() ? 0xffffffffu : tidx(c.super));
      set_u32(b, at + 12, interfaces_off[ci]);
      set_u32(b, at + 16, c.source_file.empty() ? 0xffffffffu : sidx(c.source_file));
      set_u32(b, at + 20, L.annotations_off[ci]);
      set_u32(b, at + 24, L.class_data_off[ci]);
      set_u32(b, at + 28, L.static_values_off[ci]);
    }

    // ---- map list ----
    align4();
    L.map_off = static_cast<uint32_t>(b.size());
    map.push_back({0x1000, 1, L.map_off});
    std::stable_sort(map.begin(), map.end(), [](auto& x, auto& y) { return x.off < y.off; });
    put_u32(b, static_cast<uint32_t>(map.size()));
    for (auto& s : map) {
      put_u16(b, s.type);
      put_u16(b, 0);
      put_u32(b, s.count);
      put_u32(b, s.off);
    }

    // ---- header ----
    const char magic[8] = {'d', 'e', 'x', '\n', static_cast<char>('0' + version / 100),
                           static_cast<char>('0' + version / 10 % 10), static_cast<char>('0' + version % 10), 0};
    std::memcpy(b.data() + base, magic, 8);
    set_u32(b, base + 32, static_cast<uint32_t>(b.size()) - base);
    set_u32(b, base + 36, header_size());
    set_u32(b, base + 40, 0x12345678);
    set_u32(b, base + 52, L.map_off);
    if (version >= 41) {
      set_u32(b, base + 0x70, static_cast<uint32_t>(b.size()));  // container_size; a container fixes it
      set_u32(b, base + 0x74, base);
    }
    const uint32_t sizes[] = {static_cast<uint32_t>(strings.size()), L.string_ids_off,
                              static_cast<uint32_t>(types.size()),   L.type_ids_off,
                              static_cast<uint32_t>(protos.size()),  protos.empty() ? 0 : L.proto_ids_off,
                              static_cast<uint32_t>(fields.size()),  fields.empty() ? 0 : L.field_ids_off,
                              static_cast<uint32_t>(methods.size()), methods.empty() ? 0 : L.method_ids_off,
                              static_cast<uint32_t>(classes_.size()), classes_.empty() ? 0 : L.class_defs_off};
    for (int i = 0; i < 12; ++i) set_u32(b, base + 56 + 4 * i, sizes[i]);
    set_u32(b, base + 104, static_cast<uint32_t>(b.size()) - L.data_off);
    set_u32(b, base + 108, L.data_off);
    fix_digests(b, base);
    if (layout_out) *layout_out = std::move(L);
    return b;
  }

 private:
  struct MRefIn {
    std::string cls, name, ret;
    std::vector<std::string> params;
  };
  struct FRefIn {
    std::string cls, name, type;
  };
  std::deque<DexClass> classes_;  // deque: add_class references stay valid
  std::set<std::string> extra_strings_, extra_types_;
  std::vector<MRefIn> extra_methods_;
  std::vector<FRefIn> extra_fields_;
};

// A DEX 041 container of several dex files: each builder's `base` is set to where its dex
// lands, container_size is patched into every header and the digests are recomputed.
inline std::vector<uint8_t> build_container(std::vector<DexBuilder> parts) {
  std::vector<uint8_t> out;
  std::vector<size_t> bases;
  for (DexBuilder& p : parts) {
    p.version = 41;
    p.base = static_cast<uint32_t>(out.size());
    bases.push_back(out.size());
    std::vector<uint8_t> bytes = p.build();
    out.insert(out.end(), bytes.begin() + p.base, bytes.end());
  }
  for (size_t base : bases) {
    set_u32(out, base + 0x70, static_cast<uint32_t>(out.size()));
    fix_digests(out, base);
  }
  return out;
}

// The sample app most tests start from: two classes, a field with an initial value, an
// annotated method, a method with a try/catch and debug info, an interface.
inline DexBuilder sample_builder() {
  DexBuilder b;
  DexClass& iface = b.add_class("Lcom/x/Greeter;");
  iface.flags = 0x0601;  // public interface abstract
  DexMethod greet;
  greet.name = "greet";
  greet.ret = "Ljava/lang/String;";
  greet.flags = 0x0401;  // public abstract
  greet.has_code = false;
  iface.methods.push_back(greet);

  DexClass& a = b.add_class("Lcom/x/A;");
  a.interfaces = {"Lcom/x/Greeter;"};
  a.source_file = "A.java";
  DexField f;
  f.name = "COUNT";
  f.type = "I";
  f.flags = 0x0019;  // public static final
  f.is_static = true;
  f.initial = DexValue::Int(42);
  a.fields.push_back(f);
  DexField g;
  g.name = "name";
  g.type = "Ljava/lang/String;";
  a.fields.push_back(g);
  DexMethod init;
  init.name = "<init>";
  init.flags = 0x10001;
  init.direct = true;
  init.registers = 1;
  init.ins = 1;
  init.outs = 1;
  a.methods.push_back(init);
  DexMethod foo;
  foo.name = "foo";
  foo.params = {"I", "Ljava/lang/String;"};
  foo.registers = 3;
  foo.ins = 3;
  foo.insns = {0x0000, 0x0000, 0x0000, 0x000e};  // nop x3, return-void
  DexTry t;
  t.start = 0;
  t.count = 2;
  t.handlers = {{"Ljava/io/IOException;", 2}};
  t.catch_all = 3;
  foo.tries.push_back(t);
  foo.line_start = 10;
  // special opcodes: (pc+0, line+0) -> 10@0 ; (pc+1, line+2) -> 12@1 ; advance_pc 1 ; (pc+1, line-1) -> 11@3
  const int special0 = 0x0a + (0 - (-4)) + 15 * 0;
  const int special1 = 0x0a + (2 - (-4)) + 15 * 1;
  const int special2 = 0x0a + (-1 - (-4)) + 15 * 1;
  foo.debug_ops = {0x07, static_cast<uint8_t>(special0), static_cast<uint8_t>(special1), 0x01, 0x01,
                   static_cast<uint8_t>(special2), 0x00};
  DexAnnotation js;
  js.type = "Landroid/webkit/JavascriptInterface;";
  foo.annotations.push_back(js);
  a.methods.push_back(foo);
  DexMethod greet_impl = greet;
  greet_impl.flags = 0x0001;
  greet_impl.has_code = true;
  greet_impl.registers = 2;
  greet_impl.ins = 1;
  greet_impl.insns = {0x0011};  // return-object v0 (registers are not checked here)
  a.methods.push_back(greet_impl);
  DexAnnotation meta;
  meta.type = "Lkotlin/Metadata;";
  meta.elements = {{"k", DexValue::Int(1)},
                   {"mv", DexValue::Array({DexValue::Int(1), DexValue::Int(9), DexValue::Int(0)})},
                   {"d2", DexValue::Array({DexValue::Str("Lcom/x/A;"), DexValue::Str("foo")})}};
  a.annotations.push_back(meta);
  return b;
}

}  // namespace apkwarden::test
