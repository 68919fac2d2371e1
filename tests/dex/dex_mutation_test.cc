// One mutation per structure of the sample dex, each asserting the exact error or diagnostic.
#include <doctest/doctest.h>

#include <array>

#include "dex/class_data.h"
#include "dex/class_pool.h"
#include "dex/code_item.h"
#include "dex/debug_info.h"
#include "dex/dex_file.h"
#include "dex/encoded_value.h"
#include "dex/limits.h"
#include "dex/structure_verifier.h"
#include "dex_builder.h"
#include "dex_test_util.h"

using namespace apkwarden;
using namespace apkwarden::dex;
using apkwarden::test::DexLayout;
using apkwarden::test::get_u32;
using apkwarden::test::set_u16;
using apkwarden::test::set_u32;

namespace {

const std::string kFoo = "Lcom/x/A;.foo:(ILjava/lang/String;)V";
constexpr uint32_t kClassA = 1;  // class def index of Lcom/x/A; in the sample

struct Sample {
  DexLayout L;
  std::vector<uint8_t> bytes;
  Sample() { bytes = test::sample_builder().build(&L); }
  size_t class_def(uint32_t i, uint32_t field_off) const { return L.class_defs_off + 32 * i + field_off; }
  // Appends crafted bytes (4-aligned), keeps file_size right; returns their offset.
  uint32_t append(const std::vector<uint8_t>& data) {
    while (bytes.size() % 4) bytes.push_back(0);
    const uint32_t off = static_cast<uint32_t>(bytes.size());
    bytes.insert(bytes.end(), data.begin(), data.end());
    set_u32(bytes, 32, static_cast<uint32_t>(bytes.size()));
    return off;
  }
  Result<DexFile> open(Diagnostics* diags) {
    test::fix_digests(bytes);
    return DexFile::open(ByteSpan(bytes.data(), bytes.size()), "m.dex", diags);
  }
  // Opens (must succeed) and runs the verifier; returns all diagnostics.
  Diagnostics verify() {
    Diagnostics diags;
    auto d = open(&diags);
    REQUIRE_MESSAGE(d.ok(), (d.ok() ? std::string() : d.error().message));
    verify_structure(*d, &diags);
    return diags;
  }
};

Error open_error(std::vector<uint8_t> bytes) {
  auto r = DexFile::open(ByteSpan(bytes.data(), bytes.size()), "m.dex", nullptr);
  REQUIRE_FALSE(r.ok());
  return r.error();
}

}  // namespace

TEST_CASE("header errors: truncated, bad magic, version, endian tag") {
  Sample s;
  CHECK(open_error(std::vector<uint8_t>(s.bytes.begin(), s.bytes.begin() + 50)).code == ErrorCode::kTruncated);
  CHECK(open_error({}).code == ErrorCode::kTruncated);
  auto b = s.bytes;
  b[0] = 'D';
  CHECK(open_error(b).code == ErrorCode::kBadMagic);
  b = s.bytes;
  b[5] = '9';
  b[6] = '9';
  CHECK(open_error(b).code == ErrorCode::kUnsupported);
  b = s.bytes;
  b[4] = 'x';
  CHECK(open_error(b).code == ErrorCode::kBadMagic);
  b = s.bytes;
  set_u32(b, 40, kReverseEndianConstant);
  CHECK(open_error(b).code == ErrorCode::kUnsupported);
  set_u32(b, 40, 0xdeadbeef);
  CHECK(open_error(b).code == ErrorCode::kMalformed);
  // Version 041 needs the container fields.
  b = s.bytes;
  b[5] = '4';
  b[6] = '1';
  CHECK(open_error(b).code == ErrorCode::kTruncated);
}

TEST_CASE("each id table truncated or oversized is an out-of-range error naming it") {
  Sample s;
  const std::pair<const char*, uint32_t> tables[] = {
      {"string_ids", 56}, {"type_ids", 64}, {"proto_ids", 72}, {"field_ids", 80}, {"method_ids", 88}, {"class_defs", 96}};
  for (const auto& table : tables) {
    const char* name = table.first;
    const uint32_t at = table.second;
    CAPTURE(name);
    // Truncate the file one byte into the table.
    const uint32_t off = get_u32(s.bytes, at + 4);
    std::vector<uint8_t> cut(s.bytes.begin(), s.bytes.begin() + off + 1);
    Error e = open_error(cut);
    CHECK(e.code == ErrorCode::kOutOfRange);
    CHECK(e.message.find(name) != std::string::npos);
    // A huge count: must not allocate or overflow.
    auto big = s.bytes;
    set_u32(big, at, 0xffffffffu);
    e = open_error(big);
    CHECK(e.code == ErrorCode::kOutOfRange);
    CHECK(e.message.find(name) != std::string::npos);
    // An offset that wraps around.
    auto wrap = s.bytes;
    set_u32(wrap, at + 4, 0xfffffffcu);
    CHECK(open_error(wrap).code == ErrorCode::kOutOfRange);
  }
}

