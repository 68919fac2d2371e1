// Annotations: annotations_directory_item -> class, field, method and parameter annotation
// sets; annotation_set_item -> annotation_item (visibility + encoded_annotation).
// Enough to ask "does method M carry Landroid/webkit/JavascriptInterface;" and to read
// Kotlin's Lkotlin/Metadata;. All views are lazy and bounds checked; anything out of range is
// an empty set.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dex/dex_file.h"
#include "dex/encoded_value.h"
#include "dex/result.h"

namespace apkwarden::dex {

enum AnnotationVisibility : uint8_t { kVisibilityBuild = 0, kVisibilityRuntime = 1, kVisibilitySystem = 2 };

struct Annotation {
  uint8_t visibility = 0;
  TypeIdx type;
  uint32_t offset = 0;  // of the annotation_item
  // The elements (name = value); reader->type() equals `type`.
  EncodedAnnotationReader elements(const DexFile& dex) const { return EncodedAnnotationReader(dex, offset + 1); }
};

// annotation_set_item: uint32 size, uint32 annotation_off[size].
class AnnotationSet {
 public:
  AnnotationSet() = default;
  AnnotationSet(const DexFile& dex, uint32_t offset);
  uint32_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // The i-th annotation; nullopt when its offset or header is outside the file.
  std::optional<Annotation> at(uint32_t i) const;
  // The first annotation of the given type descriptor.
  std::optional<Annotation> find(std::string_view type_descriptor) const;
  bool in_range() const { return in_range_; }

 private:
  const DexFile* dex_ = nullptr;
  ByteSpan entries_;
  uint32_t size_ = 0;
  bool in_range_ = true;
};

// annotation_set_ref_list: uint32 size, uint32 annotations_off[size] (per parameter).
class AnnotationSetRefList {
 public:
  AnnotationSetRefList() = default;
  AnnotationSetRefList(const DexFile& dex, uint32_t offset);
  uint32_t size() const { return size_; }
  AnnotationSet at(uint32_t i) const;
  uint32_t offset_at(uint32_t i) const { return i < size_ ? entries_.read_or<uint32_t>(size_t{i} * 4, 0) : 0; }
  bool in_range() const { return in_range_; }

 private:
  const DexFile* dex_ = nullptr;
  ByteSpan entries_;
  uint32_t size_ = 0;
  bool in_range_ = true;
};

struct FieldAnnotations {
  FieldIdx field;
  uint32_t annotations_off = 0;
};
struct MethodAnnotations {
  MethodIdx method;
  uint32_t annotations_off = 0;
};

class AnnotationsDirectory {
 public:
  AnnotationsDirectory() = default;
  // Errors: kOutOfRange when the directory or its tables lie outside the file.
  static Result<AnnotationsDirectory> at(const DexFile& dex, uint32_t offset);

  AnnotationSet class_annotations() const;
  uint32_t class_annotations_offset() const { return class_annotations_off_; }
  uint32_t fields_size() const { return fields_size_; }
  uint32_t methods_size() const { return methods_size_; }
  uint32_t parameters_size() const { return parameters_size_; }
  std::optional<FieldAnnotations> field_entry(uint32_t i) const;
  std::optional<MethodAnnotations> method_entry(uint32_t i) const;
  std::optional<MethodAnnotations> parameter_entry(uint32_t i) const;  // annotations_off is a ref list
  // Lookups (linear: the lists are short and a hostile file need not keep them sorted).
  AnnotationSet field_annotations(FieldIdx f) const;
  AnnotationSet method_annotations(MethodIdx m) const;
  AnnotationSetRefList parameter_annotations(MethodIdx m) const;

 private:
  const DexFile* dex_ = nullptr;
  uint32_t offset_ = 0;
  uint32_t class_annotations_off_ = 0;
  uint32_t fields_size_ = 0, methods_size_ = 0, parameters_size_ = 0;
};

// The directory of a class def (empty directory when there is none or it is out of range).
AnnotationsDirectory annotations_of(const DexFile& dex, const ClassDef& def);

bool method_has_annotation(const DexFile& dex, const ClassDef& def, MethodIdx method,
                           std::string_view type_descriptor);
std::optional<Annotation> class_annotation(const DexFile& dex, const ClassDef& def, std::string_view type_descriptor);

// Kotlin's @kotlin.Metadata (k = kind, mv = metadata version, d1/d2 = protobuf strings and
// names, xs/pn = extra string/package name, xi = extra int).
struct KotlinMetadata {
  int32_t kind = 1;
  std::vector<int32_t> metadata_version;
  std::vector<std::string> data1;
  std::vector<std::string> data2;
  std::string extra_string;
  std::string package_name;
  int32_t extra_int = 0;
};
std::optional<KotlinMetadata> read_kotlin_metadata(const DexFile& dex, const ClassDef& def);

}  // namespace apkwarden::dex
