#include "dex/annotations.h"

#include "dex/limits.h"

namespace apkwarden::dex {

namespace {

// A u32-counted table of `elem`-byte entries at `offset`; empty span and false if out of range.
bool counted_table(const ByteSpan file, uint32_t offset, uint32_t elem, uint32_t limit, ByteSpan& out,
                   uint32_t& size) {
  uint32_t n;
  if (!file.read(offset, n) || n > limit) return false;
  const uint64_t bytes = uint64_t{n} * elem;
  if (!file.has(uint64_t{offset} + 4, bytes)) return false;
  out = file.sub(uint64_t{offset} + 4, bytes);
  size = n;
  return true;
}

}  // namespace

AnnotationSet::AnnotationSet(const DexFile& dex, uint32_t offset) : dex_(&dex) {
  if (offset == 0) return;
  in_range_ = counted_table(dex.container(), offset, 4, limits::kMaxAnnotationsPerSet, entries_, size_);
}

std::optional<Annotation> AnnotationSet::at(uint32_t i) const {
  if (i >= size_) return std::nullopt;
  uint32_t off;
  if (!entries_.read(size_t{i} * 4, off)) return std::nullopt;
  ByteCursor c(dex_->container(), off);
  Annotation a;
  a.visibility = c.u8();
  a.type = TypeIdx(c.uleb128());
  if (c.failed() || c.overflowed()) return std::nullopt;
  a.offset = off;
  return a;
}

std::optional<Annotation> AnnotationSet::find(std::string_view type_descriptor) const {
  for (uint32_t i = 0; i < size_; ++i) {
    auto a = at(i);
    if (a && dex_->type_descriptor(a->type) == type_descriptor) return a;
  }
  return std::nullopt;
}

AnnotationSetRefList::AnnotationSetRefList(const DexFile& dex, uint32_t offset) : dex_(&dex) {
  if (offset == 0) return;
  in_range_ = counted_table(dex.container(), offset, 4, limits::kMaxAnnotationsPerSet, entries_, size_);
}

AnnotationSet AnnotationSetRefList::at(uint32_t i) const {
  uint32_t off;
  if (i >= size_ || !entries_.read(size_t{i} * 4, off)) return {};
  return AnnotationSet(*dex_, off);
}

Result<AnnotationsDirectory> AnnotationsDirectory::at(const DexFile& dex, uint32_t offset) {
  AnnotationsDirectory d;
  d.dex_ = &dex;
  d.offset_ = offset;
  if (offset == 0) return d;
  ByteCursor c(dex.container(), offset);
  d.class_annotations_off_ = c.u32();
  d.fields_size_ = c.u32();
  d.methods_size_ = c.u32();
  d.parameters_size_ = c.u32();
  if (c.failed())
    return make_error(ErrorCode::kOutOfRange, dex.where(offset) + ": annotations_directory_item lies outside the file",
                      offset);
  const uint64_t entries = uint64_t{d.fields_size_} + d.methods_size_ + d.parameters_size_;
  if (!dex.container().has(uint64_t{offset} + 16, entries * 8))
    return make_error(ErrorCode::kOutOfRange,
                      dex.where(offset) + ": annotations_directory_item lists run past the end of the file", offset);
  return d;
}

AnnotationSet AnnotationsDirectory::class_annotations() const {
  if (!dex_ || class_annotations_off_ == 0) return {};
  return AnnotationSet(*dex_, class_annotations_off_);
}

namespace {
std::optional<std::pair<uint32_t, uint32_t>> read_pair(const DexFile* dex, uint64_t off) {
  ByteCursor c(dex->container(), off);
  const uint32_t idx = c.u32();
  const uint32_t ann = c.u32();
  if (c.failed()) return std::nullopt;
  return std::make_pair(idx, ann);
}
}  // namespace

std::optional<FieldAnnotations> AnnotationsDirectory::field_entry(uint32_t i) const {
  if (!dex_ || i >= fields_size_) return std::nullopt;
  auto p = read_pair(dex_, uint64_t{offset_} + 16 + uint64_t{i} * 8);
  if (!p) return std::nullopt;
  return FieldAnnotations{FieldIdx(p->first), p->second};
}

std::optional<MethodAnnotations> AnnotationsDirectory::method_entry(uint32_t i) const {
  if (!dex_ || i >= methods_size_) return std::nullopt;
  auto p = read_pair(dex_, uint64_t{offset_} + 16 + (uint64_t{fields_size_} + i) * 8);
  if (!p) return std::nullopt;
  return MethodAnnotations{MethodIdx(p->first), p->second};
}

std::optional<MethodAnnotations> AnnotationsDirectory::parameter_entry(uint32_t i) const {
  if (!dex_ || i >= parameters_size_) return std::nullopt;
  auto p = read_pair(dex_, uint64_t{offset_} + 16 + (uint64_t{fields_size_} + methods_size_ + i) * 8);
  if (!p) return std::nullopt;
  return MethodAnnotations{MethodIdx(p->first), p->second};
}

AnnotationSet AnnotationsDirectory::field_annotations(FieldIdx f) const {
  for (uint32_t i = 0; i < fields_size_; ++i) {
    auto e = field_entry(i);
    if (e && e->field == f) return AnnotationSet(*dex_, e->annotations_off);
  }
  return {};
}

AnnotationSet AnnotationsDirectory::method_annotations(MethodIdx m) const {
  for (uint32_t i = 0; i < methods_size_; ++i) {
    auto e = method_entry(i);
    if (e && e->method == m) return AnnotationSet(*dex_, e->annotations_off);
  }
  return {};
}

AnnotationSetRefList AnnotationsDirectory::parameter_annotations(MethodIdx m) const {
  for (uint32_t i = 0; i < parameters_size_; ++i) {
    auto e = parameter_entry(i);
    if (e && e->method == m) return AnnotationSetRefList(*dex_, e->annotations_off);
  }
  return {};
}

AnnotationsDirectory annotations_of(const DexFile& dex, const ClassDef& def) {
  auto d = AnnotationsDirectory::at(dex, def.annotations_off);
  return d ? d.value() : AnnotationsDirectory();
}

bool method_has_annotation(const DexFile& dex, const ClassDef& def, MethodIdx method, std::string_view type_descriptor) {
  return annotations_of(dex, def).method_annotations(method).find(type_descriptor).has_value();
}

std::optional<Annotation> class_annotation(const DexFile& dex, const ClassDef& def, std::string_view type_descriptor) {
  return annotations_of(dex, def).class_annotations().find(type_descriptor);
}

std::optional<KotlinMetadata> read_kotlin_metadata(const DexFile& dex, const ClassDef& def) {
  auto a = class_annotation(dex, def, "Lkotlin/Metadata;");
  if (!a) return std::nullopt;
  KotlinMetadata km;
  EncodedAnnotationReader r = a->elements(dex);
  AnnotationElement e;
  auto strings = [&](std::vector<std::string>& out) {
    if (e.value.type != ValueType::kArray) return;
    EncodedArrayReader arr(dex, e.value.nested_offset, 1);
    EncodedValue v;
    while (arr.next(v))
      if (v.type == ValueType::kString) out.push_back(dex.string(v.string_idx()));
  };
  while (r.next(e)) {
    const std::string_view name = dex.string_data(e.name);
    if (name == "k" && e.value.is_integral()) {
      km.kind = static_cast<int32_t>(e.value.integer);
    } else if (name == "xi" && e.value.is_integral()) {
      km.extra_int = static_cast<int32_t>(e.value.integer);
    } else if (name == "mv" && e.value.type == ValueType::kArray) {
      EncodedArrayReader arr(dex, e.value.nested_offset, 1);
      EncodedValue v;
      while (arr.next(v))
        if (v.is_integral()) km.metadata_version.push_back(static_cast<int32_t>(v.integer));
    } else if (name == "d1") {
      strings(km.data1);
    } else if (name == "d2") {
      strings(km.data2);
    } else if (name == "xs" && e.value.type == ValueType::kString) {
      km.extra_string = dex.string(e.value.string_idx());
    } else if (name == "pn" && e.value.type == ValueType::kString) {
      km.package_name = dex.string(e.value.string_idx());
    }
  }
  return km;
}

}  // namespace apkwarden::dex
