// Android binary XML (AXML: compiled AndroidManifest.xml and res/xml/*.xml) decoded into a
// tinyxml2 tree, the tree `aapt dump xmltree` describes and apktool prints.
//
// The tree: elements in document order; namespace declarations as xmlns:prefix attributes on
// the element that follows them (normally the root, as apktool writes it); attribute names
// with their prefix ("android:name"); CDATA as text nodes.
//
// Attribute values are rendered as text:
//   string            -> the string (from the typed value; the raw string when untyped)
//   boolean           -> "true" / "false"
//   int dec / int hex -> "-3" / "0x1f"
//   reference         -> "@string/app_name" when `resources` names it, "@android:attr/theme"
//                        for framework attributes, else "@0x7f0b0001"; "@null" for 0
//   attribute ref     -> "?attr/colorPrimary" / "?android:attr/textColor" / "?0x7f010001"
//   dimension         -> "16.0dip" (px dip sp pt in mm); fraction -> "50.0%" / "50.0%p"
//   colors            -> "#aarrggbb"; float -> shortest ("1.5")
// The typed value itself stays available through AxmlDocument::typed_value().
//
// Attribute names follow Android, which identifies attributes by resource ID (the resource
// map chunk) and ignores the name string: when the ID is a known android:attr, its name is
// used; a stripped, obfuscated or contradicting name string gets a diagnostic.
//
// Hostile input: follows AOSP ResXMLTree::setTo / ResXMLParser::nextNode. Refused (Error):
// header sizes past the file, no valid string pool, no element node, a bad chunk before the
// first node. Tolerated with diagnostics: a wrong file type (Android does not check it),
// unknown chunks, a bad node later (decoding stops there, the partial tree is kept),
// mismatched end elements, lying attribute fields, string indexes out of range ("" then).
// Limits: limits::kMaxAxmlDepth, kMaxAxmlAttributes, kMaxAxmlNodes.
#pragma once

#include <tinyxml2.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/apk/res_types.h"
#include "dex/byte_span.h"
#include "dex/diagnostic.h"
#include "dex/result.h"

namespace apkwarden::apk {

class ResourceTable;

struct AxmlAttribute {
  std::string name;                 // as in the tree: "android:name", "package"
  std::string ns_uri;               // "" when the attribute has no namespace
  uint32_t resource_id = 0;         // from the resource map; 0 when none
  ResValue value;                   // the typed value (type + data)
  std::optional<std::string> raw;   // the raw string value, when present
};

struct AxmlElementInfo {
  uint32_t line = 0;                // lineNumber recorded by aapt
  uint32_t offset = 0;              // of the start-element chunk in the file
  std::vector<AxmlAttribute> attributes;  // in file order
};

class AxmlDocument {
 public:
  AxmlDocument();
  AxmlDocument(AxmlDocument&&) noexcept;
  AxmlDocument& operator=(AxmlDocument&&) noexcept;
  ~AxmlDocument();

  const tinyxml2::XMLDocument& xml() const { return *doc_; }
  tinyxml2::XMLDocument& xml() { return *doc_; }
  const tinyxml2::XMLElement* root() const { return doc_->RootElement(); }

  // The decoded attribute `name` ("android:name") of `el` with its typed value; nullptr if absent.
  const AxmlAttribute* typed_value(const tinyxml2::XMLElement* el, std::string_view name) const;
  // The attribute whose resource ID is `id` (e.g. 0x01010003 android:name), whatever its name.
  const AxmlAttribute* attribute_by_id(const tinyxml2::XMLElement* el, uint32_t id) const;
  // Line, offset and every attribute of `el`; nullptr for elements not from the decoder.
  const AxmlElementInfo* info(const tinyxml2::XMLElement* el) const;

 private:
  friend class AxmlDecoder;
  std::unique_ptr<tinyxml2::XMLDocument> doc_;
  std::unordered_map<const tinyxml2::XMLElement*, AxmlElementInfo> info_;
};

Result<AxmlDocument> decode_axml(ByteSpan data, std::string where, const ResourceTable* resources,
                                 Diagnostics* diags);

// The document as XML text (tinyxml2's XMLPrinter, 4-space indentation).
std::string to_xml_text(const AxmlDocument& doc);

}  // namespace apkwarden::apk
