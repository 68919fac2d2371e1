#include "analyzer/code/dex_lookup.h"

namespace apkwarden::code {

namespace {

// Binary search over [0, n) for the first index whose key is not less than the target.
template <class Less>
uint32_t lower_bound_index(uint32_t n, Less less) {
  uint32_t lo = 0, hi = n;
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    if (less(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

}  // namespace

dex::StringIdx find_string(const dex::DexFile& dex, std::string_view s) {
  const uint32_t n = dex.string_ids_size();
  const uint32_t i = lower_bound_index(n, [&](uint32_t k) { return dex.string_data(dex::StringIdx(k)) < s; });
  if (i < n && dex.string_data(dex::StringIdx(i)) == s) return dex::StringIdx(i);
  return {};
}

dex::TypeIdx find_type(const dex::DexFile& dex, std::string_view descriptor) {
  const dex::StringIdx s = find_string(dex, descriptor);
  if (s.is_none()) return {};
  const uint32_t n = dex.type_ids_size();
  const uint32_t i = lower_bound_index(n, [&](uint32_t k) { return dex.type_descriptor_idx(dex::TypeIdx(k)) < s; });
  if (i < n && dex.type_descriptor_idx(dex::TypeIdx(i)) == s) return dex::TypeIdx(i);
  return {};
}

std::vector<dex::MethodIdx> find_method_ids(const dex::DexFile& dex, std::string_view descriptor,
                                            std::string_view name, std::string_view proto) {
  std::vector<dex::MethodIdx> out;
  const dex::TypeIdx t = find_type(dex, descriptor);
  if (t.is_none()) return out;
  const uint32_t n = dex.method_ids_size();
  const uint32_t first = lower_bound_index(n, [&](uint32_t k) {
    auto m = dex.method_id(dex::MethodIdx(k));
    return m && m->class_idx < t;
  });
  for (uint32_t k = first; k < n; ++k) {
    auto m = dex.method_id(dex::MethodIdx(k));
    if (!m || m->class_idx != t) break;
    if (dex.string_data(m->name_idx) != name) continue;
    if (!proto.empty() && dex.proto_signature(m->proto_idx) != proto) continue;
    out.push_back(dex::MethodIdx(k));
  }
  return out;
}

std::vector<dex::FieldIdx> find_field_ids(const dex::DexFile& dex, std::string_view descriptor, std::string_view name) {
  std::vector<dex::FieldIdx> out;
  const dex::TypeIdx t = find_type(dex, descriptor);
  if (t.is_none()) return out;
  const uint32_t n = dex.field_ids_size();
  const uint32_t first = lower_bound_index(n, [&](uint32_t k) {
    auto f = dex.field_id(dex::FieldIdx(k));
    return f && f->class_idx < t;
  });
  for (uint32_t k = first; k < n; ++k) {
    auto f = dex.field_id(dex::FieldIdx(k));
    if (!f || f->class_idx != t) break;
    if (dex.string_data(f->name_idx) == name) out.push_back(dex::FieldIdx(k));
  }
  return out;
}

}  // namespace apkwarden::code
