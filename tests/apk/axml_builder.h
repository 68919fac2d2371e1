// An in-test builder for small binary XML documents (and string pools), laid out the way
// aapt writes them: file header, string pool, resource map, then the nodes. Tests build a
// known-good document and patch one field to get each hostile variant; layout() tells where
// each part landed.
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace apkwarden::test {

inline void put16(std::vector<uint8_t>& b, uint16_t v) { b.push_back(v & 0xff); b.push_back(v >> 8); }
inline void put32(std::vector<uint8_t>& b, uint32_t v) { for (int i = 0; i < 4; ++i) b.push_back((v >> (8 * i)) & 0xff); }
inline void set16(std::vector<uint8_t>& b, size_t off, uint16_t v) { b.at(off) = v & 0xff; b.at(off + 1) = v >> 8; }
inline void set32(std::vector<uint8_t>& b, size_t off, uint32_t v) { for (int i = 0; i < 4; ++i) b.at(off + i) = (v >> (8 * i)) & 0xff; }
inline uint32_t get32(const std::vector<uint8_t>& b, size_t off) {
  return b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (uint32_t(b[off + 3]) << 24);
}

// A ResStringPool chunk. UTF-16 input is taken as UTF-8 and widened code unit by code unit
// for ASCII/BMP text; `raw16` strings are written as given (to test surrogates).
inline std::vector<uint8_t> build_string_pool(const std::vector<std::string>& strings, bool utf8,
                                              const std::map<size_t, std::u16string>& raw16 = {}) {
  std::vector<uint8_t> data;
  std::vector<uint32_t> offsets;
  for (size_t i = 0; i < strings.size(); ++i) {
    offsets.push_back(static_cast<uint32_t>(data.size()));
    if (utf8) {
      const std::string& s = strings[i];
      size_t u16 = 0;  // number of UTF-16 units (ASCII/BMP only in tests)
      for (unsigned char c : s) if ((c & 0xc0) != 0x80) ++u16;
      for (size_t len : {u16, s.size()}) {
        if (len > 0x7f) { data.push_back(0x80 | (len >> 8)); data.push_back(len & 0xff); }
        else data.push_back(static_cast<uint8_t>(len));
      }
      data.insert(data.end(), s.begin(), s.end());
      data.push_back(0);
    } else {
      std::u16string w;
      if (auto it = raw16.find(i); it != raw16.end()) w = it->second;
      else for (unsigned char c : strings[i]) w.push_back(c);  // tests use ASCII here
      if (w.size() > 0x7fff) { put16(data, 0x8000 | (w.size() >> 16)); put16(data, w.size() & 0xffff); }
      else put16(data, static_cast<uint16_t>(w.size()));
      for (char16_t c : w) put16(data, c);
      put16(data, 0);
    }
  }
  while (data.size() % 4) data.push_back(0);
  std::vector<uint8_t> out;
  const uint32_t header = 28;
  put16(out, 0x0001);
  put16(out, header);
  put32(out, header + 4 * offsets.size() + data.size());
  put32(out, static_cast<uint32_t>(strings.size()));
  put32(out, 0);                                  // styles
  put32(out, utf8 ? 1u << 8 : 0);
  put32(out, header + 4 * offsets.size());        // strings start
  put32(out, 0);
  for (uint32_t o : offsets) put32(out, o);
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

struct AxmlAttr {
  std::string ns;      // uri, "" for none
  std::string name;
  uint32_t id = 0;     // resource ID for the resource map, 0 for none
  uint8_t type = 0x03; // Res_value type
  uint32_t data = 0;   // for non-string types
  std::string str;     // for strings (type 0x03): the value, also the raw value
};

inline AxmlAttr str_attr(std::string name, uint32_t id, std::string value, std::string ns = "http://schemas.android.com/apk/res/android") {
  return AxmlAttr{std::move(ns), std::move(name), id, 0x03, 0, std::move(value)};
}
inline AxmlAttr int_attr(std::string name, uint32_t id, uint8_t type, uint32_t data, std::string ns = "http://schemas.android.com/apk/res/android") {
  return AxmlAttr{std::move(ns), std::move(name), id, type, data, {}};
}

class AxmlBuilder {
 public:
  struct Layout {
    size_t pool = 0, resmap = 0;
    std::vector<size_t> nodes;  // offset of every node chunk, in order
  };

  bool utf8 = true;
  std::vector<std::string> extra_strings;  // appended to the pool (unused strings)

  void start_ns(std::string prefix, std::string uri) { nodes_.push_back({0x0100, std::move(prefix), std::move(uri), {}}); }
  void end_ns(std::string prefix, std::string uri) { nodes_.push_back({0x0101, std::move(prefix), std::move(uri), {}}); }
  void start(std::string name, std::vector<AxmlAttr> attrs = {}) { nodes_.push_back({0x0102, "", std::move(name), std::move(attrs)}); }
  void end(std::string name) { nodes_.push_back({0x0103, "", std::move(name), {}}); }
  void text(std::string t) { nodes_.push_back({0x0104, "", std::move(t), {}}); }

  std::vector<uint8_t> build(Layout* layout = nullptr) const {
    // Attribute names with IDs come first, in ID order of appearance, so the resource map
    // can index them (as aapt does).
    std::vector<std::string> strings;
    std::vector<uint32_t> ids;
    std::map<std::pair<std::string, uint32_t>, uint32_t> named;
    for (const Node& n : nodes_)
      for (const AxmlAttr& a : n.attrs)
        if (a.id && !named.count({a.name, a.id})) {
          named[{a.name, a.id}] = static_cast<uint32_t>(strings.size());
          strings.push_back(a.name);
          ids.push_back(a.id);
        }
    std::map<std::string, uint32_t> plain;
    auto idx = [&](const std::string& s) -> uint32_t {
      auto it = plain.find(s);
      if (it != plain.end()) return it->second;
      strings.push_back(s);
      return plain[s] = static_cast<uint32_t>(strings.size() - 1);
    };
    auto name_idx = [&](const AxmlAttr& a) { return a.id ? named.at({a.name, a.id}) : idx(a.name); };
    for (const Node& n : nodes_) {
      if (!n.a.empty()) idx(n.a);
      idx(n.b);
      for (const AxmlAttr& a : n.attrs) {
        name_idx(a);
        if (!a.ns.empty()) idx(a.ns);
        if (a.type == 0x03) idx(a.str);
      }
    }
    for (const std::string& s : extra_strings) idx(s);

    std::vector<uint8_t> out;
    put16(out, 0x0003);
    put16(out, 8);
    put32(out, 0);  // patched below
    Layout l;
    l.pool = out.size();
    auto pool = build_string_pool(strings, utf8);
    out.insert(out.end(), pool.begin(), pool.end());
    if (!ids.empty()) {
      l.resmap = out.size();
      put16(out, 0x0180);
      put16(out, 8);
      put32(out, 8 + 4 * ids.size());
      for (uint32_t id : ids) put32(out, id);
    }
    uint32_t line = 1;
    for (const Node& n : nodes_) {
      l.nodes.push_back(out.size());
      const size_t start = out.size();
      put16(out, n.type);
      put16(out, 16);
      put32(out, 0);  // size, patched
      put32(out, line++);
      put32(out, 0xffffffff);  // comment
      switch (n.type) {
        case 0x0100:
        case 0x0101:
          put32(out, idx(n.a));
          put32(out, idx(n.b));
          break;
        case 0x0102:
          put32(out, 0xffffffff);
          put32(out, idx(n.b));
          put16(out, 20);
          put16(out, 20);
          put16(out, static_cast<uint16_t>(n.attrs.size()));
          put16(out, 0); put16(out, 0); put16(out, 0);
          for (const AxmlAttr& a : n.attrs) {
            put32(out, a.ns.empty() ? 0xffffffff : idx(a.ns));
            put32(out, name_idx(a));
            put32(out, a.type == 0x03 ? idx(a.str) : 0xffffffff);
            put16(out, 8);
            out.push_back(0);
            out.push_back(a.type);
            put32(out, a.type == 0x03 ? idx(a.str) : a.data);
          }
          break;
        case 0x0103:
          put32(out, 0xffffffff);
          put32(out, idx(n.b));
          break;
        case 0x0104:
          put32(out, idx(n.b));
          put16(out, 8); out.push_back(0); out.push_back(0); put32(out, 0);
          break;
      }
      set32(out, start + 4, static_cast<uint32_t>(out.size() - start));
    }
    set32(out, 4, static_cast<uint32_t>(out.size()));
    if (layout) *layout = l;
    return out;
  }

  // A small manifest: <manifest package=... versionCode=...><application label=...>
  // <activity name=... exported=true/></application></manifest>, android namespace.
  static AxmlBuilder small_manifest() {
    const std::string A = "http://schemas.android.com/apk/res/android";
    AxmlBuilder b;
    b.start_ns("android", A);
    b.start("manifest", {int_attr("versionCode", 0x0101021b, 0x10, 42), str_attr("package", 0, "com.example.app", "")});
    b.start("application", {int_attr("label", 0x01010001, 0x01, 0x7f0b0001), int_attr("debuggable", 0x0101000f, 0x12, 0xffffffff)});
    b.start("activity", {str_attr("name", 0x01010003, "com.example.app.Main"), int_attr("exported", 0x01010010, 0x12, 0)});
    b.end("activity");
    b.end("application");
    b.end("manifest");
    b.end_ns("android", A);
    return b;
  }

 private:
  struct Node {
    uint16_t type;
    std::string a, b;  // ns: prefix, uri; element: "", name; text: "", text
    std::vector<AxmlAttr> attrs;
  };
  std::vector<Node> nodes_;
};

}  // namespace apkwarden::test
