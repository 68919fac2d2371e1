// CodeIndex::build: classes serially (cheap, fixes the order), then methods and their sites in
// parallel over chunks of classes, merged in chunk order so the index never depends on threads.
#include "analyzer/code/code_index.h"

#include <algorithm>
#include <array>
#include <bitset>

#include "analyzer/app/parallel.h"
#include "dex/class_data.h"
#include "dex/code_item.h"
#include "dex/code_walker.h"
#include "dex/debug_info.h"
#include "dex/descriptor.h"
#include "signatures/sdk_catalog.h"

namespace apkwarden::code {

namespace {

constexpr size_t kClassesPerChunk = 256;

struct Chunk {
  std::vector<IndexedMethod> methods;  // cls is global; method numbers below are chunk-local
  std::vector<InvokeSite> invokes;
  std::vector<FieldSite> fields;
  std::vector<StringSite> strings;
  std::vector<IntArgSite> int_args;    // invoke numbers chunk-local
  CodeIndexStats stats;
};

// Integer constants held by registers inside the current straight-line stretch of code.
class ConstRegs {
 public:
  void clear() { known_.reset(); }
  void set(uint32_t r, int64_t v) {
    if (r < kRegs) {
      known_.set(r);
      values_[r] = v;
    }
  }
  void kill(uint32_t r) {
    if (r < kRegs) known_.reset(r);
  }
  bool get(uint32_t r, int64_t& v) const {
    if (r >= kRegs || !known_.test(r)) return false;
    v = values_[r];
    return true;
  }
  bool any() const { return known_.any(); }

