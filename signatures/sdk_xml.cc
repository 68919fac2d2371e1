// Reads one SDK data file (format in sdk.h) with tinyxml2, checking every element and attribute
// against the schema; each problem becomes a CatalogIssue at the line tinyxml2 reports.
#include <tinyxml2.h>

#include <algorithm>
#include <optional>
#include <string>

#include "dex/limits.h"
#include "signatures/sdk_catalog.h"

namespace apkwarden::signatures {

namespace {

using tinyxml2::XMLAttribute;
using tinyxml2::XMLElement;
using tinyxml2::XMLNode;

std::string_view trim(std::string_view s) {
  const auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return s;
}

class FileReader {
 public:
  FileReader(SdkCatalogBuilder& b, std::string_view file) : b_(b), file_(file) {}

  void issue(int line, std::string msg) { b_.add_issue(file_, line, std::move(msg)); }

  // Reports attributes of `e` not in `allowed`.
  void check_attributes(const XMLElement* e, std::initializer_list<std::string_view> allowed) {
    for (const XMLAttribute* a = e->FirstAttribute(); a; a = a->Next())
      if (std::find(allowed.begin(), allowed.end(), std::string_view(a->Name())) == allowed.end())
        issue(a->GetLineNum(), "unknown attribute '" + std::string(a->Name()) + "' on <" + e->Name() + ">");
  }

  // A required attribute's value, or nullopt after reporting it missing/empty.
  std::optional<std::string_view> required(const XMLElement* e, const char* name) {
    const char* v = e->Attribute(name);
    if (!v || trim(v).empty()) {
      issue(e->GetLineNum(), std::string("<") + e->Name() + "> needs a non-empty '" + name + "' attribute");
      return std::nullopt;
    }
    return trim(v);
  }

  // The text of a text-only element with no attributes, or nullopt after reporting why not.
  std::optional<std::string_view> text_of(const XMLElement* e) {
    check_attributes(e, {});
    if (e->FirstChildElement()) {
      issue(e->FirstChildElement()->GetLineNum(), std::string("<") + e->Name() + "> holds only text");
      return std::nullopt;
    }
    const char* t = e->GetText();
    if (!t || trim(t).empty()) {
      issue(e->GetLineNum(), std::string("empty <") + e->Name() + ">");
      return std::nullopt;
    }
    return trim(t);
  }

  // No text and no children (for elements that carry only attributes).
  void expect_empty(const XMLElement* e) {
    if (e->FirstChildElement() || (e->GetText() && !trim(e->GetText()).empty()))
      issue(e->GetLineNum(), std::string("<") + e->Name() + "> takes no content");
  }

  void read_sdk(const XMLElement* e, SdkOrigin origin);

