// Binary XML decoding, following AOSP ResXMLTree::setTo, ResXMLTree::validateNode and
// ResXMLParser::nextNode (androidfw/ResourceTypes.cpp), building a tinyxml2 tree.
#include "analyzer/apk/axml.h"

#include <cstdio>
#include <map>

#include "analyzer/apk/android_attrs.h"
#include "analyzer/apk/resource_table.h"
#include "analyzer/apk/string_pool.h"
#include "dex/limits.h"

namespace apkwarden::apk {

AxmlDocument::AxmlDocument() : doc_(std::make_unique<tinyxml2::XMLDocument>()) {}
AxmlDocument::AxmlDocument(AxmlDocument&&) noexcept = default;
AxmlDocument& AxmlDocument::operator=(AxmlDocument&&) noexcept = default;
AxmlDocument::~AxmlDocument() = default;

const AxmlElementInfo* AxmlDocument::info(const tinyxml2::XMLElement* el) const {
  auto it = info_.find(el);
  return it == info_.end() ? nullptr : &it->second;
}

const AxmlAttribute* AxmlDocument::typed_value(const tinyxml2::XMLElement* el, std::string_view name) const {
  const AxmlElementInfo* i = info(el);
  if (!i) return nullptr;
  // The last one wins, as in the tree (tinyxml2 overwrites duplicates).
  for (auto it = i->attributes.rbegin(); it != i->attributes.rend(); ++it)
    if (it->name == name) return &*it;
  return nullptr;
}

const AxmlAttribute* AxmlDocument::attribute_by_id(const tinyxml2::XMLElement* el, uint32_t id) const {
  const AxmlElementInfo* i = info(el);
  if (!i || id == 0) return nullptr;
  for (auto it = i->attributes.rbegin(); it != i->attributes.rend(); ++it)
    if (it->resource_id == id) return &*it;
  return nullptr;
}

std::string to_xml_text(const AxmlDocument& doc) {
  tinyxml2::XMLPrinter printer;
  doc.xml().Print(&printer);
  return printer.CStr();
}

namespace {

constexpr size_t kNodeHeaderSize = 16;     // ResXMLTree_node: chunk header, lineNumber, comment
constexpr size_t kAttrExtSize = 20;        // ResXMLTree_attrExt
constexpr size_t kAttributeSize = 20;      // ResXMLTree_attribute
constexpr uint32_t kNoString = 0xffffffffu;

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

class AxmlDecoder {
 public:
  AxmlDecoder(ByteSpan data, std::string where, const ResourceTable* res, Diagnostics* diags)
      : data_(data), where_(std::move(where)), res_(res), diags_(diags) {}

  Result<AxmlDocument> run();

 private:
  void diag(const char* code, std::string msg, size_t off) {
    if (diags_) diags_->push_back({code, std::move(msg), where_ + "@" + hex(off)});
  }
  std::string string_at(uint32_t idx, size_t off, const char* what);
  const char* validate_node(size_t off, const ChunkHeader& h) const;
  bool node(size_t off, const ChunkHeader& h);  // false: stop decoding
  void start_element(size_t off, size_t ext);
  void end_element(size_t off, size_t ext);
  void attribute(size_t at, tinyxml2::XMLElement* el, AxmlElementInfo& info, size_t elem_off);
  std::string attribute_name(uint32_t ns_idx, uint32_t name_idx, size_t at, std::string& ns_uri, uint32_t& id);
  std::string prefix_for(const std::string& uri);
  std::string render(const ResValue& v, const std::optional<std::string>& raw, size_t at);