 private:
  static constexpr uint32_t kRegs = 256;
  std::bitset<kRegs> known_;
  std::array<int64_t, kRegs> values_;  // read only where known_ is set: no per-method zeroing
};

// Records, for each argument of the invoke whose register holds a constant, an IntArgSite.
void record_int_args(const dex::DexFile& dex, const dex::Instruction& insn, const ConstRegs& regs, uint32_t invoke,
                     std::vector<IntArgSite>& out) {
  if (!regs.any()) return;
  auto mid = dex.method_id(dex::MethodIdx(insn.index));
  if (!mid) return;
  const std::string_view shorty = dex.proto_shorty(mid->proto_idx);
  if (shorty.empty()) return;
  uint32_t reg_pos = insn.has(dex::opflags::kStatic) ? 0 : 1;  // skip the receiver
  const uint32_t count = insn.reg_count();
  for (size_t p = 1; p < shorty.size() && reg_pos < count && p - 1 < 256; ++p) {
    const char t = shorty[p];
    int64_t v;
    if (t != 'L' && t != 'F' && t != 'D' && regs.get(insn.reg(reg_pos), v))
      out.push_back({invoke, static_cast<uint8_t>(p - 1), v});
    reg_pos += (t == 'J' || t == 'D') ? 2 : 1;
  }
}

void index_code(const dex::DexFile& dex, uint32_t method, const dex::CodeItem& item, Chunk& c) {
  dex::CodeWalker walker(item.insns_bytes());
  dex::Instruction insn;
  ConstRegs regs;
  using namespace dex::opflags;
  while (walker.next(insn)) {
    ++c.stats.instructions;
    const uint32_t flags = insn.flags();
    if (flags & kInvoke) {
      const uint32_t invoke = static_cast<uint32_t>(c.invokes.size());
      c.invokes.push_back({method, dex::MethodIdx(insn.index), insn.pc, static_cast<uint8_t>(insn.opcode)});
      record_int_args(dex, insn, regs, invoke, c.int_args);
      continue;  // a call leaves the caller's registers as they are (move-result writes later)
    }
    if (insn.index_kind() == dex::IndexKind::kString) {
      c.strings.push_back({method, dex::StringIdx(insn.index), insn.pc});
      regs.kill(insn.va);
      continue;
    }
    if (flags & (kFieldGet | kFieldPut)) {
      FieldSite site{method, dex::FieldIdx(insn.index), insn.pc, (flags & kFieldPut) != 0};
      if (site.write) site.has_value = regs.get(insn.va, site.value);
      c.fields.push_back(site);
      if (flags & kFieldGet) {
        regs.kill(insn.va);
        regs.kill(insn.va + 1u);
      }
      continue;
    }
    if ((flags & kConst) && insn.index_kind() == dex::IndexKind::kNone) {
      regs.set(insn.va, insn.literal);
      regs.kill(insn.va + 1u);
      continue;
    }
    if (flags & (kBranch | kSwitch | kReturn | kThrow)) {
      regs.clear();  // end of the straight-line stretch
      continue;
    }
    if (flags & kMove) {
      int64_t v;
      if (regs.get(insn.vb, v)) regs.set(insn.va, v);
      else regs.kill(insn.va);
      continue;
    }
    if (flags & (kArrayPut)) continue;
    // Anything else that names registers may write its first one (and the next, if wide).
    if (insn.reg_count() > 0) {
      regs.kill(insn.reg(0));
      regs.kill(insn.reg(0) + 1u);
    }
  }
  if (walker.stop() != dex::WalkStop::kEnd) ++c.stats.methods_stopped;
}

void index_class(const AppCode& code, const IndexedClass& cls, uint32_t cls_index, Chunk& c) {
  const dex::DexFile& dex = code.dex_files[cls.dex];
  auto def = dex.class_def(cls.def);
  if (!def) return;
  dex::ClassDataReader reader(dex, *def, nullptr);
  dex::ClassMember m;
  while (reader.next_method(m)) {
    const uint32_t method = static_cast<uint32_t>(c.methods.size());
    c.methods.push_back({cls_index, m.method(), m.access_flags, m.code_off});
    if (m.code_off == 0) continue;
    auto item = dex::CodeItem::at(dex, m.code_off);
    if (!item.ok()) continue;
    ++c.stats.methods_with_code;
    index_code(dex, method, *item, c);
  }
}

}  // namespace

std::string java_to_descriptor(std::string_view dotted) {
  std::string d;
  d.reserve(dotted.size() + 2);
  d += 'L';
  for (char ch : dotted) d += ch == '.' ? '/' : ch;
  d += ';';
  return d;
}

std::unique_ptr<CodeIndex> CodeIndex::build(const AppCode& code, const signatures::SdkCatalog* catalog,
                                            unsigned threads, Diagnostics* diags) {
  auto index = std::unique_ptr<CodeIndex>(new CodeIndex());
  index->code_ = &code;
  index->pool_ = dex::ClassPool::build(code.dex_files, diags);

  // Classes: the first definition of a descriptor wins.
  for (size_t d = 0; d < code.dex_files.size(); ++d) {
    const dex::DexFile& dex = code.dex_files[d];
    for (uint32_t i = 0; i < dex.class_defs_size(); ++i) {
      auto def = dex.class_def(dex::ClassDefIdx(i));
      if (!def) continue;
      const std::string_view desc = dex.class_descriptor(*def);
      if (!dex::is_class_descriptor(desc)) continue;
      IndexedClass c;
      c.descriptor = desc;
      c.dex = static_cast<uint16_t>(d);
      c.def = dex::ClassDefIdx(i);
      index->classes_.push_back(c);
    }
  }
  auto& by = index->by_descriptor_;
  by.reserve(index->classes_.size());
  for (uint32_t i = 0; i < index->classes_.size(); ++i) by.emplace_back(index->classes_[i].descriptor, i);
  std::stable_sort(by.begin(), by.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  // Keep only the first definition of each descriptor (lowest class number: dex order).
  std::vector<bool> keep(index->classes_.size(), false);
  for (size_t i = 0; i < by.size(); ++i)
    if (i == 0 || by[i].first != by[i - 1].first) keep[by[i].second] = true;
  {
    std::vector<IndexedClass> kept;
    kept.reserve(index->classes_.size());
    for (size_t i = 0; i < index->classes_.size(); ++i)
      if (keep[i]) kept.push_back(index->classes_[i]);
    index->classes_ = std::move(kept);
    by.clear();
    for (uint32_t i = 0; i < index->classes_.size(); ++i) by.emplace_back(index->classes_[i].descriptor, i);
    std::sort(by.begin(), by.end());
  }
  if (catalog) {
    for (IndexedClass& c : index->classes_) {
      const signatures::Sdk* s = catalog->match_class(c.descriptor);
      c.sdk = s ? static_cast<int32_t>(s - catalog->sdks().data()) : -1;
    }
  }

  // Methods and sites, in parallel over chunks of classes.
  const size_t n_chunks = (index->classes_.size() + kClassesPerChunk - 1) / kClassesPerChunk;
  std::vector<Chunk> chunks(n_chunks);
  parallel_for(n_chunks, threads ? threads : 1, [&](size_t k) {
    const size_t end = std::min(index->classes_.size(), (k + 1) * kClassesPerChunk);
    for (size_t i = k * kClassesPerChunk; i < end; ++i)
      index_class(code, index->classes_[i], static_cast<uint32_t>(i), chunks[k]);
  });

  size_t nm = 0, ni = 0, nf = 0, ns = 0, na = 0;
  for (const Chunk& c : chunks) {
    nm += c.methods.size();
    ni += c.invokes.size();
    nf += c.fields.size();
    ns += c.strings.size();
    na += c.int_args.size();
  }
  index->methods_.reserve(nm);
  index->invokes_.reserve(ni);
  index->fields_.reserve(nf);
  index->strings_.reserve(ns);
  index->int_args_.reserve(na);
  for (Chunk& c : chunks) {
    const uint32_t m0 = static_cast<uint32_t>(index->methods_.size());
    const uint32_t i0 = static_cast<uint32_t>(index->invokes_.size());
    for (const IndexedMethod& m : c.methods) {
      IndexedClass& cls = index->classes_[m.cls];
      if (cls.method_count == 0) cls.first_method = static_cast<uint32_t>(index->methods_.size());
      ++cls.method_count;
      index->methods_.push_back(m);
    }
    for (InvokeSite s : c.invokes) {
      s.caller += m0;
      index->invokes_.push_back(s);
    }
    for (FieldSite s : c.fields) {
      s.method += m0;
      index->fields_.push_back(s);
    }
    for (StringSite s : c.strings) {
      s.method += m0;
      index->strings_.push_back(s);
    }
    for (IntArgSite s : c.int_args) {
      s.invoke += i0;
      index->int_args_.push_back(s);
    }
    index->stats_.methods_with_code += c.stats.methods_with_code;
    index->stats_.instructions += c.stats.instructions;
    index->stats_.methods_stopped += c.stats.methods_stopped;
    c = Chunk();
  }
  index->build_site_tables();
  return index;
}

void CodeIndex::build_site_tables() {
  const size_t n_dex = code_->dex_files.size();
  const auto build = [&](SiteTable& t, auto id_count, size_t n_sites, auto site) {
    t.offsets.assign(n_dex, {});
    t.sites.assign(n_dex, {});
    for (size_t d = 0; d < n_dex; ++d) t.offsets[d].assign(size_t{id_count(code_->dex_files[d])} + 1, 0);
    for (size_t i = 0; i < n_sites; ++i) {
      auto [d, id] = site(i);
      if (id < t.offsets[d].size() - 1) ++t.offsets[d][id + 1];
    }
    for (size_t d = 0; d < n_dex; ++d) {
      auto& o = t.offsets[d];
      for (size_t k = 1; k < o.size(); ++k) o[k] += o[k - 1];
      t.sites[d].resize(o.back());
    }
    std::vector<std::vector<uint32_t>> fill(n_dex);
    for (size_t d = 0; d < n_dex; ++d) fill[d].assign(t.offsets[d].begin(), t.offsets[d].end() - 1);
    for (size_t i = 0; i < n_sites; ++i) {
      auto [d, id] = site(i);
      if (id < t.offsets[d].size() - 1) t.sites[d][fill[d][id]++] = static_cast<uint32_t>(i);
    }
  };
  build(by_callee_, [](const dex::DexFile& d) { return d.method_ids_size(); }, invokes_.size(), [&](size_t i) {
    const InvokeSite& s = invokes_[i];
    return std::pair<size_t, size_t>(classes_[methods_[s.caller].cls].dex, s.callee.value);
  });
  build(by_field_, [](const dex::DexFile& d) { return d.field_ids_size(); }, fields_.size(), [&](size_t i) {
    const FieldSite& s = fields_[i];
    return std::pair<size_t, size_t>(classes_[methods_[s.method].cls].dex, s.field.value);
  });
  // method_ids by name, per dex: "sites" here are method ids, keyed by their name's string index.
  by_name_.offsets.assign(n_dex, {});
  by_name_.sites.assign(n_dex, {});
  for (size_t d = 0; d < n_dex; ++d) {
    const dex::DexFile& dx = code_->dex_files[d];
    auto& o = by_name_.offsets[d];
    o.assign(size_t{dx.string_ids_size()} + 1, 0);
    std::vector<uint32_t> name_of(dx.method_ids_size(), UINT32_MAX);
    for (uint32_t m = 0; m < dx.method_ids_size(); ++m) {
      auto id = dx.method_id(dex::MethodIdx(m));
      if (!id || id->name_idx.value >= dx.string_ids_size()) continue;
      name_of[m] = id->name_idx.value;
      ++o[name_of[m] + 1];
    }
    for (size_t k = 1; k < o.size(); ++k) o[k] += o[k - 1];
    auto& out = by_name_.sites[d];
    out.resize(o.back());
    std::vector<uint32_t> fill(o.begin(), o.end() - 1);
    for (uint32_t m = 0; m < name_of.size(); ++m)
      if (name_of[m] != UINT32_MAX) out[fill[name_of[m]]++] = m;
  }
}

std::span<const uint32_t> CodeIndex::method_ids_named(uint32_t d, dex::StringIdx name) const {
  if (d >= by_name_.offsets.size() || size_t{name.value} + 1 >= by_name_.offsets[d].size()) return {};
  const uint32_t b = by_name_.offsets[d][name.value], e = by_name_.offsets[d][name.value + 1];
  return std::span<const uint32_t>(by_name_.sites[d].data() + b, e - b);
}

namespace {
std::span<const uint32_t> sites_of(const std::vector<std::vector<uint32_t>>& offsets,
                                   const std::vector<std::vector<uint32_t>>& sites, uint32_t d, uint32_t id) {
  if (d >= offsets.size() || size_t{id} + 1 >= offsets[d].size()) return {};
  const uint32_t b = offsets[d][id], e = offsets[d][id + 1];
  return std::span<const uint32_t>(sites[d].data() + b, e - b);
}
}  // namespace

std::span<const uint32_t> CodeIndex::calls_to(uint32_t d, dex::MethodIdx callee) const {
  return sites_of(by_callee_.offsets, by_callee_.sites, d, callee.value);
}

std::span<const uint32_t> CodeIndex::accesses_of(uint32_t d, dex::FieldIdx field) const {
  return sites_of(by_field_.offsets, by_field_.sites, d, field.value);
}

std::span<const IntArgSite> CodeIndex::int_args_of(uint32_t invoke) const {
  auto lo = std::lower_bound(int_args_.begin(), int_args_.end(), invoke,
                             [](const IntArgSite& s, uint32_t k) { return s.invoke < k; });
  auto hi = lo;
  while (hi != int_args_.end() && hi->invoke == invoke) ++hi;
  return std::span<const IntArgSite>(int_args_.data() + (lo - int_args_.begin()), static_cast<size_t>(hi - lo));
}

uint32_t CodeIndex::find_class(std::string_view descriptor) const {
  auto it = std::lower_bound(by_descriptor_.begin(), by_descriptor_.end(), descriptor,
                             [](const auto& e, std::string_view k) { return e.first < k; });
  return it != by_descriptor_.end() && it->first == descriptor ? it->second : kNone;
}

std::string_view CodeIndex::method_name(uint32_t m) const { return dex_of_method(m).method_name(methods_[m].method); }

std::string CodeIndex::class_java_name(uint32_t c) const { return dex::descriptor_to_java(classes_[c].descriptor); }

std::string CodeIndex::method_java_signature(uint32_t m) const {
  const dex::DexFile& d = dex_of_method(m);
  const dex::MethodIdx idx = methods_[m].method;
  std::string out(d.method_name(idx));
  out += '(';
  if (auto mid = d.method_id(idx)) {
    const dex::TypeList params = d.proto_parameters(mid->proto_idx);
    for (uint32_t i = 0; i < params.size(); ++i) {
      if (i) out += ", ";
      out += dex::descriptor_to_java(d.type_descriptor(params[i]));
    }
  }
  out += ')';
  return out;
}

std::optional<uint32_t> CodeIndex::line_of(uint32_t m, uint32_t pc) const {
  const IndexedMethod& im = methods_[m];
  if (im.code_off == 0) return std::nullopt;
  const dex::DexFile& d = dex_of_method(m);
  auto item = dex::CodeItem::at(d, im.code_off);
  if (!item.ok() || item->debug_info_off() == 0) return std::nullopt;
  auto info = dex::decode_debug_info(d, item->debug_info_off(), item->insns_size());
  if (!info.ok()) return std::nullopt;
  const uint32_t line = info->line_at(pc);
  if (line == 0) return std::nullopt;
  return line;
}

}  // namespace apkwarden::code
