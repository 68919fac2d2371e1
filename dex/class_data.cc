#include "dex/class_data.h"

#include <string>

namespace apkwarden::dex {

ClassDataReader::ClassDataReader(const DexFile& dex, const ClassDef& def, Diagnostics* diags)
    : ClassDataReader(dex, def.class_data_off, diags) {}

ClassDataReader::ClassDataReader(const DexFile& dex, uint32_t class_data_off, Diagnostics* diags)
    : dex_(&dex), diags_(diags) {
  if (class_data_off == 0) return;
  if (class_data_off >= dex.container().size()) {
    fail("dex-class-data-out-of-range", "class_data_off points outside the file", class_data_off);
    return;
  }
  cursor_ = ByteCursor(dex.container(), class_data_off);
  for (uint32_t& s : sizes_) s = cursor_.uleb128();
  if (cursor_.failed()) {
    fail("dex-class-data-truncated", "class_data_item header runs past the end of the file", class_data_off);
    return;
  }
  if (cursor_.overflowed()) {
    fail("dex-class-data-uleb-overflow", "class_data_item header has a malformed uleb128", class_data_off);
    return;
  }
  // Every field takes at least 2 bytes and every method 3: counts that cannot fit are lies.
  const uint64_t min_bytes = (uint64_t{sizes_[0]} + sizes_[1]) * 2 + (uint64_t{sizes_[2]} + sizes_[3]) * 3;
  if (min_bytes > cursor_.remaining()) {
    fail("dex-class-data-too-large",
         "class_data_item declares " + std::to_string(uint64_t{sizes_[0]} + sizes_[1]) + " fields and " +
             std::to_string(uint64_t{sizes_[2]} + sizes_[3]) + " methods, more than the file can hold",
         class_data_off);
    return;
  }
  done_ = false;
  group_ = 0;
  remaining_ = sizes_[0];
}

void ClassDataReader::fail(const char* code, std::string message, uint64_t offset) {
  ok_ = false;
  done_ = true;
  for (uint32_t& s : sizes_) s = 0;
  if (diags_ && dex_) diags_->push_back(Diagnostic{code, std::move(message), dex_->where(offset)});
}

bool ClassDataReader::next(ClassMember& out) {
  if (done_) return false;
  while (remaining_ == 0) {
    if (++group_ >= 4) {
      done_ = true;
      return false;
    }
    remaining_ = sizes_[group_];
    last_index_ = 0;  // deltas restart in each of the four lists
  }
  const uint32_t start = static_cast<uint32_t>(cursor_.pos());
  const uint32_t delta = cursor_.uleb128();
  out.access_flags = cursor_.uleb128();
  const bool method = group_ >= 2;
  out.code_off = method ? cursor_.uleb128() : 0;
  if (cursor_.failed()) {
    fail("dex-class-data-truncated", "class_data_item runs past the end of the file", start);
    return false;
  }
  if (cursor_.overflowed()) {
    fail("dex-class-data-uleb-overflow", "class_data_item member has a malformed uleb128", start);
    return false;
  }
  // The first member of each list carries the absolute index; the rest are deltas.
  const bool first = remaining_ == sizes_[group_];
  const uint64_t index = first ? uint64_t{delta} : uint64_t{last_index_} + delta;
  const uint32_t table = method ? dex_->method_ids_size() : dex_->field_ids_size();
  if (index >= table) {
    fail("dex-class-data-bad-index",
         std::string(method ? "method" : "field") + " index " + std::to_string(index) + " is out of range (" +
             std::to_string(table) + " ids)",
         start);
    return false;
  }
  last_index_ = static_cast<uint32_t>(index);
  out.kind = static_cast<MemberKind>(group_);
  out.index = last_index_;
  out.offset = start;
  --remaining_;
  return true;
}

bool ClassDataReader::next_method(ClassMember& out) {
  while (next(out))
    if (out.is_method()) return true;
  return false;
}

}  // namespace apkwarden::dex
