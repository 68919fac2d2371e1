// resources.arsc: the compiled resource table. Parsing indexes the chunks (packages, their
// type/key string pools, type-spec and type chunks with their configurations); entries and
// values are read on demand from the bytes. Lookups are const and thread-safe.
//
// Lifetime: parse() keeps a view of `data`, which must outlive the table; parse_owned()
// keeps the bytes inside the table instead.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/apk/res_types.h"
#include "analyzer/apk/string_pool.h"
#include "dex/byte_span.h"
#include "dex/diagnostic.h"
#include "dex/result.h"

namespace apkwarden::apk {

// One entry of a resource in one configuration.
struct ResourceEntry {
  uint32_t id = 0;
  uint16_t flags = 0;          // ResTable_entry flags (kComplex, kPublic, kWeak, kCompact)
  uint32_t key = 0;            // index into the package's key strings
  bool complex = false;        // a bag (style, array, plurals, attr...)
  ResValue value;              // simple entries
  uint32_t parent = 0;         // bags: parent style
  std::vector<std::pair<uint32_t, ResValue>> bag;  // bags: (name id, value), <= kMaxArscBagEntries

  static constexpr uint16_t kComplex = 0x0001;
  static constexpr uint16_t kPublic = 0x0002;
  static constexpr uint16_t kWeak = 0x0004;
  static constexpr uint16_t kCompact = 0x0008;
};

struct ResourcePackage {
  uint32_t id = 0;             // 0x7f for apps, 0x01 for the framework
  std::string name;            // "com.example.app"
};

class ResourceTable {
 public:
  static Result<ResourceTable> parse(ByteSpan data, std::string where, Diagnostics* diags);
  static Result<ResourceTable> parse_owned(std::vector<uint8_t> data, std::string where, Diagnostics* diags);

  std::vector<ResourcePackage> packages() const;

  // "string/app_name"; "android:string/ok" for package 0x01. nullopt for an unknown ID.
  std::optional<std::string> name(uint32_t id) const;

  // The entry in the default configuration: the configuration whose fields are all zero if
  // that one has the entry, else the first type chunk (in file order) that has it.
  std::optional<ResourceEntry> entry(uint32_t id) const;
  // Every configuration's entry for `id`, in file order (for callers that care about locales).
  std::vector<ResourceEntry> all_entries(uint32_t id) const;

  // The simple value of `id` in the default configuration, following references
  // (@string/a -> @string/b -> "x") up to limits::kMaxResourceReferenceDepth. nullopt when
  // the ID is unknown, a bag, dangling, or the chain is too long / cyclic.
  std::optional<ResValue> resolve(uint32_t id) const;

  // resolve(), then the string of a kString value: text for string resources, the path
  // ("res/xml/network_security_config.xml") for file resources. nullopt otherwise.
  std::optional<std::string> string_value(uint32_t id) const;

  // A string in the global value pool (the data of a kString value).
  std::optional<std::string> pool_string(uint32_t idx) const { return strings_.get(idx); }
  uint32_t pool_size() const { return strings_.size(); }

  // A value as text: strings from the global pool, references named ("@string/app_name",
  // else "@0x7f0b0001"), the rest as format_plain_value().
  std::string format_value(const ResValue& v) const;

 private:
  struct TypeChunk {
    size_t offset = 0;           // of the chunk, in data_
    uint32_t header_size = 0;
    uint32_t size = 0;
    uint8_t flags = 0;           // kSparse, kOffset16
    uint32_t entry_count = 0;    // already bounded by the chunk and the limit
    uint32_t entries_start = 0;
    bool default_config = false;
  };
  struct Package {
    uint32_t id = 0;
    std::string name;
    uint32_t type_id_offset = 0;
    StringPool type_strings;
    StringPool key_strings;
    std::vector<std::vector<TypeChunk>> types;  // index: type id - 1
  };

  void parse_package(ByteSpan chunk, size_t chunk_off, Diagnostics* diags);
  void add_type_chunk(Package& pkg, ByteSpan chunk, size_t chunk_off, Diagnostics* diags);
  const Package* find_package(uint32_t package_id) const;
  const std::vector<TypeChunk>* find_type(uint32_t id, const Package** pkg) const;
  std::optional<ResourceEntry> read_entry(const TypeChunk& tc, uint32_t id) const;

  std::shared_ptr<const std::vector<uint8_t>> owned_;
  ByteSpan data_;
  std::string where_;
  StringPool strings_;
  std::vector<Package> packages_;
  uint32_t type_chunk_count_ = 0;
};

}  // namespace apkwarden::apk
