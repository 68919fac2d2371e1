// code_item: one method's registers, instructions, try ranges and catch handlers.
//
//   u16 registers_size, ins_size, outs_size, tries_size
//   u32 debug_info_off, insns_size (in 16-bit code units)
//   u16 insns[insns_size]
//   u16 padding (when tries_size != 0 and insns_size is odd)
//   try_item tries[tries_size]           { u32 start_addr; u16 insn_count; u16 handler_off }
//   encoded_catch_handler_list handlers  { uleb128 size; encoded_catch_handler list[size] }
//
// CodeItem::at checks that the fixed part, the instructions and the try items lie inside the
// file (an Error otherwise); the handler list is read lazily through CatchHandlerIterator.
// The instruction decoder (dex/instruction*.h) consumes insns_bytes().
#pragma once

#include <cstdint>
#include <optional>

#include "dex/byte_span.h"
#include "dex/dex_file.h"
#include "dex/index_types.h"
#include "dex/result.h"

namespace apkwarden::dex {

struct TryItem {
  uint32_t start_addr = 0;  // in code units
  uint16_t insn_count = 0;
  uint16_t handler_off = 0;  // byte offset from the start of the handler list
};

struct CatchHandler {
  TypeIdx type;  // none for the catch-all
  uint32_t address = 0;
  bool is_catch_all() const { return type.is_none(); }
};

// Walks one encoded_catch_handler: the typed handlers, then the catch-all if there is one.
class CatchHandlerIterator {
 public:
  CatchHandlerIterator() = default;
  // `pos` is the encoded_catch_handler's absolute offset in `container`.
  CatchHandlerIterator(ByteSpan container, size_t pos);
  bool next(CatchHandler& out);
  // False if the handler was truncated, malformed or too large.
  bool ok() const { return ok_; }
  bool has_catch_all() const { return has_catch_all_; }
  uint32_t typed_count() const { return typed_; }
  // Offset just past this handler (valid once next() returned false with ok()).
  size_t end() const { return cursor_.pos(); }

 private:
  ByteCursor cursor_;
  uint32_t typed_ = 0;
  uint32_t typed_left_ = 0;
  bool has_catch_all_ = false;
  bool catch_all_left_ = false;
  bool ok_ = true;
};

class CodeItem {
 public:
  CodeItem() = default;
  static Result<CodeItem> at(const DexFile& dex, uint32_t code_off);

  uint32_t offset() const { return offset_; }
  uint16_t registers_size() const { return registers_size_; }
  uint16_t ins_size() const { return ins_size_; }
  uint16_t outs_size() const { return outs_size_; }
  uint16_t tries_size() const { return tries_size_; }
  uint32_t debug_info_off() const { return debug_info_off_; }
  uint32_t insns_size() const { return insns_size_; }  // 16-bit code units
  // The raw little-endian instruction bytes (2 * insns_size).
  ByteSpan insns_bytes() const { return insns_; }
  uint16_t insn_unit(uint32_t i) const { return insns_.read_or<uint16_t>(size_t{i} * 2, 0); }

  std::optional<TryItem> try_item(uint32_t i) const;
  // Absolute offset of the encoded_catch_handler_list (0 when there are no tries).
  uint32_t handlers_offset() const { return handlers_off_; }
  // The handler at `handler_off` bytes into the handler list (as try_item.handler_off says).
  CatchHandlerIterator handlers_at(uint16_t handler_off) const;
  // Number of encoded_catch_handlers in the list; nullopt when the list header is unreadable.
  std::optional<uint32_t> handler_list_size() const;

  // Absolute offset just past the code item's last byte: the end of the insns, the tries, or
  // the handler list (walked; nullopt when it is malformed).
  std::optional<uint64_t> end_offset() const;

 private:
  ByteSpan container_;
  ByteSpan insns_;
  ByteSpan tries_;
  uint32_t offset_ = 0;
  uint16_t registers_size_ = 0, ins_size_ = 0, outs_size_ = 0, tries_size_ = 0;
  uint32_t debug_info_off_ = 0, insns_size_ = 0;
  uint32_t handlers_off_ = 0;
};

}  // namespace apkwarden::dex
