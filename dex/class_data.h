// class_data_item: the fields and methods a class defines, as uleb128 deltas.
// ClassDataReader walks it sequentially without allocating: first the static fields, then the
// instance fields, the direct methods and the virtual methods, each member with its absolute
// index (the deltas summed), access flags and, for methods, code_off.
//
//   ClassDataReader r(dex, def, &diags);
//   ClassMember m;
//   while (r.next(m)) { if (m.is_method()) ... }
//
// Malformed data (a uleb128 longer than 5 bytes or overflowing 32 bits, a truncated item, an
// index delta leaving the field/method table, counts that cannot fit in the remaining bytes)
// stops the walk and adds one diagnostic; `ok()` then reports false.
#pragma once

#include <cstdint>

#include "dex/access_flags.h"
#include "dex/byte_span.h"
#include "dex/dex_file.h"
#include "dex/index_types.h"

namespace apkwarden::dex {

enum class MemberKind : uint8_t { kStaticField, kInstanceField, kDirectMethod, kVirtualMethod };

struct ClassMember {
  MemberKind kind = MemberKind::kStaticField;
  uint32_t index = 0;  // FieldIdx or MethodIdx value, see field()/method()
  uint32_t access_flags = 0;
  uint32_t code_off = 0;  // methods only; 0 for abstract/native
  uint32_t offset = 0;    // where this member's encoding starts (for diagnostics)

  bool is_field() const { return kind == MemberKind::kStaticField || kind == MemberKind::kInstanceField; }
  bool is_method() const { return !is_field(); }
  FieldIdx field() const { return FieldIdx(index); }
  MethodIdx method() const { return MethodIdx(index); }
};

class ClassDataReader {
 public:
  ClassDataReader() = default;
  // `diags` may be null. A class_data_off of 0 gives an empty (and ok) reader.
  ClassDataReader(const DexFile& dex, const ClassDef& def, Diagnostics* diags = nullptr);
  ClassDataReader(const DexFile& dex, uint32_t class_data_off, Diagnostics* diags = nullptr);

  uint32_t static_fields_size() const { return sizes_[0]; }
  uint32_t instance_fields_size() const { return sizes_[1]; }
  uint32_t direct_methods_size() const { return sizes_[2]; }
  uint32_t virtual_methods_size() const { return sizes_[3]; }
  uint32_t methods_size() const { return sizes_[2] + sizes_[3]; }
  uint32_t fields_size() const { return sizes_[0] + sizes_[1]; }

  // Next member in file order; false at the end or on malformed data.
  bool next(ClassMember& out);
  // Skips to the first method (fields are still decoded, they are variable-length).
  bool next_method(ClassMember& out);
  // False once malformed data was met (a diagnostic was added).
  bool ok() const { return ok_; }

 private:
  void fail(const char* code, std::string message, uint64_t offset);

  const DexFile* dex_ = nullptr;
  Diagnostics* diags_ = nullptr;
  ByteCursor cursor_;
  uint32_t sizes_[4] = {0, 0, 0, 0};
  uint32_t group_ = 0;      // index into sizes_
  uint32_t remaining_ = 0;  // members left in the current group
  uint32_t last_index_ = 0;
  bool ok_ = true;
  bool done_ = true;
};

}  // namespace apkwarden::dex
