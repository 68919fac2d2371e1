// Rendering one decoded instruction as text for people, dexdump/smali-like:
//   invoke-virtual {v0, v1}, Landroid/telephony/TelephonyManager;.getDeviceId:()Ljava/lang/String;
//   const-string v0, "text"
//   if-eqz v0, 0012
// Names of pool entries come from an IndexNamer, which the DEX file side implements; the base
// class prints indices (`string@0001`), so it is usable alone as the fallback.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "dex/instruction.h"

namespace apkwarden::dex {

class IndexNamer {
 public:
  virtual ~IndexNamer() = default;
  // Display forms: string() returns a quoted, escaped literal (see quote_string_literal), type()
  // a descriptor, field() `Lcls;.name:Ltype;`, method() `Lcls;.name:(args)ret`, proto()
  // `(args)ret`. The defaults print the bare index, e.g. `string@0001`.
  virtual std::string string(uint32_t idx);
  virtual std::string type(uint32_t idx);
  virtual std::string field(uint32_t idx);
  virtual std::string method(uint32_t idx);
  virtual std::string proto(uint32_t idx);
  virtual std::string call_site(uint32_t idx);
  virtual std::string method_handle(uint32_t idx);
};

// Prints `string@0001`, `type@0002`, `method@0003`, ... for every index.
class FallbackNamer final : public IndexNamer {};

enum class FormatStyle : uint8_t {
  kPlain,    // for people: operands only, branch targets as absolute pcs, literals as #int/#long
  kDexdump,  // byte-for-byte the operand text of `dexdump -d` (its `// ...` comments, %g floats, quirks)
};

// The instruction's text, starting with its name: `if-eqz v0, 0012`.
std::string format_instruction(const Instruction& insn, IndexNamer& namer, FormatStyle style = FormatStyle::kPlain);
void append_instruction(std::string& out, const Instruction& insn, IndexNamer& namer,
                        FormatStyle style = FormatStyle::kPlain);

// "text" with Java/smali escapes (\" \\ \n \r \t, \uXXXX for other control characters); bytes
// of 0x80 and above are kept as they are (UTF-8 passes through).
std::string quote_string_literal(std::string_view s);

}  // namespace apkwarden::dex
