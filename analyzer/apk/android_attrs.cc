// Lookup in the generated android:attr table (sorted by ID; binary search).
#include "analyzer/apk/android_attrs.h"

#include <algorithm>
#include <iterator>

namespace apkwarden::apk {
namespace {

struct AttrName {
  uint32_t id;
  const char* name;
};

constexpr AttrName kAttrs[] = {
#include "analyzer/apk/android_attrs.inc"
};

constexpr bool sorted_unique() {
  for (size_t i = 1; i < std::size(kAttrs); ++i)
    if (kAttrs[i - 1].id >= kAttrs[i].id) return false;
  return true;
}
static_assert(sorted_unique(), "android_attrs.inc must be sorted by id without duplicates");

}  // namespace

std::optional<std::string_view> android_attr_name(uint32_t id) {
  auto it = std::lower_bound(std::begin(kAttrs), std::end(kAttrs), id,
                             [](const AttrName& a, uint32_t v) { return a.id < v; });
  if (it == std::end(kAttrs) || it->id != id) return std::nullopt;
  return std::string_view(it->name);
}

uint32_t android_attr_id(std::string_view name) {
  for (const AttrName& a : kAttrs)
    if (name == a.name) return a.id;
  return 0;
}

}  // namespace apkwarden::apk