TEST_CASE("checksum and signature mismatches are diagnostics, not refusals") {
  Sample s;
  auto b = s.bytes;
  b[s.L.data_off] ^= 0x01;  // change content without fixing digests
  Diagnostics diags;
  auto d = DexFile::open(ByteSpan(b.data(), b.size()), "m.dex", &diags);
  REQUIRE(d);
  CHECK(test::has_diag(diags, "dex-checksum-mismatch"));
  CHECK(test::has_diag(diags, "dex-signature-mismatch"));
  // Only the checksum wrong.
  b = s.bytes;
  set_u32(b, 8, get_u32(b, 8) ^ 1);
  diags.clear();
  REQUIRE(DexFile::open(ByteSpan(b.data(), b.size()), "m.dex", &diags));
  CHECK(test::has_diag(diags, "dex-checksum-mismatch"));
  CHECK_FALSE(test::has_diag(diags, "dex-signature-mismatch"));
  CHECK(diags[0].where == "m.dex@0x8");
  // Verification can be switched off.
  diags.clear();
  OpenOptions quiet;
  quiet.verify_checksum = quiet.verify_signature = false;
  REQUIRE(DexFile::open(ByteSpan(b.data(), b.size()), "m.dex", &diags, quiet));
  CHECK(diags.empty());
}

TEST_CASE("file size and map list anomalies") {
  SUBCASE("trailing bytes") {
    Sample s;
    s.bytes.push_back(0);  // file_size no longer matches
    Diagnostics diags;
    REQUIRE(s.open(&diags));
    CHECK(test::has_diag(diags, "dex-file-size-mismatch"));
  }
  SUBCASE("map out of range") {
    Sample s;
    set_u32(s.bytes, 52, 0x7ffffff0);
    Diagnostics diags;
    REQUIRE(s.open(&diags));
    CHECK(test::has_diag(diags, "dex-map-out-of-range"));
  }
  SUBCASE("map missing") {
    Sample s;
    set_u32(s.bytes, 52, 0);
    Diagnostics diags;
    REQUIRE(s.open(&diags));
    CHECK(test::has_diag(diags, "dex-map-missing"));
  }
  SUBCASE("map items unsorted") {
    Sample s;
    const size_t items = s.L.map_off + 4;
    std::swap_ranges(s.bytes.begin() + items + 12, s.bytes.begin() + items + 24, s.bytes.begin() + items + 24);
    Diagnostics diags;
    REQUIRE(s.open(&diags));
    CHECK(test::has_diag(diags, "dex-map-unsorted"));
  }
  SUBCASE("map disagrees with the header, sections overlap") {
    Sample s;
    const size_t string_item = s.L.map_off + 4 + 12;  // item 1: string_id_item
    REQUIRE(get_u32(s.bytes, string_item) == kMapStringId);
    set_u32(s.bytes, string_item + 4, get_u32(s.bytes, string_item + 4) + 3);
    Diagnostics diags;
    REQUIRE(s.open(&diags));
    CHECK(test::has_diag(diags, "dex-map-header-mismatch"));
    CHECK(test::has_diag(diags, "dex-map-overlap"));
  }
  SUBCASE("misaligned section, unknown and duplicate types") {
    Sample s;
    const size_t items = s.L.map_off + 4;
    const uint32_t n = get_u32(s.bytes, s.L.map_off);
    bool patched = false;
    for (uint32_t i = 0; i < n && !patched; ++i)
      if ((s.bytes[items + 12 * i] | (s.bytes[items + 12 * i + 1] << 8)) == kMapCode) {
        set_u32(s.bytes, items + 12 * i + 8, get_u32(s.bytes, items + 12 * i + 8) + 2);
        patched = true;
      }
    REQUIRE(patched);
    set_u16(s.bytes, items + 12 * (n - 1), 0x7777);  // the map_list item becomes unknown
    set_u16(s.bytes, items + 12 * 2, kMapStringId);  // type_ids item claims to be string ids
    Diagnostics diags;
    REQUIRE(s.open(&diags));
    CHECK(test::has_diag(diags, "dex-misaligned-section"));
    CHECK(test::has_diag(diags, "dex-map-unknown-type"));
    CHECK(test::has_diag(diags, "dex-map-duplicate-type"));
  }
}

