// An in-test builder for small resources.arsc tables: one global string pool, packages with
// type and key string pools, a type spec and type chunks (dense, sparse or 16-bit offsets).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "apk/axml_builder.h"

namespace apkwarden::test {

struct ArscEntry {
  ArscEntry() = default;
  ArscEntry(uint16_t i, uint32_t k, uint8_t t, uint32_t d) : index(i), key(k), type(t), data(d) {}
  uint16_t index = 0;
  uint32_t key = 0;                 // index into the key strings
  uint8_t type = 0x03;              // simple value type
  uint32_t data = 0;
  bool complex = false;
  uint32_t parent = 0;
  std::vector<std::pair<uint32_t, std::pair<uint8_t, uint32_t>>> bag;  // name -> (type, data)
};

struct ArscType {
  uint8_t id = 1;
  uint8_t flags = 0;                // 0x01 sparse, 0x02 16-bit offsets
  uint32_t entry_count = 0;
  std::vector<uint8_t> config = std::vector<uint8_t>(60, 0);  // ResTable_config after its size field
  std::vector<ArscEntry> entries;   // sorted by index
};

struct ArscPackage {
  uint32_t id = 0x7f;
  std::string name = "com.example.app";
  std::vector<std::string> type_names;
  std::vector<std::string> keys;
  std::vector<ArscType> types;
};

inline std::vector<uint8_t> build_type_chunk(const ArscType& t) {
  std::vector<uint8_t> entries;
  std::vector<std::pair<uint16_t, uint32_t>> offsets;
  for (const ArscEntry& e : t.entries) {
    offsets.emplace_back(e.index, static_cast<uint32_t>(entries.size()));
    if (e.complex) {
      put16(entries, 16);
      put16(entries, 0x0001);
      put32(entries, e.key);
      put32(entries, e.parent);
      put32(entries, static_cast<uint32_t>(e.bag.size()));
      for (const auto& [name, v] : e.bag) {
        put32(entries, name);
        put16(entries, 8); entries.push_back(0); entries.push_back(v.first); put32(entries, v.second);
      }
    } else {
      put16(entries, 8);
      put16(entries, 0);
      put32(entries, e.key);
      put16(entries, 8); entries.push_back(0); entries.push_back(e.type); put32(entries, e.data);
    }
  }
  std::vector<uint8_t> index;
  if (t.flags & 0x01) {
    for (auto [i, o] : offsets) { put16(index, i); put16(index, static_cast<uint16_t>(o / 4)); }
  } else {
    std::vector<uint32_t> dense(t.entry_count, 0xffffffff);
    for (auto [i, o] : offsets) dense[i] = o;
    for (uint32_t o : dense) {
      if (t.flags & 0x02) put16(index, o == 0xffffffff ? 0xffff : static_cast<uint16_t>(o / 4));
      else put32(index, o);
    }
  }
  while (index.size() % 4) index.push_back(0);
  const uint32_t header = 20 + 4 + static_cast<uint32_t>(t.config.size());
  std::vector<uint8_t> out;
  put16(out, 0x0201);
  put16(out, static_cast<uint16_t>(header));
  put32(out, header + static_cast<uint32_t>(index.size() + entries.size()));
  out.push_back(t.id);
  out.push_back(t.flags);
  put16(out, 0);
  put32(out, (t.flags & 0x01) ? static_cast<uint32_t>(offsets.size()) : t.entry_count);
  put32(out, header + static_cast<uint32_t>(index.size()));
  put32(out, 4 + static_cast<uint32_t>(t.config.size()));
  out.insert(out.end(), t.config.begin(), t.config.end());
  out.insert(out.end(), index.begin(), index.end());
  out.insert(out.end(), entries.begin(), entries.end());
  return out;
}

inline std::vector<uint8_t> build_arsc(const std::vector<std::string>& strings, const std::vector<ArscPackage>& packages) {
  std::vector<uint8_t> out;
  put16(out, 0x0002);
  put16(out, 12);
  put32(out, 0);
  put32(out, static_cast<uint32_t>(packages.size()));
  auto pool = build_string_pool(strings, true);
  out.insert(out.end(), pool.begin(), pool.end());
  for (const ArscPackage& p : packages) {
    std::vector<uint8_t> pk;
    const uint32_t header = 288;
    put16(pk, 0x0200);
    put16(pk, header);
    put32(pk, 0);
    put32(pk, p.id);
    for (size_t i = 0; i < 128; ++i) put16(pk, i < p.name.size() ? p.name[i] : 0);
    auto types = build_string_pool(p.type_names, false);
    auto keys = build_string_pool(p.keys, true);
    put32(pk, header);                                          // typeStrings
    put32(pk, 0);
    put32(pk, header + static_cast<uint32_t>(types.size()));    // keyStrings
    put32(pk, 0);
    put32(pk, 0);                                               // typeIdOffset
    pk.insert(pk.end(), types.begin(), types.end());
    pk.insert(pk.end(), keys.begin(), keys.end());
    std::vector<uint8_t> seen;
    for (const ArscType& t : p.types) {
      if (std::find(seen.begin(), seen.end(), t.id) == seen.end()) {  // a type spec on first sight
        seen.push_back(t.id);
        put16(pk, 0x0202);
        put16(pk, 16);
        put32(pk, 16 + 4 * t.entry_count);
        pk.push_back(t.id); pk.push_back(0); put16(pk, 0);
        put32(pk, t.entry_count);
        for (uint32_t i = 0; i < t.entry_count; ++i) put32(pk, 0);
      }
      auto chunk = build_type_chunk(t);
      pk.insert(pk.end(), chunk.begin(), chunk.end());
    }
    set32(pk, 4, static_cast<uint32_t>(pk.size()));
    out.insert(out.end(), pk.begin(), pk.end());
  }
  set32(out, 4, static_cast<uint32_t>(out.size()));
  return out;
}

}  // namespace apkwarden::test
