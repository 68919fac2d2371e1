#include "dex/code_item.h"

#include <string>

#include "dex/limits.h"

namespace apkwarden::dex {

CatchHandlerIterator::CatchHandlerIterator(ByteSpan container, size_t pos) : cursor_(container, pos) {
  const int32_t size = cursor_.sleb128();
  if (cursor_.failed() || cursor_.overflowed()) {
    ok_ = false;
    return;
  }
  // size > 0: that many typed handlers; size <= 0: -size typed handlers and a catch-all.
  const int64_t typed = size > 0 ? int64_t{size} : -int64_t{size};
  if (typed > limits::kMaxHandlersPerMethod || static_cast<uint64_t>(typed) * 2 > cursor_.remaining()) {
    ok_ = false;
    return;
  }
  typed_ = typed_left_ = static_cast<uint32_t>(typed);
  has_catch_all_ = catch_all_left_ = size <= 0;
}

bool CatchHandlerIterator::next(CatchHandler& out) {
  if (!ok_) return false;
  if (typed_left_ > 0) {
    --typed_left_;
    const uint32_t type = cursor_.uleb128();
    out.address = cursor_.uleb128();
    if (cursor_.failed() || cursor_.overflowed()) {
      ok_ = false;
      return false;
    }
    out.type = TypeIdx(type);
    return true;
  }
  if (catch_all_left_) {
    catch_all_left_ = false;
    out.address = cursor_.uleb128();
    if (cursor_.failed() || cursor_.overflowed()) {
      ok_ = false;
      return false;
    }
    out.type = TypeIdx();
    return true;
  }
  return false;
}

Result<CodeItem> CodeItem::at(const DexFile& dex, uint32_t code_off) {
  const ByteSpan file = dex.container();
  CodeItem ci;
  ci.container_ = file;
  ci.offset_ = code_off;
  if (!file.has(code_off, 16))
    return make_error(ErrorCode::kOutOfRange, dex.where(code_off) + ": code_item header lies outside the file",
                      code_off);
  ByteCursor c(file, code_off);
  ci.registers_size_ = c.u16();
  ci.ins_size_ = c.u16();
  ci.outs_size_ = c.u16();
  ci.tries_size_ = c.u16();
  ci.debug_info_off_ = c.u32();
  ci.insns_size_ = c.u32();
  if (ci.insns_size_ > limits::kMaxCodeUnitsPerMethod)
    return make_error(ErrorCode::kLimitExceeded,
                      dex.where(code_off) + ": code_item has " + std::to_string(ci.insns_size_) +
                          " code units, over the limit",
                      code_off + 12);
  const uint64_t insns_off = uint64_t{code_off} + 16;
  const uint64_t insns_bytes = uint64_t{ci.insns_size_} * 2;
  if (!file.has(insns_off, insns_bytes))
    return make_error(ErrorCode::kTruncated, dex.where(code_off) + ": code_item instructions run past the end of the file",
                      code_off + 12);
  ci.insns_ = file.sub(insns_off, insns_bytes);
  if (ci.tries_size_ == 0) return ci;
  // tries_size is 16-bit, so limits::kMaxTryItemsPerMethod (65536) holds by construction; the
  // try items must still fit in the file.
  static_assert(limits::kMaxTryItemsPerMethod >= 0xffff);
  uint64_t tries_off = insns_off + insns_bytes;
  if (ci.insns_size_ % 2 == 1) tries_off += 2;  // padding to 4-byte alignment
  const uint64_t tries_bytes = uint64_t{ci.tries_size_} * 8;
  if (!file.has(tries_off, tries_bytes))
    return make_error(ErrorCode::kTruncated, dex.where(code_off) + ": code_item try items run past the end of the file",
                      code_off + 6);
  ci.tries_ = file.sub(tries_off, tries_bytes);
  const uint64_t handlers_off = tries_off + tries_bytes;
  if (handlers_off >= file.size())
    return make_error(ErrorCode::kTruncated, dex.where(code_off) + ": code_item handler list is missing", code_off + 6);
  ci.handlers_off_ = static_cast<uint32_t>(handlers_off);
  return ci;
}

std::optional<TryItem> CodeItem::try_item(uint32_t i) const {
  if (i >= tries_size_) return std::nullopt;
  ByteCursor c(tries_, size_t{i} * 8);
  TryItem t;
  t.start_addr = c.u32();
  t.insn_count = c.u16();
  t.handler_off = c.u16();
  if (c.failed()) return std::nullopt;
  return t;
}

CatchHandlerIterator CodeItem::handlers_at(uint16_t handler_off) const {
  if (handlers_off_ == 0) {
    CatchHandlerIterator bad(ByteSpan(), 0);
    return bad;
  }
  return CatchHandlerIterator(container_, size_t{handlers_off_} + handler_off);
}

std::optional<uint32_t> CodeItem::handler_list_size() const {
  if (handlers_off_ == 0) return std::nullopt;
  ByteCursor c(container_, handlers_off_);
  const uint32_t n = c.uleb128();
  if (c.failed() || c.overflowed()) return std::nullopt;
  return n;
}

std::optional<uint64_t> CodeItem::end_offset() const {
  if (tries_size_ == 0) return uint64_t{offset_} + 16 + insns_.size();
  ByteCursor c(container_, handlers_off_);
  const uint32_t n = c.uleb128();
  if (c.failed() || c.overflowed() || n > limits::kMaxHandlersPerMethod) return std::nullopt;
  size_t pos = c.pos();
  for (uint32_t i = 0; i < n; ++i) {
    CatchHandlerIterator it(container_, pos);
    CatchHandler h;
    while (it.next(h)) {
    }
    if (!it.ok()) return std::nullopt;
    pos = it.end();
  }
  return pos;
}

}  // namespace apkwarden::dex