TEST_CASE("out-of-range indices in id tables and class defs") {
  SUBCASE("type id names a missing string") {
    Sample s;
    set_u32(s.bytes, s.L.type_ids_off, 0xffff);
    Diagnostics diags;
    auto d = s.open(&diags);
    REQUIRE(d);
    CHECK(d->type_descriptor(TypeIdx(0)).empty());
    verify_structure(*d, &diags);
    CHECK(test::has_diag(diags, "dex-bad-type-id"));
  }
  SUBCASE("string id points outside the file") {
    Sample s;
    set_u32(s.bytes, s.L.string_ids_off + 4, 0x7fffffff);
    Diagnostics diags;
    auto d = s.open(&diags);
    REQUIRE(d);
    CHECK(d->string_data(StringIdx(1)).empty());
    verify_structure(*d, &diags);
    CHECK(test::has_diag(diags, "dex-bad-string-data"));
  }
  SUBCASE("method id with an out-of-range class and proto") {
    Sample s;
    set_u16(s.bytes, s.L.method_ids_off, 0xfff0);
    set_u16(s.bytes, s.L.method_ids_off + 2, 0xfff0);
    Diagnostics diags = s.verify();
    CHECK(test::has_diag(diags, "dex-bad-method-id"));
  }
  SUBCASE("field id with an out-of-range name") {
    Sample s;
    set_u32(s.bytes, s.L.field_ids_off + 4, 0x00ffffff);
    CHECK(test::has_diag(s.verify(), "dex-bad-field-id"));
  }
  SUBCASE("proto with an out-of-range parameter list") {
    Sample s;
    set_u32(s.bytes, s.L.proto_ids_off + 8, 0x7ffffff0);
    CHECK(test::has_diag(s.verify(), "dex-bad-proto-id"));
  }
  SUBCASE("class def out-of-range type, superclass equal to itself, duplicate") {
    Sample s;
    set_u32(s.bytes, s.class_def(kClassA, 8), get_u32(s.bytes, s.class_def(kClassA, 0)));
    auto diags = s.verify();
    CHECK(test::has_diag(diags, "dex-class-extends-itself"));
    set_u32(s.bytes, s.class_def(0, 0), get_u32(s.bytes, s.class_def(kClassA, 0)));
    diags = s.verify();
    CHECK(test::has_diag(diags, "dex-duplicate-class-def"));
    set_u32(s.bytes, s.class_def(0, 0), 0x12345);
    set_u32(s.bytes, s.class_def(0, 16), 0x12345);
    diags = s.verify();
    CHECK(test::has_diag(diags, "dex-bad-class-def"));
  }
}

TEST_CASE("class data: uleb128 overflow, truncation, huge counts, bad index") {
  SUBCASE("uleb128 overflow") {
    Sample s;
    const uint32_t off = s.append({0xff, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0});
    set_u32(s.bytes, s.class_def(kClassA, 24), off);
    CHECK(test::has_diag(s.verify(), "dex-class-data-uleb-overflow"));
  }
  SUBCASE("overlong uleb128 (six bytes)") {
    Sample s;
    const uint32_t off = s.append({0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0, 0, 0});
    set_u32(s.bytes, s.class_def(kClassA, 24), off);
    CHECK(test::has_diag(s.verify(), "dex-class-data-uleb-overflow"));
  }
  SUBCASE("truncated") {
    Sample s;
    const uint32_t off = s.append({0x00, 0x00, 0x01, 0x00, 0x01, 0x01, 0x85});
    set_u32(s.bytes, s.class_def(kClassA, 24), off);
    CHECK(test::has_diag(s.verify(), "dex-class-data-truncated"));
  }
  SUBCASE("counts larger than the file") {
    Sample s;
    const uint32_t off = s.append({0xff, 0xff, 0xff, 0x0f, 0x00, 0x00, 0x00});
    set_u32(s.bytes, s.class_def(kClassA, 24), off);
    Diagnostics diags;
    auto d = s.open(&diags);
    REQUIRE(d);
    ClassDataReader r(*d, *d->class_def(ClassDefIdx(kClassA)), &diags);
    CHECK_FALSE(r.ok());
    CHECK(r.static_fields_size() == 0);
    CHECK(test::has_diag(diags, "dex-class-data-too-large"));
  }
  SUBCASE("method index out of range") {
    Sample s;
    std::vector<uint8_t> cd = {0, 0, 1, 0};
    test::put_uleb(cd, 5000);  // method idx
    cd.push_back(0x01);
    cd.push_back(0x00);
    set_u32(s.bytes, s.class_def(kClassA, 24), s.append(cd));
    CHECK(test::has_diag(s.verify(), "dex-class-data-bad-index"));
  }
  SUBCASE("class_data_off outside the file") {
    Sample s;
    set_u32(s.bytes, s.class_def(kClassA, 24), 0x7ffffff0);
    auto diags = s.verify();
    CHECK(test::has_diag(diags, "dex-bad-class-def"));
  }
}