  ByteSpan data_;  // the document, cut to its header's size
  std::string where_;
  const ResourceTable* res_;
  Diagnostics* diags_;
  StringPool pool_;
  bool have_pool_ = false;
  ByteSpan res_ids_;  // uint32 resource IDs, indexed like the string pool
  AxmlDocument doc_;
  struct Open {
    tinyxml2::XMLElement* el;  // nullptr for an element skipped beyond the depth limit
    uint32_t name_idx;
  };
  std::vector<Open> stack_;
  std::map<std::string, std::string> prefixes_;  // uri -> prefix
  std::vector<std::pair<std::string, std::string>> pending_ns_;  // (prefix, uri) to declare
  uint32_t nodes_ = 0;
  uint32_t generated_prefixes_ = 0;
  bool depth_reported_ = false;
};

std::string AxmlDecoder::string_at(uint32_t idx, size_t off, const char* what) {
  std::string s;
  switch (pool_.lookup(idx, s)) {
    case StringPool::Lookup::kOk: return s;
    case StringPool::Lookup::kOutOfRange:
      diag("axml-string-out-of-range", std::string(what) + " string index " + std::to_string(idx) +
           " is outside the pool (" + std::to_string(pool_.size()) + " strings)", off);
      break;
    case StringPool::Lookup::kMalformed:
      diag("axml-bad-string", std::string(what) + " string #" + std::to_string(idx) + " is malformed", off);
      break;
    case StringPool::Lookup::kTooLong:
      diag("axml-string-limit", std::string(what) + " string #" + std::to_string(idx) + " is over the length limit", off);
      break;
  }
  return {};
}

// ResXMLTree::validateNode: a valid chunk, and for start elements an attribute array that
// fits in the node.
const char* AxmlDecoder::validate_node(size_t off, const ChunkHeader& h) const {
  if (const char* why = validate_chunk(h, kNodeHeaderSize, data_.size() - off)) return why;
  if (h.type != chunk_type::kXmlStartElement) return nullptr;
  if (h.size < size_t{h.header_size} + kAttrExtSize) return "start element too small for its attribute header";
  const size_t ext = off + h.header_size;
  const size_t attr_start = data_.read_or<uint16_t>(ext + 8, 0);
  const size_t attr_size = data_.read_or<uint16_t>(ext + 10, 0);
  const size_t attr_count = data_.read_or<uint16_t>(ext + 12, 0);
  if (attr_start + attr_size * attr_count > h.size - h.header_size) return "attributes run past the node";
  return nullptr;
}

Result<AxmlDocument> AxmlDecoder::run() {
  ChunkHeader file;
  if (!read_chunk_header(data_, 0, file)) return make_error(ErrorCode::kTruncated, where_ + ": shorter than a chunk header");
  // Android checks sizes only, not the type: a wrong type is a known anti-analysis trick.
  if (file.header_size > file.size || file.size > data_.size())
    return make_error(ErrorCode::kTruncated, where_ + ": header size " + hex(file.header_size) + " or document size " +
                      hex(file.size) + " is larger than the file (" + hex(data_.size()) + ")");
  if (file.type != chunk_type::kXml) diag("axml-bad-magic", "document chunk type is " + hex(file.type) + ", not 0x3 (Android ignores it)", 0);
  if (file.header_size != kChunkHeaderSize) diag("axml-bad-header-size", "document header size is " + hex(file.header_size), 2);
  if (file.size < data_.size()) diag("axml-trailing-data", std::to_string(data_.size() - file.size) + " bytes after the document", file.size);
  data_ = data_.sub(0, file.size);
  const size_t end = data_.size();

  // setTo(): find the string pool, the resource map and the first node.
  size_t root = 0;
  bool have_root = false;
  for (size_t off = file.header_size; off + kChunkHeaderSize < end;) {
    ChunkHeader c;
    read_chunk_header(data_, off, c);
    if (c.size >= end - off) break;  // Android's loop stops at a chunk reaching the end
    if (const char* why = validate_chunk(c, kChunkHeaderSize, end - off))
      return make_error(ErrorCode::kMalformed, where_ + "@" + hex(off) + ": chunk " + hex(c.type) + ": " + why, off);
    if (c.type == chunk_type::kStringPool) {
      if (have_pool_) diag("axml-extra-string-pool", "a second string pool replaces the first (as in Android)", off);
      auto pool = StringPool::parse(data_.sub(off, c.size), where_ + "@" + hex(off), diags_);
      if (!pool) return pool.error();
      pool_ = std::move(*pool);
      have_pool_ = true;
    } else if (c.type == chunk_type::kXmlResourceMap) {
      res_ids_ = data_.sub(off + c.header_size, (c.size - c.header_size) / 4 * 4);
    } else if (c.type >= chunk_type::kXmlFirstNode && c.type <= chunk_type::kXmlLastNode) {
      if (const char* why = validate_node(off, c))
        return make_error(ErrorCode::kMalformed, where_ + "@" + hex(off) + ": first node: " + why, off);
      root = off;
      have_root = true;
      break;
    } else {
      diag("axml-unknown-chunk", "unknown chunk type " + hex(c.type) + " skipped", off);
    }
    off += c.size;
  }
  if (!have_root) return make_error(ErrorCode::kMalformed, where_ + ": no XML node found");
  if (!have_pool_) return make_error(ErrorCode::kMalformed, where_ + ": no string pool");

  // nextNode(): walk the nodes from the first one.
  for (size_t off = root; off + kChunkHeaderSize <= end;) {
    ChunkHeader c;
    read_chunk_header(data_, off, c);
    if (const char* why = validate_node(off, c)) {
      diag("axml-bad-node", std::string("node ") + hex(c.type) + ": " + why + "; rest of the document ignored", off);
      break;
    }
    if (!node(off, c)) break;
    off += c.size;
  }
  if (stack_.size() > 0) diag("axml-unclosed-element", std::to_string(stack_.size()) + " element(s) not closed", end);
  if (!doc_.doc_->RootElement()) return make_error(ErrorCode::kMalformed, where_ + ": no element in the document");
  return std::move(doc_);
}

bool AxmlDecoder::node(size_t off, const ChunkHeader& h) {
  size_t min_ext = 0;
  switch (h.type) {
    case chunk_type::kXmlStartNamespace:
    case chunk_type::kXmlEndNamespace: min_ext = 8; break;
    case chunk_type::kXmlStartElement: min_ext = kAttrExtSize; break;
    case chunk_type::kXmlEndElement: min_ext = 8; break;
    case chunk_type::kXmlCdata: min_ext = 12; break;
    default:
      diag("axml-unknown-chunk", "unknown node type " + hex(h.type) + " skipped", off);
      return true;
  }
  if (h.size - h.header_size < min_ext) {
    diag("axml-bad-node", "node " + hex(h.type) + " too small (" + std::to_string(h.size - h.header_size) +
         " bytes after its header); rest of the document ignored", off);
    return false;
  }
  if (++nodes_ > limits::kMaxAxmlNodes) {
    diag("axml-node-limit", "more than " + std::to_string(limits::kMaxAxmlNodes) + " nodes; rest ignored", off);
    return false;
  }
  const size_t ext = off + h.header_size;
  switch (h.type) {
    case chunk_type::kXmlStartNamespace: {
      std::string prefix = string_at(data_.read_or<uint32_t>(ext, kNoString), ext, "namespace prefix");
      std::string uri = string_at(data_.read_or<uint32_t>(ext + 4, kNoString), ext + 4, "namespace uri");
      if (prefix.empty()) prefix = uri == kAndroidNamespace ? "android" : "ns" + std::to_string(generated_prefixes_++);
      if (!prefixes_.count(uri)) {
        prefixes_[uri] = prefix;
        pending_ns_.emplace_back(prefix, uri);
      }
      break;
    }
    case chunk_type::kXmlEndNamespace: break;  // prefixes stay valid: names are already resolved
    case chunk_type::kXmlStartElement: start_element(off, ext); break;
    case chunk_type::kXmlEndElement: end_element(off, ext); break;
    case chunk_type::kXmlCdata: {
      const std::string text = string_at(data_.read_or<uint32_t>(ext, kNoString), ext, "text");
      if (stack_.empty()) diag("axml-text-outside-element", "text outside any element ignored", off);
      else if (stack_.back().el) stack_.back().el->InsertEndChild(doc_.doc_->NewText(text.c_str()));
      break;
    }
  }
  return true;
}

void AxmlDecoder::start_element(size_t off, size_t ext) {
  const uint32_t ns_idx = data_.read_or<uint32_t>(ext, kNoString);
  const uint32_t name_idx = data_.read_or<uint32_t>(ext + 4, kNoString);
  if (stack_.size() >= limits::kMaxAxmlDepth || (!stack_.empty() && !stack_.back().el)) {
    if (!depth_reported_) diag("axml-depth-limit", "elements nested deeper than " + std::to_string(limits::kMaxAxmlDepth) + " ignored", off);
    depth_reported_ = true;
    stack_.push_back({nullptr, name_idx});
    if (stack_.size() > limits::kMaxAxmlNodes) stack_.pop_back();  // cannot grow past the node limit anyway
    return;
  }
  std::string name = string_at(name_idx, ext + 4, "element name");
  if (name.empty()) {
    diag("axml-empty-element-name", "element without a name", off);
    name = "unnamed";
  }
  if (ns_idx != kNoString) {
    const std::string prefix = prefix_for(string_at(ns_idx, ext, "element namespace"));
    if (!prefix.empty()) name = prefix + ":" + name;
  }
  tinyxml2::XMLElement* el = doc_.doc_->NewElement(name.c_str());
  if (stack_.empty()) {
    if (doc_.doc_->RootElement()) diag("axml-multiple-roots", "a second top-level element", off);
    doc_.doc_->InsertEndChild(el);
  } else {
    stack_.back().el->InsertEndChild(el);
  }
  for (const auto& [prefix, uri] : pending_ns_) el->SetAttribute(("xmlns:" + prefix).c_str(), uri.c_str());
  pending_ns_.clear();
  stack_.push_back({el, name_idx});

  AxmlElementInfo& info = doc_.info_[el];
  info.line = data_.read_or<uint32_t>(off + 8, 0);
  info.offset = static_cast<uint32_t>(off);
  const size_t attr_start = data_.read_or<uint16_t>(ext + 8, 0);
  const size_t attr_size = data_.read_or<uint16_t>(ext + 10, 0);
  size_t count = data_.read_or<uint16_t>(ext + 12, 0);
  if (count > 0 && attr_size < kAttributeSize)
    diag("axml-bad-attribute-size", "attribute size " + std::to_string(attr_size) + " is below 20; Android reads overlapping attributes", ext + 10);
  if (count > limits::kMaxAxmlAttributes) {
    diag("axml-attribute-limit", std::to_string(count) + " attributes; only the first " +
         std::to_string(limits::kMaxAxmlAttributes) + " read", ext + 12);
    count = limits::kMaxAxmlAttributes;
  }
  for (size_t i = 0; i < count; ++i) {
    const size_t at = ext + attr_start + i * attr_size;
    if (!data_.has(at, kAttributeSize)) {
      diag("axml-bad-attribute", "attribute " + std::to_string(i) + " runs past the document; rest ignored", at);
      break;
    }
    attribute(at, el, info, off);
  }
}

void AxmlDecoder::end_element(size_t off, size_t ext) {
  if (stack_.empty()) {
    diag("axml-unbalanced-end", "end element without a start element ignored", off);
    return;
  }
  const uint32_t name_idx = data_.read_or<uint32_t>(ext + 4, kNoString);
  if (name_idx != stack_.back().name_idx) {
    const bool open = stack_.back().el != nullptr;
    diag("axml-end-element-mismatch", "end element '" + string_at(name_idx, ext + 4, "end element") +
         "' closes '" + (open ? stack_.back().el->Name() : "?") + "'", off);
  }
  stack_.pop_back();
}

std::string AxmlDecoder::prefix_for(const std::string& uri) {
  if (uri.empty()) return {};
  auto it = prefixes_.find(uri);
  if (it != prefixes_.end()) return it->second;
  // An undeclared namespace: declare it on the next element (android's own prefix if it is the
  // android namespace), so the tree stays well-formed.
  std::string prefix = uri == kAndroidNamespace ? "android" : "ns" + std::to_string(generated_prefixes_++);
  diag("axml-undeclared-namespace", "namespace " + uri + " used without a declaration", 0);
  prefixes_[uri] = prefix;
  if (doc_.doc_->RootElement()) doc_.doc_->RootElement()->SetAttribute(("xmlns:" + prefix).c_str(), uri.c_str());
  else pending_ns_.emplace_back(prefix, uri);
  return prefix;
}

// The name Android would use: by resource ID when the ID is a known android:attr.
std::string AxmlDecoder::attribute_name(uint32_t ns_idx, uint32_t name_idx, size_t at, std::string& ns_uri, uint32_t& id) {
  std::string local;
  if (pool_.lookup(name_idx, local) != StringPool::Lookup::kOk) local.clear();
  id = 0;
  if (name_idx < res_ids_.size() / 4) id = res_ids_.read_or<uint32_t>(size_t{name_idx} * 4, 0);
  ns_uri = ns_idx == kNoString ? std::string() : string_at(ns_idx, at, "attribute namespace");
  std::optional<std::string> by_id;
  bool framework = false;
  if (auto n = android_attr_name(id)) {
    by_id = std::string(*n);
    framework = true;
  } else if (id != 0 && res_ && (id >> 24) != 0x01) {
    if (auto n = res_->name(id); n && n->rfind("attr/", 0) == 0) by_id = n->substr(5);
  }
  if (by_id && local != *by_id) {
    if (local.empty())
      diag("axml-attr-name-from-id", "attribute name string is empty or invalid; named " + *by_id + " from its resource ID " + hex(id), at);
    else
      diag("axml-attr-name-id-mismatch", "attribute name '" + local + "' disagrees with its resource ID " + hex(id) +
           " (" + *by_id + "); Android uses the ID", at);
    local = *by_id;
  }
  if (local.empty()) {
    diag("axml-unnamed-attribute", "attribute without name string or known resource ID", at);
    local = id ? "attr_" + hex(id) : "unnamed_" + std::to_string(name_idx);
  }
  std::string prefix;
  if (framework && ns_uri != kAndroidNamespace) {
    diag("axml-attr-namespace", "framework attribute " + local + " outside the android namespace ('" + ns_uri + "')", at);
    prefix = prefix_for(std::string(kAndroidNamespace));
  } else {
    prefix = prefix_for(ns_uri);
  }
  return prefix.empty() ? local : prefix + ":" + local;
}

void AxmlDecoder::attribute(size_t at, tinyxml2::XMLElement* el, AxmlElementInfo& info, size_t elem_off) {
  AxmlAttribute a;
  const uint32_t ns_idx = data_.read_or<uint32_t>(at, kNoString);
  const uint32_t name_idx = data_.read_or<uint32_t>(at + 4, kNoString);
  const uint32_t raw_idx = data_.read_or<uint32_t>(at + 8, kNoString);
  read_res_value(data_, at + 12, a.value);
  a.name = attribute_name(ns_idx, name_idx, at, a.ns_uri, a.resource_id);
  if (raw_idx != kNoString) a.raw = string_at(raw_idx, at + 8, "raw value");
  const std::string text = render(a.value, a.raw, at + 12);
  if (el->FindAttribute(a.name.c_str()))
    diag("axml-duplicate-attribute", "attribute " + a.name + " appears twice; the last one is kept", elem_off);
  el->SetAttribute(a.name.c_str(), text.c_str());
  info.attributes.push_back(std::move(a));
}

std::string AxmlDecoder::render(const ResValue& v, const std::optional<std::string>& raw, size_t at) {
  if (v.type == value_type::kString) return string_at(v.data, at + 4, "attribute value");
  if (v.type == value_type::kNull && raw) return *raw;
  const char sigil = v.is_reference() ? '@' : '?';
  if ((v.is_reference() || v.is_attribute()) && v.data != 0) {
    if (res_)
      if (auto n = res_->name(v.data)) return sigil + *n;
    if ((v.data >> 16) == 0x0101)
      if (auto n = android_attr_name(v.data)) return sigil + std::string("android:attr/") + std::string(*n);
  }
  return format_plain_value(v);
}

Result<AxmlDocument> decode_axml(ByteSpan data, std::string where, const ResourceTable* resources, Diagnostics* diags) {
  return AxmlDecoder(data, std::move(where), resources, diags).run();
}

}  // namespace apkwarden::apk