 private:
  SdkCatalogBuilder& b_;
  std::string file_;
};

void FileReader::read_sdk(const XMLElement* e, SdkOrigin origin) {
  const int line = e->GetLineNum();
  check_attributes(e, {"id", "name", "vendor", "country", "category", "website"});
  Sdk sdk;
  sdk.origin = origin;
  bool ok = true;
  if (auto v = required(e, "id")) {
    sdk.id = *v;
    if (!is_valid_sdk_id(*v)) {
      issue(line, "id '" + sdk.id + "' is not kebab-case ([a-z0-9]+(-[a-z0-9]+)*, at most 64 bytes)");
      ok = false;
    }
  } else {
    ok = false;
  }
  if (auto v = required(e, "name")) sdk.name = *v; else ok = false;
  if (auto v = required(e, "vendor")) sdk.vendor = *v; else ok = false;
  if (auto v = required(e, "country")) {
    sdk.country = *v;
    const bool shape = v->size() == 2 && std::all_of(v->begin(), v->end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    if (!shape) {
      issue(line, "country '" + sdk.country + "' is not an ISO 3166-1 alpha-2 code (two capital letters)");
      ok = false;
    } else if (!is_valid_country(*v)) {
      issue(line, "country '" + sdk.country + "' is not an assigned ISO 3166-1 alpha-2 code");
      ok = false;
    }
  } else {
    ok = false;
  }
  if (auto v = required(e, "category")) {
    sdk.category = *v;
    if (!is_sdk_category(*v)) {
      issue(line, "unknown category '" + sdk.category + "'");
      ok = false;
    }
  } else {
    ok = false;
  }
  if (const char* w = e->Attribute("website")) {
    sdk.website = trim(w);
    if (!sdk.website.starts_with("https://") && !sdk.website.starts_with("http://")) {
      issue(line, "website '" + sdk.website + "' is not an http(s) URL");
      ok = false;
    }
  }

  for (const XMLElement* c = e->FirstChildElement(); c; c = c->NextSiblingElement()) {
    const std::string_view tag = c->Name();
    const int cl = c->GetLineNum();
    if (tag == "class-prefix") {
      auto t = text_of(c);
      if (!t) { ok = false; continue; }
      if (!is_valid_class_prefix(*t)) {
        issue(cl, "class prefix '" + std::string(*t) +
                      "' must be Java identifiers joined by '.' and end in '.' (no spaces or slashes)");
        ok = false;
      } else if (std::find(sdk.class_prefixes.begin(), sdk.class_prefixes.end(), *t) != sdk.class_prefixes.end()) {
        issue(cl, "duplicate class prefix '" + std::string(*t) + "'");
        ok = false;
      } else {
        sdk.class_prefixes.emplace_back(*t);
      }
    } else if (tag == "manifest-component") {
      auto t = text_of(c);
      if (!t) { ok = false; continue; }
      if (!is_valid_class_name(*t)) {
        issue(cl, "manifest component '" + std::string(*t) + "' is not a dotted class name");
        ok = false;
      } else {
        sdk.manifest_components.emplace_back(*t);
      }
    } else if (tag == "native-lib") {
      auto t = text_of(c);
      if (!t) { ok = false; continue; }
      if (!t->ends_with(".so") || t->find_first_of("/\\ ") != std::string_view::npos) {
        issue(cl, "native library '" + std::string(*t) + "' must be a file name ending in .so");
        ok = false;
      } else {
        sdk.native_libs.emplace_back(*t);
      }
    } else if (tag == "collects") {
      auto t = text_of(c);
      if (!t) { ok = false; continue; }
      if (!is_data_type(*t)) {
        issue(cl, "unknown data type '" + std::string(*t) + "' in <collects>");
        ok = false;
      } else if (std::find(sdk.collects.begin(), sdk.collects.end(), *t) != sdk.collects.end()) {
        issue(cl, "duplicate <collects> '" + std::string(*t) + "'");
        ok = false;
      } else {
        sdk.collects.emplace_back(*t);
      }
    } else if (tag == "privacy-switch" || tag == "ad-api") {
      const bool ad = tag == "ad-api";
      if (ad) check_attributes(c, {"kind", "class", "method"});
      else check_attributes(c, {"class", "method"});
      expect_empty(c);
      auto cls = required(c, "class");
      auto method = required(c, "method");
      std::optional<std::string_view> kind;
      if (ad) kind = required(c, "kind");
      if (!cls || !method || (ad && !kind)) { ok = false; continue; }
      if (!is_valid_class_name(*cls)) {
        issue(cl, "class '" + std::string(*cls) + "' is not a dotted class name");
        ok = false;
        continue;
      }
      if (!is_valid_class_name(*method) || method->find('.') != std::string_view::npos) {
        issue(cl, "method '" + std::string(*method) + "' is not a Java identifier");
        ok = false;
        continue;
      }
      if (ad) {
        if (!is_ad_kind(*kind)) {
          issue(cl, "unknown ad kind '" + std::string(*kind) + "'");
          ok = false;
          continue;
        }
        sdk.ad_apis.push_back({std::string(*kind), std::string(*cls), std::string(*method)});
      } else {
        sdk.privacy_switches.push_back({std::string(*cls), std::string(*method)});
      }
    } else {
      issue(cl, "unknown element <" + std::string(tag) + "> in <sdk>");
      ok = false;
    }
  }
  if (sdk.class_prefixes.empty() && sdk.native_libs.empty()) {
    issue(line, "<sdk id=\"" + sdk.id + "\"> needs at least one <class-prefix> or <native-lib>");
    ok = false;
  }
  if (ok) b_.add_sdk(std::move(sdk), file_, line);
}

}  // namespace

void SdkCatalogBuilder::add_xml(std::string_view file, std::string_view text, SdkOrigin origin) {
  FileReader r(*this, file);
  if (text.size() > limits::kMaxSignatureFileBytes) {
    r.issue(0, "file is larger than " + std::to_string(limits::kMaxSignatureFileBytes) + " bytes");
    return;
  }
  tinyxml2::XMLDocument doc;
  if (doc.Parse(text.data(), text.size()) != tinyxml2::XML_SUCCESS) {
    r.issue(doc.ErrorLineNum(), std::string("not well-formed XML: ") + doc.ErrorName());
    return;
  }
  const XMLElement* root = doc.RootElement();
  if (!root || std::string_view(root->Name()) != "sdks") {
    r.issue(root ? root->GetLineNum() : 1, "the root element must be <sdks>");
    return;
  }
  r.check_attributes(root, {"version"});
  r.required(root, "version");
  for (const XMLNode* n = root->FirstChild(); n; n = n->NextSibling()) {
    if (n->ToComment()) continue;
    const XMLElement* e = n->ToElement();
    if (!e) {
      if (n->ToText() && !trim(n->Value()).empty()) r.issue(n->GetLineNum(), "unexpected text in <sdks>");
      continue;
    }
    if (std::string_view(e->Name()) != "sdk") {
      r.issue(e->GetLineNum(), "unknown element <" + std::string(e->Name()) + "> in <sdks>");
      continue;
    }
    r.read_sdk(e, origin);
  }
}

}  // namespace apkwarden::signatures