TEST_CASE("code items: bad code_off, huge sizes, registers, tries, handlers") {
  SUBCASE("code_off outside the file") {
    Sample s;
    std::vector<uint8_t> cd = {0, 0, 1, 0, 0, 0x01};
    test::put_uleb(cd, 0x0ffffff0);
    set_u32(s.bytes, s.class_def(kClassA, 24), s.append(cd));
    Diagnostics diags;
    auto d = s.open(&diags);
    REQUIRE(d);
    auto ci = CodeItem::at(*d, 0x0ffffff0);
    REQUIRE_FALSE(ci);
    CHECK(ci.error().code == ErrorCode::kOutOfRange);
    verify_structure(*d, &diags);
    CHECK(test::has_diag(diags, "dex-bad-code-item"));
  }
  const uint32_t code = Sample().L.code_off.at(kFoo);
  SUBCASE("insns past the end of the file") {
    Sample s;
    set_u32(s.bytes, code + 12, 0x00100000);
    Diagnostics diags;
    auto d = s.open(&diags);
    REQUIRE(d);
    auto ci = CodeItem::at(*d, code);
    REQUIRE_FALSE(ci);
    CHECK(ci.error().code == ErrorCode::kTruncated);
    verify_structure(*d, &diags);
    CHECK(test::has_diag(diags, "dex-bad-code-item"));
  }
  SUBCASE("insns_size over the limit") {
    Sample s;
    set_u32(s.bytes, code + 12, limits::kMaxCodeUnitsPerMethod + 1);
    auto d = s.open(nullptr);
    auto ci = CodeItem::at(*d, code);
    REQUIRE_FALSE(ci);
    CHECK(ci.error().code == ErrorCode::kLimitExceeded);
    CHECK(test::has_diag(s.verify(), "dex-code-too-large"));
  }
  SUBCASE("ins_size > registers_size") {
    Sample s;
    set_u16(s.bytes, code + 2, 9);
    CHECK(test::has_diag(s.verify(), "dex-code-ins-exceed-registers"));
  }
  // foo: 4 code units (even, no padding), one try item at code + 16 + 8.
  const size_t try_at = code + 16 + 8;
  SUBCASE("try item past the code") {
    Sample s;
    set_u16(s.bytes, try_at + 4, 100);
    CHECK(test::has_diag(s.verify(), "dex-code-try-out-of-range"));
  }
  SUBCASE("handler offset out of range") {
    Sample s;
    set_u16(s.bytes, try_at + 6, 0xfff0);
    CHECK(test::has_diag(s.verify(), "dex-code-bad-handler"));
  }
  SUBCASE("handler address past the code") {
    Sample s;
    // handler list: uleb size(1) | sleb -1 | uleb type | uleb addr(2) | uleb catch-all(3)
    const size_t list = try_at + 8;
    REQUIRE(s.bytes[list] == 1);
    s.bytes[list + 4] = 0x7f;
    CHECK(test::has_diag(s.verify(), "dex-code-handler-out-of-range"));
  }
  SUBCASE("tries_size runs past the file") {
    Sample s;
    set_u16(s.bytes, code + 6, 0xffff);
    auto diags = s.verify();
    CHECK(test::has_diag(diags, "dex-bad-code-item"));
  }
}

