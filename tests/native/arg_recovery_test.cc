// Argument recovery on hand-encoded instruction sequences, one per ISA shape that the fixtures
// do not all produce (ARM movw+movt, i386 lea [ebx+d] + mov [esp]).
#include <doctest/doctest.h>

#include <vector>

#include "analyzer/native/call_scan.h"

using namespace apkwarden;
using namespace apkwarden::native;

namespace {

std::vector<uint8_t> words(std::initializer_list<uint32_t> ws) {
  std::vector<uint8_t> out;
  for (uint32_t w : ws)
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(w >> (8 * i)));
  return out;
}

}  // namespace

TEST_CASE("ARM: movw + movt into r0 before bl") {
  const auto code = words({0xe3050678 /* movw r0, #0x5678 */, 0xe3410234 /* movt r0, #0x1234 */, 0xebfffffe /* bl . */});
  auto v = recover_arguments(Isa::kArm, ByteSpan(code.data(), code.size()), 0x1000, 0x1008, nullptr, 0);
  REQUIRE(v);
  CHECK((*v)[0] == std::optional<uint64_t>(0x12345678));
}

TEST_CASE("AArch64: adrp + add into x0, mov w8 for a syscall number") {
  const auto code = words({0xb0000000 /* adrp x0, +1 page */, 0x91004000 /* add x0, x0, #0x10 */,
                           0x52800708 /* mov w8, #0x38 */, 0xd4000001 /* svc #0 */});
  auto v = recover_arguments(Isa::kArm64, ByteSpan(code.data(), code.size()), 0x1000, 0x100c, nullptr, 0);
  REQUIRE(v);
  CHECK((*v)[0] == std::optional<uint64_t>(0x2010));
  CHECK((*v)[6] == std::optional<uint64_t>(0x38));
}

TEST_CASE("x86-64: lea rdi, [rip+d] before call; a site inside an instruction is rejected") {
  const std::vector<uint8_t> code = {0x48, 0x8d, 0x3d, 0x00, 0x01, 0x00, 0x00, 0xe8, 0x00, 0x00, 0x00, 0x00};
  auto v = recover_arguments(Isa::kX86_64, ByteSpan(code.data(), code.size()), 0x1000, 0x1007, nullptr, 0);
  REQUIRE(v);
  CHECK((*v)[0] == std::optional<uint64_t>(0x1107));
  CHECK(!recover_arguments(Isa::kX86_64, ByteSpan(code.data(), code.size()), 0x1000, 0x1003, nullptr, 0));
}

TEST_CASE("i386 PIC: lea eax, [ebx+d]; mov [esp], eax; call") {
  const std::vector<uint8_t> code = {0x8d, 0x83, 0x10, 0x00, 0x00, 0x00, 0x89, 0x04, 0x24, 0xe8, 0, 0, 0, 0};
  auto v = recover_arguments(Isa::kX86, ByteSpan(code.data(), code.size()), 0x1000, 0x1009, nullptr, 0x3000);
  REQUIRE(v);
  CHECK((*v)[0] == std::optional<uint64_t>(0x3010));
}
