// Strong index types (STYLE.md principle 5): a StringIdx cannot be passed where a TypeIdx is
// expected. Each is a 32-bit value tagged by an empty struct; kNoIndex (0xffffffff) is the
// format's "no index" (superclass of java.lang.Object, a class without source file, ...).
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace apkwarden::dex {

inline constexpr uint32_t kNoIndex = 0xffffffffu;

template <class Tag>
struct Index {
  uint32_t value = kNoIndex;

  constexpr Index() = default;
  constexpr explicit Index(uint32_t v) : value(v) {}

  constexpr bool is_none() const { return value == kNoIndex; }
  constexpr bool valid() const { return value != kNoIndex; }
  static constexpr Index none() { return Index(); }

  constexpr auto operator<=>(const Index&) const = default;
  constexpr bool operator==(const Index&) const = default;
};

using StringIdx = Index<struct StringIdxTag>;
using TypeIdx = Index<struct TypeIdxTag>;
using ProtoIdx = Index<struct ProtoIdxTag>;
using FieldIdx = Index<struct FieldIdxTag>;
using MethodIdx = Index<struct MethodIdxTag>;
using ClassDefIdx = Index<struct ClassDefIdxTag>;
using CallSiteIdx = Index<struct CallSiteIdxTag>;
using MethodHandleIdx = Index<struct MethodHandleIdxTag>;

}  // namespace apkwarden::dex

template <class Tag>
struct std::hash<apkwarden::dex::Index<Tag>> {
  size_t operator()(const apkwarden::dex::Index<Tag>& i) const noexcept { return std::hash<uint32_t>()(i.value); }
};