TEST_CASE("debug info: bad offset, truncation, bad index, pc past the end, op limit") {
  const Sample base;
  const uint32_t code = base.L.code_off.at(kFoo);
  SUBCASE("debug_info_off outside the file") {
    Sample s;
    set_u32(s.bytes, code + 8, 0x7ffffff0);
    auto d = s.open(nullptr);
    auto r = decode_debug_info(*d, 0x7ffffff0, 4);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::kOutOfRange);
    CHECK(test::has_diag(s.verify(), "dex-bad-debug-info"));
  }
  SUBCASE("no end sequence") {
    Sample s;
    const uint32_t off = s.append({0x01, 0x00, 0x07, 0x0a, 0x03, 0x01});  // start_local cut short
    set_u32(s.bytes, code + 8, off);
    auto d = s.open(nullptr);
    auto r = decode_debug_info(*d, off, 4);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::kTruncated);
  }
  SUBCASE("set_file with an out-of-range string") {
    Sample s;
    const uint32_t off = s.append({0x01, 0x00, 0x09, 0xff, 0xff, 0x03, 0x00});
    set_u32(s.bytes, code + 8, off);
    auto d = s.open(nullptr);
    auto r = decode_debug_info(*d, off, 4);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::kMalformed);
    CHECK(test::has_diag(s.verify(), "dex-bad-debug-info"));
  }
  SUBCASE("every opcode consumed, locals skipped") {
    Sample s;
    // line 5, 1 param named string 0; start_local r1 name 1 type 1; start_local_ext r2 n1 t1 sig1;
    // end_local r1; restart_local r1; prologue; epilogue; set_file 1; advance_line -2; advance_pc 2;
    // special(+0 pc, +0 line) ; end
    const uint32_t off = s.append({0x05, 0x01, 0x01, 0x03, 0x01, 0x02, 0x02, 0x04, 0x02, 0x02, 0x02, 0x02, 0x05,
                                   0x01, 0x06, 0x01, 0x07, 0x08, 0x09, 0x02, 0x02, 0x7e, 0x01, 0x02, 0x0e, 0x00});
    auto d = s.open(nullptr);
    auto r = decode_debug_info(*d, off, 4);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message));
    CHECK(r->line_start == 5);
    CHECK(r->parameter_names == std::vector<StringIdx>{StringIdx(0)});
    CHECK(r->lines == std::vector<LineEntry>{{2, 3}});
    CHECK(r->source_files == std::vector<StringIdx>{StringIdx(1)});
  }
  SUBCASE("pc past the end") {
    Sample s;
    const uint32_t off = s.append({0x01, 0x00, 0x01, 0x10, 0x0e, 0x00});
    set_u32(s.bytes, code + 8, off);
    CHECK(test::has_diag(s.verify(), "dex-debug-info-pc-past-end"));
  }
  SUBCASE("opcode limit") {
    Sample s;
    std::vector<uint8_t> ops = {0x01, 0x00};
    ops.resize(ops.size() + limits::kMaxDebugInfoOpsPerMethod + 10, 0x07);  // prologue_end forever
    ops.push_back(0x00);
    const uint32_t off = s.append(ops);
    auto d = s.open(nullptr);
    auto r = decode_debug_info(*d, off, 4);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::kLimitExceeded);
  }
}

TEST_CASE("encoded values: every type, bad indices, nesting depth") {
  SUBCASE("all value types decode") {
    Sample s;
    // array of: byte -1, short 0x1234, char 0xffff, int -2 (1 byte), long 2^40, float 1.0f (1 byte),
    // double 2.0 (1 byte), method_type 0, method_handle 0, string 1, type 0, field 0, method 0,
    // enum 0, array {null}, annotation @type0(name0=true), null, boolean false
    std::vector<uint8_t> v = {18,
                              0x00, 0xff,
                              0x22, 0x34, 0x12,
                              0x23, 0xff, 0xff,
                              0x04, 0xfe,
                              0xa6, 0, 0, 0, 0, 0, 0x01,
                              0x10, 0x3f,  // float: 1 byte, high-order: 0x3f000000 = 0.5f
                              0x11, 0x40,  // double: 0x4000000000000000 = 2.0
                              0x15, 0x00,
                              0x16, 0x00,
                              0x17, 0x01,
                              0x18, 0x00,
                              0x19, 0x00,
                              0x1a, 0x00,
                              0x1b, 0x00,
                              0x1c, 0x01, 0x1e,
                              0x1d, 0x00, 0x01, 0x00, 0x3f,
                              0x1e,
                              0x1f};
    const uint32_t off = s.append(v);
    auto d = s.open(nullptr);
    REQUIRE(d);
    EncodedArrayReader r(*d, off);
    REQUIRE(r.size() == 18);
    std::vector<EncodedValue> vals;
    EncodedValue e;
    while (r.next(e)) vals.push_back(e);
    REQUIRE(r.ok());
    REQUIRE(vals.size() == 18);
    CHECK(vals[0].integer == -1);
    CHECK(vals[1].integer == 0x1234);
    CHECK(vals[2].integer == 0xffff);
    CHECK(vals[3].integer == -2);
    CHECK(vals[4].integer == (int64_t{1} << 40));
    CHECK(vals[5].as_float() == 0.5f);
    CHECK(vals[6].as_double() == 2.0);
    CHECK(vals[7].type == ValueType::kMethodType);
    CHECK(vals[8].type == ValueType::kMethodHandle);
    CHECK(vals[9].string_idx() == StringIdx(1));
    CHECK(vals[10].type == ValueType::kType);
    CHECK(vals[11].type == ValueType::kField);
    CHECK(vals[12].type == ValueType::kMethod);
    CHECK(vals[13].type == ValueType::kEnum);
    CHECK(vals[14].type == ValueType::kArray);
    CHECK(vals[15].type == ValueType::kAnnotation);
    CHECK(vals[16].type == ValueType::kNull);
    CHECK(vals[17].type == ValueType::kBoolean);
    CHECK_FALSE(vals[17].as_bool());
    EncodedAnnotationReader ar(*d, vals[15].nested_offset);
    AnnotationElement el;
    REQUIRE(ar.next(el));
    CHECK(el.value.as_bool());
    CHECK_FALSE(encoded_value_index_valid(*d, vals[8]));  // no method handles in the sample
    CHECK(encoded_value_index_valid(*d, vals[9]));
  }
  SUBCASE("bad sizes and unknown types fail") {
    const uint8_t bad[][2] = {{0x20, 0}, {0x64, 0}, {0x05, 0}, {0x3e, 0}, {0x5f, 0}, {0x9c, 0}};
    for (auto& b : bad) {
      ByteCursor c(ByteSpan(b, 2));
      EncodedValue v;
      CHECK_FALSE(read_encoded_value(c, v));
    }
  }
  SUBCASE("static value with an out-of-range string") {
    Sample s;
    const uint32_t off = s.append({0x01, 0x77, 0xff, 0xff, 0xff, 0x0f});
    set_u32(s.bytes, s.class_def(kClassA, 28), off);
    CHECK(test::has_diag(s.verify(), "dex-bad-encoded-value"));
  }
  SUBCASE("nesting deeper than the limit") {
    Sample s;
    std::vector<uint8_t> v = {0x01};
    for (uint32_t i = 0; i < limits::kMaxEncodedValueDepth + 4; ++i) {
      v.push_back(0x1c);
      v.push_back(0x01);
    }
    v.push_back(0x1e);
    set_u32(s.bytes, s.class_def(kClassA, 28), s.append(v));
    CHECK(test::has_diag(s.verify(), "dex-static-values-malformed"));
  }
  SUBCASE("more values than static fields") {
    Sample s;
    set_u32(s.bytes, s.class_def(kClassA, 28), s.append({0x02, 0x04, 0x01, 0x04, 0x02}));
    CHECK(test::has_diag(s.verify(), "dex-static-values-too-many"));
  }
}

TEST_CASE("annotations directory out of range") {
  Sample s;
  set_u32(s.bytes, s.class_def(kClassA, 20), s.append({0, 0, 0, 0, 0xff, 0xff, 0, 0}));
  CHECK(test::has_diag(s.verify(), "dex-bad-annotations"));
}

TEST_CASE("the verifier caps repeated diagnostics") {
  Sample s;
  for (uint32_t i = 0; i < s.L.strings.size(); ++i) set_u32(s.bytes, s.L.string_ids_off + 4 * i, 0x7ffffff0);
  // Many bad method handles would need a section; many bad strings are enough here.
  Diagnostics diags = s.verify();
  size_t bad = 0;
  for (auto& d : diags) bad += d.code == "dex-bad-string-data";
  CHECK(bad == std::min<size_t>(s.L.strings.size(), limits::kMaxDiagnosticsPerCode));
  if (s.L.strings.size() > limits::kMaxDiagnosticsPerCode)
    CHECK(test::has_diag(diags, "dex-verifier-diagnostics-suppressed"));
}

TEST_CASE("call sites and method handles (sections added through a rewritten map)") {
  Sample s;
  const uint32_t foo_string = s.L.strings.at("foo");
  const uint32_t foo_method = s.L.methods.at(kFoo);
  // encoded_array_item of the call site: method handle 0, name "foo", method type (proto 0).
  const uint32_t array_off = s.append({0x03, 0x16, 0x00, 0x17, static_cast<uint8_t>(foo_string), 0x15, 0x00});
  REQUIRE(foo_string < 0x80);
  std::vector<uint8_t> mh;
  test::put_u16(mh, 4);  // invoke-static
  test::put_u16(mh, 0);
  test::put_u16(mh, static_cast<uint16_t>(foo_method));
  test::put_u16(mh, 0);
  const uint32_t mh_off = s.append(mh);
  std::vector<uint8_t> cs;
  test::put_u32(cs, array_off);
  const uint32_t cs_off = s.append(cs);
  // New map: the old items except map_list, then method handles, call sites, the new map_list.
  const uint32_t old_n = get_u32(s.bytes, s.L.map_off);
  std::vector<std::array<uint32_t, 3>> items;
  for (uint32_t i = 0; i < old_n; ++i) {
    const size_t at = s.L.map_off + 4 + 12 * i;
    const uint16_t type = static_cast<uint16_t>(s.bytes[at] | (s.bytes[at + 1] << 8));
    if (type != kMapMapList) items.push_back({type, get_u32(s.bytes, at + 4), get_u32(s.bytes, at + 8)});
  }
  items.push_back({kMapMethodHandle, 1, mh_off});
  items.push_back({kMapCallSiteId, 1, cs_off});
  while (s.bytes.size() % 4) s.bytes.push_back(0);
  const uint32_t new_map = static_cast<uint32_t>(s.bytes.size());
  items.push_back({kMapMapList, 1, new_map});
  std::vector<uint8_t> map;
  test::put_u32(map, static_cast<uint32_t>(items.size()));
  for (auto& it : items) {
    test::put_u16(map, static_cast<uint16_t>(it[0]));
    test::put_u16(map, 0);
    test::put_u32(map, it[1]);
    test::put_u32(map, it[2]);
  }
  REQUIRE(s.append(map) == new_map);
  set_u32(s.bytes, 52, new_map);

  Diagnostics diags;
  auto d = s.open(&diags);
  REQUIRE(d);
  CHECK_MESSAGE(diags.empty(), test::diag_codes(diags));
  REQUIRE(d->method_handles_size() == 1);
  REQUIRE(d->call_site_ids_size() == 1);
  auto h = d->method_handle(MethodHandleIdx(0));
  REQUIRE(h);
  CHECK(h->type == 4);
  CHECK(d->pretty_method(MethodIdx(h->field_or_method_idx)) == kFoo);
  CHECK_FALSE(d->method_handle(MethodHandleIdx(1)).has_value());
  CHECK(d->call_site_offset(CallSiteIdx(0)) == array_off);
  CHECK(d->call_site_offset(CallSiteIdx(1)) == 0);
  EncodedArrayReader r = call_site_reader(*d, CallSiteIdx(0));
  REQUIRE(r.size() == 3);
  EncodedValue v;
  REQUIRE(r.next(v));
  CHECK(v.type == ValueType::kMethodHandle);
  REQUIRE(r.next(v));
  CHECK(d->string_data(v.string_idx()) == "foo");
  REQUIRE(r.next(v));
  CHECK(v.type == ValueType::kMethodType);
  verify_structure(*d, &diags);
  CHECK_MESSAGE(diags.empty(), test::diag_codes(diags));

  // Now point the method handle at a method that does not exist.
  set_u16(s.bytes, mh_off + 4, 0xfff0);
  CHECK(test::has_diag(s.verify(), "dex-bad-method-handle"));
  // And the call site at garbage.
  set_u32(s.bytes, cs_off, 0x7ffffff0);
  CHECK(test::has_diag(s.verify(), "dex-bad-call-site"));
}
