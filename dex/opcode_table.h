// The Dalvik instruction set, described once (like ART's dex_instruction_list.h): every one of
// the 256 opcode values with its name as dexdump/smali print it, its instruction format, the
// kind of constant-pool index it carries, and its control-flow / semantic flags. The Opcode
// enum, name/format/size/index/flag lookups are all generated from this one table; no other
// code switches over opcodes to learn these facts.
//
// Sources: source.android.com "Dalvik bytecode" and "Dalvik Executable instruction formats";
// names follow dexdump (ART). 0x73 and 0xe3..0xf9 are unused in the DEX format (older ARTs
// used them internally for quickened/optimized code that never appears in a .dex file).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace apkwarden::dex {

// Instruction formats ("Dalvik Executable instruction formats"). The first digit is the size
// in 16-bit code units, the second the number of registers, the letter the kind of extra data.
// 20bc, 22cs, 35ms, 35mi, 3rms and 3rmi are "optimized"/statically linked formats that no
// standard opcode uses; they are listed so the format table is complete.
// V(format, size in code units, how many of vA, vB, vC are plain register operands). The
// argument-list formats (35c, 3rc, 45cc, ...) name their registers in a list instead.
#define APKWARDEN_INSTRUCTION_FORMAT_LIST(V) \
  V(10x, 1, 0)  V(12x, 1, 2)  V(11n, 1, 1)  V(11x, 1, 1)  V(10t, 1, 0) \
  V(20t, 2, 0)  V(20bc, 2, 0) V(22x, 2, 2)  V(21t, 2, 1)  V(21s, 2, 1) V(21h, 2, 1) V(21c, 2, 1) \
  V(23x, 2, 3)  V(22b, 2, 2)  V(22t, 2, 2)  V(22s, 2, 2)  V(22c, 2, 2) V(22cs, 2, 2) \
  V(30t, 3, 0)  V(32x, 3, 2)  V(31i, 3, 1)  V(31t, 3, 1)  V(31c, 3, 1) \
  V(35c, 3, 0)  V(35ms, 3, 0) V(35mi, 3, 0) V(3rc, 3, 0)  V(3rms, 3, 0) V(3rmi, 3, 0) \
  V(45cc, 4, 0) V(4rcc, 4, 0) V(51l, 5, 1)

enum class InstructionFormat : uint8_t {
#define APKWARDEN_FORMAT_ENUM(fmt, units, regs) k##fmt,
  APKWARDEN_INSTRUCTION_FORMAT_LIST(APKWARDEN_FORMAT_ENUM)
#undef APKWARDEN_FORMAT_ENUM
};

// What a 'c'-kind operand indexes.
enum class IndexKind : uint8_t {
  kNone,
  kString,
  kType,
  kField,
  kMethod,
  kProto,
  kCallSite,
  kMethodHandle,
  kMethodAndProto,  // 45cc/4rcc: method index plus a proto index
};

// Opcode flags. An unscoped enum in its own namespace so the table below can name them bare.
namespace opflags {
enum : uint32_t {
  kContinue = 1u << 0,        // execution may fall through to the next instruction
  kBranch = 1u << 1,          // carries a branch offset (goto*, if-*)
  kSwitch = 1u << 2,          // packed-switch / sparse-switch
  kGoto = 1u << 3,            // unconditional branch
  kConditional = 1u << 4,     // if-*
  kInvoke = 1u << 5,          // invoke-* (not invoke-custom: a call site, not a method)
  kReturn = 1u << 6,          // return*
  kThrow = 1u << 7,           // the throw instruction
  kCanThrow = 1u << 8,        // may raise an exception (reaches catch handlers)
  kConst = 1u << 9,           // loads a constant (literal, string, class, method handle/type)
  kMoveResult = 1u << 10,     // move-result*
  kMoveException = 1u << 11,  // move-exception
  kMove = 1u << 12,           // register-to-register move
  kFieldGet = 1u << 13,       // iget*/sget*
  kFieldPut = 1u << 14,       // iput*/sput*
  kStatic = 1u << 15,         // sget*/sput*/invoke-static*
  kRange = 1u << 16,          // register range form (3rc/4rcc)
  kArrayGet = 1u << 17,       // aget*
  kArrayPut = 1u << 18,       // aput*
  kPayloadUser = 1u << 19,    // 31t: the offset points at a payload (switch table, array data)
  kUnused = 1u << 20,         // not a valid opcode
};
}  // namespace opflags

// V(value, Identifier, "name", format, IndexKind, flags)
// clang-format off
#define APKWARDEN_OPCODE_LIST(V) \
  V(0x00, Nop,                    "nop",                      10x,  None,           kContinue) \
  V(0x01, Move,                   "move",                     12x,  None,           kContinue | kMove) \
  V(0x02, MoveFrom16,             "move/from16",              22x,  None,           kContinue | kMove) \
  V(0x03, Move16,                 "move/16",                  32x,  None,           kContinue | kMove) \
  V(0x04, MoveWide,               "move-wide",                12x,  None,           kContinue | kMove) \
  V(0x05, MoveWideFrom16,         "move-wide/from16",         22x,  None,           kContinue | kMove) \
  V(0x06, MoveWide16,             "move-wide/16",             32x,  None,           kContinue | kMove) \
  V(0x07, MoveObject,             "move-object",              12x,  None,           kContinue | kMove) \
  V(0x08, MoveObjectFrom16,       "move-object/from16",       22x,  None,           kContinue | kMove) \
  V(0x09, MoveObject16,           "move-object/16",           32x,  None,           kContinue | kMove) \
  V(0x0A, MoveResult,             "move-result",              11x,  None,           kContinue | kMoveResult) \
  V(0x0B, MoveResultWide,         "move-result-wide",         11x,  None,           kContinue | kMoveResult) \
  V(0x0C, MoveResultObject,       "move-result-object",       11x,  None,           kContinue | kMoveResult) \
  V(0x0D, MoveException,          "move-exception",           11x,  None,           kContinue | kMoveException) \
  V(0x0E, ReturnVoid,             "return-void",              10x,  None,           kReturn) \
  V(0x0F, Return,                 "return",                   11x,  None,           kReturn) \
  V(0x10, ReturnWide,             "return-wide",              11x,  None,           kReturn) \
  V(0x11, ReturnObject,           "return-object",            11x,  None,           kReturn) \
  V(0x12, Const4,                 "const/4",                  11n,  None,           kContinue | kConst) \
  V(0x13, Const16,                "const/16",                 21s,  None,           kContinue | kConst) \
  V(0x14, Const,                  "const",                    31i,  None,           kContinue | kConst) \
  V(0x15, ConstHigh16,            "const/high16",             21h,  None,           kContinue | kConst) \
  V(0x16, ConstWide16,            "const-wide/16",            21s,  None,           kContinue | kConst) \
  V(0x17, ConstWide32,            "const-wide/32",            31i,  None,           kContinue | kConst) \
  V(0x18, ConstWide,              "const-wide",               51l,  None,           kContinue | kConst) \
  V(0x19, ConstWideHigh16,        "const-wide/high16",        21h,  None,           kContinue | kConst) \
  V(0x1A, ConstString,            "const-string",             21c,  String,         kContinue | kCanThrow | kConst) \
  V(0x1B, ConstStringJumbo,       "const-string/jumbo",       31c,  String,         kContinue | kCanThrow | kConst) \
  V(0x1C, ConstClass,             "const-class",              21c,  Type,           kContinue | kCanThrow | kConst) \
  V(0x1D, MonitorEnter,           "monitor-enter",            11x,  None,           kContinue | kCanThrow) \
  V(0x1E, MonitorExit,            "monitor-exit",             11x,  None,           kContinue | kCanThrow) \
  V(0x1F, CheckCast,              "check-cast",               21c,  Type,           kContinue | kCanThrow) \
  V(0x20, InstanceOf,             "instance-of",              22c,  Type,           kContinue | kCanThrow) \
  V(0x21, ArrayLength,            "array-length",             12x,  None,           kContinue | kCanThrow) \
  V(0x22, NewInstance,            "new-instance",             21c,  Type,           kContinue | kCanThrow) \
  V(0x23, NewArray,               "new-array",                22c,  Type,           kContinue | kCanThrow) \
  V(0x24, FilledNewArray,         "filled-new-array",         35c,  Type,           kContinue | kCanThrow) \
  V(0x25, FilledNewArrayRange,    "filled-new-array/range",   3rc,  Type,           kContinue | kCanThrow | kRange) \
  V(0x26, FillArrayData,          "fill-array-data",          31t,  None,           kContinue | kCanThrow | kPayloadUser) \
  V(0x27, Throw,                  "throw",                    11x,  None,           kThrow | kCanThrow) \
  V(0x28, Goto,                   "goto",                     10t,  None,           kBranch | kGoto) \
  V(0x29, Goto16,                 "goto/16",                  20t,  None,           kBranch | kGoto) \
  V(0x2A, Goto32,                 "goto/32",                  30t,  None,           kBranch | kGoto) \
  V(0x2B, PackedSwitch,           "packed-switch",            31t,  None,           kContinue | kSwitch | kPayloadUser) \
  V(0x2C, SparseSwitch,           "sparse-switch",            31t,  None,           kContinue | kSwitch | kPayloadUser) \
  V(0x2D, CmplFloat,              "cmpl-float",               23x,  None,           kContinue) \
  V(0x2E, CmpgFloat,              "cmpg-float",               23x,  None,           kContinue) \
  V(0x2F, CmplDouble,             "cmpl-double",              23x,  None,           kContinue) \
  V(0x30, CmpgDouble,             "cmpg-double",              23x,  None,           kContinue) \
  V(0x31, CmpLong,                "cmp-long",                 23x,  None,           kContinue) \
  V(0x32, IfEq,                   "if-eq",                    22t,  None,           kContinue | kBranch | kConditional) \
  V(0x33, IfNe,                   "if-ne",                    22t,  None,           kContinue | kBranch | kConditional) \
  V(0x34, IfLt,                   "if-lt",                    22t,  None,           kContinue | kBranch | kConditional) \
  V(0x35, IfGe,                   "if-ge",                    22t,  None,           kContinue | kBranch | kConditional) \
  V(0x36, IfGt,                   "if-gt",                    22t,  None,           kContinue | kBranch | kConditional) \
  V(0x37, IfLe,                   "if-le",                    22t,  None,           kContinue | kBranch | kConditional) \
  V(0x38, IfEqz,                  "if-eqz",                   21t,  None,           kContinue | kBranch | kConditional) \
  V(0x39, IfNez,                  "if-nez",                   21t,  None,           kContinue | kBranch | kConditional) \
  V(0x3A, IfLtz,                  "if-ltz",                   21t,  None,           kContinue | kBranch | kConditional) \
  V(0x3B, IfGez,                  "if-gez",                   21t,  None,           kContinue | kBranch | kConditional) \
  V(0x3C, IfGtz,                  "if-gtz",                   21t,  None,           kContinue | kBranch | kConditional) \
  V(0x3D, IfLez,                  "if-lez",                   21t,  None,           kContinue | kBranch | kConditional) \
  V(0x3E, Unused3E,               "unused-3e",                10x,  None,           kUnused) \
  V(0x3F, Unused3F,               "unused-3f",                10x,  None,           kUnused) \
  V(0x40, Unused40,               "unused-40",                10x,  None,           kUnused) \
  V(0x41, Unused41,               "unused-41",                10x,  None,           kUnused) \
  V(0x42, Unused42,               "unused-42",                10x,  None,           kUnused) \
  V(0x43, Unused43,               "unused-43",                10x,  None,           kUnused) \
  V(0x44, Aget,                   "aget",                     23x,  None,           kContinue | kCanThrow | kArrayGet) \
  V(0x45, AgetWide,               "aget-wide",                23x,  None,           kContinue | kCanThrow | kArrayGet) \
  V(0x46, AgetObject,             "aget-object",              23x,  None,           kContinue | kCanThrow | kArrayGet) \
  V(0x47, AgetBoolean,            "aget-boolean",             23x,  None,           kContinue | kCanThrow | kArrayGet) \
  V(0x48, AgetByte,               "aget-byte",                23x,  None,           kContinue | kCanThrow | kArrayGet) \
  V(0x49, AgetChar,               "aget-char",                23x,  None,           kContinue | kCanThrow | kArrayGet) \
  V(0x4A, AgetShort,              "aget-short",               23x,  None,           kContinue | kCanThrow | kArrayGet) \
  V(0x4B, Aput,                   "aput",                     23x,  None,           kContinue | kCanThrow | kArrayPut) \
  V(0x4C, AputWide,               "aput-wide",                23x,  None,           kContinue | kCanThrow | kArrayPut) \
  V(0x4D, AputObject,             "aput-object",              23x,  None,           kContinue | kCanThrow | kArrayPut) \
  V(0x4E, AputBoolean,            "aput-boolean",             23x,  None,           kContinue | kCanThrow | kArrayPut) \
  V(0x4F, AputByte,               "aput-byte",                23x,  None,           kContinue | kCanThrow | kArrayPut) \
  V(0x50, AputChar,               "aput-char",                23x,  None,           kContinue | kCanThrow | kArrayPut) \
  V(0x51, AputShort,              "aput-short",               23x,  None,           kContinue | kCanThrow | kArrayPut) \
  V(0x52, Iget,                   "iget",                     22c,  Field,          kContinue | kCanThrow | kFieldGet) \
  V(0x53, IgetWide,               "iget-wide",                22c,  Field,          kContinue | kCanThrow | kFieldGet) \
  V(0x54, IgetObject,             "iget-object",              22c,  Field,          kContinue | kCanThrow | kFieldGet) \
  V(0x55, IgetBoolean,            "iget-boolean",             22c,  Field,          kContinue | kCanThrow | kFieldGet) \
  V(0x56, IgetByte,               "iget-byte",                22c,  Field,          kContinue | kCanThrow | kFieldGet) \
  V(0x57, IgetChar,               "iget-char",                22c,  Field,          kContinue | kCanThrow | kFieldGet) \
  V(0x58, IgetShort,              "iget-short",               22c,  Field,          kContinue | kCanThrow | kFieldGet) \
  V(0x59, Iput,                   "iput",                     22c,  Field,          kContinue | kCanThrow | kFieldPut) \
  V(0x5A, IputWide,               "iput-wide",                22c,  Field,          kContinue | kCanThrow | kFieldPut) \
  V(0x5B, IputObject,             "iput-object",              22c,  Field,          kContinue | kCanThrow | kFieldPut) \
  V(0x5C, IputBoolean,            "iput-boolean",             22c,  Field,          kContinue | kCanThrow | kFieldPut) \
  V(0x5D, IputByte,               "iput-byte",                22c,  Field,          kContinue | kCanThrow | kFieldPut) \
  V(0x5E, IputChar,               "iput-char",                22c,  Field,          kContinue | kCanThrow | kFieldPut) \
  V(0x5F, IputShort,              "iput-short",               22c,  Field,          kContinue | kCanThrow | kFieldPut) \
  V(0x60, Sget,                   "sget",                     21c,  Field,          kContinue | kCanThrow | kFieldGet | kStatic) \
  V(0x61, SgetWide,               "sget-wide",                21c,  Field,          kContinue | kCanThrow | kFieldGet | kStatic) \
  V(0x62, SgetObject,             "sget-object",              21c,  Field,          kContinue | kCanThrow | kFieldGet | kStatic) \
  V(0x63, SgetBoolean,            "sget-boolean",             21c,  Field,          kContinue | kCanThrow | kFieldGet | kStatic) \
  V(0x64, SgetByte,               "sget-byte",                21c,  Field,          kContinue | kCanThrow | kFieldGet | kStatic) \
  V(0x65, SgetChar,               "sget-char",                21c,  Field,          kContinue | kCanThrow | kFieldGet | kStatic) \
  V(0x66, SgetShort,              "sget-short",               21c,  Field,          kContinue | kCanThrow | kFieldGet | kStatic) \
  V(0x67, Sput,                   "sput",                     21c,  Field,          kContinue | kCanThrow | kFieldPut | kStatic) \
  V(0x68, SputWide,               "sput-wide",                21c,  Field,          kContinue | kCanThrow | kFieldPut | kStatic) \
  V(0x69, SputObject,             "sput-object",              21c,  Field,          kContinue | kCanThrow | kFieldPut | kStatic) \
  V(0x6A, SputBoolean,            "sput-boolean",             21c,  Field,          kContinue | kCanThrow | kFieldPut | kStatic) \
  V(0x6B, SputByte,               "sput-byte",                21c,  Field,          kContinue | kCanThrow | kFieldPut | kStatic) \
  V(0x6C, SputChar,               "sput-char",                21c,  Field,          kContinue | kCanThrow | kFieldPut | kStatic) \
  V(0x6D, SputShort,              "sput-short",               21c,  Field,          kContinue | kCanThrow | kFieldPut | kStatic) \
  V(0x6E, InvokeVirtual,          "invoke-virtual",           35c,  Method,         kContinue | kCanThrow | kInvoke) \
  V(0x6F, InvokeSuper,            "invoke-super",             35c,  Method,         kContinue | kCanThrow | kInvoke) \
  V(0x70, InvokeDirect,           "invoke-direct",            35c,  Method,         kContinue | kCanThrow | kInvoke) \
  V(0x71, InvokeStatic,           "invoke-static",            35c,  Method,         kContinue | kCanThrow | kInvoke | kStatic) \
  V(0x72, InvokeInterface,        "invoke-interface",         35c,  Method,         kContinue | kCanThrow | kInvoke) \
  V(0x73, Unused73,               "unused-73",                10x,  None,           kUnused) \
  V(0x74, InvokeVirtualRange,     "invoke-virtual/range",     3rc,  Method,         kContinue | kCanThrow | kInvoke | kRange) \
  V(0x75, InvokeSuperRange,       "invoke-super/range",       3rc,  Method,         kContinue | kCanThrow | kInvoke | kRange) \
  V(0x76, InvokeDirectRange,      "invoke-direct/range",      3rc,  Method,         kContinue | kCanThrow | kInvoke | kRange) \
  V(0x77, InvokeStaticRange,      "invoke-static/range",      3rc,  Method,         kContinue | kCanThrow | kInvoke | kRange | kStatic) \
  V(0x78, InvokeInterfaceRange,   "invoke-interface/range",   3rc,  Method,         kContinue | kCanThrow | kInvoke | kRange) \
  V(0x79, Unused79,               "unused-79",                10x,  None,           kUnused) \
  V(0x7A, Unused7A,               "unused-7a",                10x,  None,           kUnused) \
  V(0x7B, NegInt,                 "neg-int",                  12x,  None,           kContinue) \
  V(0x7C, NotInt,                 "not-int",                  12x,  None,           kContinue) \
  V(0x7D, NegLong,                "neg-long",                 12x,  None,           kContinue) \
  V(0x7E, NotLong,                "not-long",                 12x,  None,           kContinue) \
  V(0x7F, NegFloat,               "neg-float",                12x,  None,           kContinue) \
  V(0x80, NegDouble,              "neg-double",               12x,  None,           kContinue) \
  V(0x81, IntToLong,              "int-to-long",              12x,  None,           kContinue) \
  V(0x82, IntToFloat,             "int-to-float",             12x,  None,           kContinue) \
  V(0x83, IntToDouble,            "int-to-double",            12x,  None,           kContinue) \
  V(0x84, LongToInt,              "long-to-int",              12x,  None,           kContinue) \
  V(0x85, LongToFloat,            "long-to-float",            12x,  None,           kContinue) \
  V(0x86, LongToDouble,           "long-to-double",           12x,  None,           kContinue) \
  V(0x87, FloatToInt,             "float-to-int",             12x,  None,           kContinue) \
  V(0x88, FloatToLong,            "float-to-long",            12x,  None,           kContinue) \
  V(0x89, FloatToDouble,          "float-to-double",          12x,  None,           kContinue) \
  V(0x8A, DoubleToInt,            "double-to-int",            12x,  None,           kContinue) \
  V(0x8B, DoubleToLong,           "double-to-long",           12x,  None,           kContinue) \
  V(0x8C, DoubleToFloat,          "double-to-float",          12x,  None,           kContinue) \
  V(0x8D, IntToByte,              "int-to-byte",              12x,  None,           kContinue) \
  V(0x8E, IntToChar,              "int-to-char",              12x,  None,           kContinue) \
  V(0x8F, IntToShort,             "int-to-short",             12x,  None,           kContinue) \
  V(0x90, AddInt,                 "add-int",                  23x,  None,           kContinue) \
  V(0x91, SubInt,                 "sub-int",                  23x,  None,           kContinue) \
  V(0x92, MulInt,                 "mul-int",                  23x,  None,           kContinue) \
  V(0x93, DivInt,                 "div-int",                  23x,  None,           kContinue | kCanThrow) \
  V(0x94, RemInt,                 "rem-int",                  23x,  None,           kContinue | kCanThrow) \
  V(0x95, AndInt,                 "and-int",                  23x,  None,           kContinue) \
  V(0x96, OrInt,                  "or-int",                   23x,  None,           kContinue) \
  V(0x97, XorInt,                 "xor-int",                  23x,  None,           kContinue) \
  V(0x98, ShlInt,                 "shl-int",                  23x,  None,           kContinue) \
  V(0x99, ShrInt,                 "shr-int",                  23x,  None,           kContinue) \
  V(0x9A, UshrInt,                "ushr-int",                 23x,  None,           kContinue) \
  V(0x9B, AddLong,                "add-long",                 23x,  None,           kContinue) \
  V(0x9C, SubLong,                "sub-long",                 23x,  None,           kContinue) \
  V(0x9D, MulLong,                "mul-long",                 23x,  None,           kContinue) \
  V(0x9E, DivLong,                "div-long",                 23x,  None,           kContinue | kCanThrow) \
  V(0x9F, RemLong,                "rem-long",                 23x,  None,           kContinue | kCanThrow) \
  V(0xA0, AndLong,                "and-long",                 23x,  None,           kContinue) \
  V(0xA1, OrLong,                 "or-long",                  23x,  None,           kContinue) \
  V(0xA2, XorLong,                "xor-long",                 23x,  None,           kContinue) \
  V(0xA3, ShlLong,                "shl-long",                 23x,  None,           kContinue) \
  V(0xA4, ShrLong,                "shr-long",                 23x,  None,           kContinue) \
  V(0xA5, UshrLong,               "ushr-long",                23x,  None,           kContinue) \
  V(0xA6, AddFloat,               "add-float",                23x,  None,           kContinue) \
  V(0xA7, SubFloat,               "sub-float",                23x,  None,           kContinue) \
  V(0xA8, MulFloat,               "mul-float",                23x,  None,           kContinue) \
  V(0xA9, DivFloat,               "div-float",                23x,  None,           kContinue) \
  V(0xAA, RemFloat,               "rem-float",                23x,  None,           kContinue) \
  V(0xAB, AddDouble,              "add-double",               23x,  None,           kContinue) \
  V(0xAC, SubDouble,              "sub-double",               23x,  None,           kContinue) \
  V(0xAD, MulDouble,              "mul-double",               23x,  None,           kContinue) \
  V(0xAE, DivDouble,              "div-double",               23x,  None,           kContinue) \
  V(0xAF, RemDouble,              "rem-double",               23x,  None,           kContinue) \
  V(0xB0, AddInt2addr,            "add-int/2addr",            12x,  None,           kContinue) \
  V(0xB1, SubInt2addr,            "sub-int/2addr",            12x,  None,           kContinue) \
  V(0xB2, MulInt2addr,            "mul-int/2addr",            12x,  None,           kContinue) \
  V(0xB3, DivInt2addr,            "div-int/2addr",            12x,  None,           kContinue | kCanThrow) \
  V(0xB4, RemInt2addr,            "rem-int/2addr",            12x,  None,           kContinue | kCanThrow) \
  V(0xB5, AndInt2addr,            "and-int/2addr",            12x,  None,           kContinue) \
  V(0xB6, OrInt2addr,             "or-int/2addr",             12x,  None,           kContinue) \
  V(0xB7, XorInt2addr,            "xor-int/2addr",            12x,  None,           kContinue) \
  V(0xB8, ShlInt2addr,            "shl-int/2addr",            12x,  None,           kContinue) \
  V(0xB9, ShrInt2addr,            "shr-int/2addr",            12x,  None,           kContinue) \
  V(0xBA, UshrInt2addr,           "ushr-int/2addr",           12x,  None,           kContinue) \
  V(0xBB, AddLong2addr,           "add-long/2addr",           12x,  None,           kContinue) \
  V(0xBC, SubLong2addr,           "sub-long/2addr",           12x,  None,           kContinue) \
  V(0xBD, MulLong2addr,           "mul-long/2addr",           12x,  None,           kContinue) \
  V(0xBE, DivLong2addr,           "div-long/2addr",           12x,  None,           kContinue | kCanThrow) \
  V(0xBF, RemLong2addr,           "rem-long/2addr",           12x,  None,           kContinue | kCanThrow) \
  V(0xC0, AndLong2addr,           "and-long/2addr",           12x,  None,           kContinue) \
  V(0xC1, OrLong2addr,            "or-long/2addr",            12x,  None,           kContinue) \
  V(0xC2, XorLong2addr,           "xor-long/2addr",           12x,  None,           kContinue) \
  V(0xC3, ShlLong2addr,           "shl-long/2addr",           12x,  None,           kContinue) \
  V(0xC4, ShrLong2addr,           "shr-long/2addr",           12x,  None,           kContinue) \
  V(0xC5, UshrLong2addr,          "ushr-long/2addr",          12x,  None,           kContinue) \
  V(0xC6, AddFloat2addr,          "add-float/2addr",          12x,  None,           kContinue) \
  V(0xC7, SubFloat2addr,          "sub-float/2addr",          12x,  None,           kContinue) \
  V(0xC8, MulFloat2addr,          "mul-float/2addr",          12x,  None,           kContinue) \
  V(0xC9, DivFloat2addr,          "div-float/2addr",          12x,  None,           kContinue) \
  V(0xCA, RemFloat2addr,          "rem-float/2addr",          12x,  None,           kContinue) \
  V(0xCB, AddDouble2addr,         "add-double/2addr",         12x,  None,           kContinue) \
  V(0xCC, SubDouble2addr,         "sub-double/2addr",         12x,  None,           kContinue) \
  V(0xCD, MulDouble2addr,         "mul-double/2addr",         12x,  None,           kContinue) \
  V(0xCE, DivDouble2addr,         "div-double/2addr",         12x,  None,           kContinue) \
  V(0xCF, RemDouble2addr,         "rem-double/2addr",         12x,  None,           kContinue) \
  V(0xD0, AddIntLit16,            "add-int/lit16",            22s,  None,           kContinue) \
  V(0xD1, RsubInt,                "rsub-int",                 22s,  None,           kContinue) \
  V(0xD2, MulIntLit16,            "mul-int/lit16",            22s,  None,           kContinue) \
  V(0xD3, DivIntLit16,            "div-int/lit16",            22s,  None,           kContinue | kCanThrow) \
  V(0xD4, RemIntLit16,            "rem-int/lit16",            22s,  None,           kContinue | kCanThrow) \
  V(0xD5, AndIntLit16,            "and-int/lit16",            22s,  None,           kContinue) \
  V(0xD6, OrIntLit16,             "or-int/lit16",             22s,  None,           kContinue) \
  V(0xD7, XorIntLit16,            "xor-int/lit16",            22s,  None,           kContinue) \
  V(0xD8, AddIntLit8,             "add-int/lit8",             22b,  None,           kContinue) \
  V(0xD9, RsubIntLit8,            "rsub-int/lit8",            22b,  None,           kContinue) \
  V(0xDA, MulIntLit8,             "mul-int/lit8",             22b,  None,           kContinue) \
  V(0xDB, DivIntLit8,             "div-int/lit8",             22b,  None,           kContinue | kCanThrow) \
  V(0xDC, RemIntLit8,             "rem-int/lit8",             22b,  None,           kContinue | kCanThrow) \
  V(0xDD, AndIntLit8,             "and-int/lit8",             22b,  None,           kContinue) \
  V(0xDE, OrIntLit8,              "or-int/lit8",              22b,  None,           kContinue) \
  V(0xDF, XorIntLit8,             "xor-int/lit8",             22b,  None,           kContinue) \
  V(0xE0, ShlIntLit8,             "shl-int/lit8",             22b,  None,           kContinue) \
  V(0xE1, ShrIntLit8,             "shr-int/lit8",             22b,  None,           kContinue) \
  V(0xE2, UshrIntLit8,            "ushr-int/lit8",            22b,  None,           kContinue) \
  V(0xE3, UnusedE3,               "unused-e3",                10x,  None,           kUnused) \
  V(0xE4, UnusedE4,               "unused-e4",                10x,  None,           kUnused) \
  V(0xE5, UnusedE5,               "unused-e5",                10x,  None,           kUnused) \
  V(0xE6, UnusedE6,               "unused-e6",                10x,  None,           kUnused) \
  V(0xE7, UnusedE7,               "unused-e7",                10x,  None,           kUnused) \
  V(0xE8, UnusedE8,               "unused-e8",                10x,  None,           kUnused) \
  V(0xE9, UnusedE9,               "unused-e9",                10x,  None,           kUnused) \
  V(0xEA, UnusedEA,               "unused-ea",                10x,  None,           kUnused) \
  V(0xEB, UnusedEB,               "unused-eb",                10x,  None,           kUnused) \
  V(0xEC, UnusedEC,               "unused-ec",                10x,  None,           kUnused) \
  V(0xED, UnusedED,               "unused-ed",                10x,  None,           kUnused) \
  V(0xEE, UnusedEE,               "unused-ee",                10x,  None,           kUnused) \
  V(0xEF, UnusedEF,               "unused-ef",                10x,  None,           kUnused) \
  V(0xF0, UnusedF0,               "unused-f0",                10x,  None,           kUnused) \
  V(0xF1, UnusedF1,               "unused-f1",                10x,  None,           kUnused) \
  V(0xF2, UnusedF2,               "unused-f2",                10x,  None,           kUnused) \
  V(0xF3, UnusedF3,               "unused-f3",                10x,  None,           kUnused) \
  V(0xF4, UnusedF4,               "unused-f4",                10x,  None,           kUnused) \
  V(0xF5, UnusedF5,               "unused-f5",                10x,  None,           kUnused) \
  V(0xF6, UnusedF6,               "unused-f6",                10x,  None,           kUnused) \
  V(0xF7, UnusedF7,               "unused-f7",                10x,  None,           kUnused) \
  V(0xF8, UnusedF8,               "unused-f8",                10x,  None,           kUnused) \
  V(0xF9, UnusedF9,               "unused-f9",                10x,  None,           kUnused) \
  V(0xFA, InvokePolymorphic,      "invoke-polymorphic",       45cc, MethodAndProto, kContinue | kCanThrow | kInvoke) \
  V(0xFB, InvokePolymorphicRange, "invoke-polymorphic/range", 4rcc, MethodAndProto, kContinue | kCanThrow | kInvoke | kRange) \
  V(0xFC, InvokeCustom,           "invoke-custom",            35c,  CallSite,       kContinue | kCanThrow | kInvoke) \
  V(0xFD, InvokeCustomRange,      "invoke-custom/range",      3rc,  CallSite,       kContinue | kCanThrow | kInvoke | kRange) \
  V(0xFE, ConstMethodHandle,      "const-method-handle",      21c,  MethodHandle,   kContinue | kCanThrow | kConst) \
  V(0xFF, ConstMethodType,        "const-method-type",        21c,  Proto,          kContinue | kCanThrow | kConst)

// clang-format on

enum class Opcode : uint8_t {
#define APKWARDEN_OPCODE_ENUM(value, id, name, fmt, index, flags) k##id = value,
  APKWARDEN_OPCODE_LIST(APKWARDEN_OPCODE_ENUM)
#undef APKWARDEN_OPCODE_ENUM
};

// Payload pseudo-instruction idents: the whole first code unit (a nop with a non-zero high byte).
inline constexpr uint16_t kPackedSwitchPayloadIdent = 0x0100;
inline constexpr uint16_t kSparseSwitchPayloadIdent = 0x0200;
inline constexpr uint16_t kFillArrayDataPayloadIdent = 0x0300;

namespace detail {
using namespace opflags;  // the table names flags bare

struct FormatInfo {
  std::string_view name;
  uint8_t units;
  uint8_t register_fields;
};
inline constexpr std::array<FormatInfo, 32> kFormatInfo = {{
#define APKWARDEN_FORMAT_INFO(fmt, units, regs) {#fmt, units, regs},
    APKWARDEN_INSTRUCTION_FORMAT_LIST(APKWARDEN_FORMAT_INFO)
#undef APKWARDEN_FORMAT_INFO
}};

struct OpcodeInfo {
  std::string_view name;
  InstructionFormat format;
  IndexKind index;
  uint32_t flags;
};
inline constexpr std::array<OpcodeInfo, 256> kOpcodeInfo = {{
#define APKWARDEN_OPCODE_INFO(value, id, name, fmt, index, flags) \
  {name, InstructionFormat::k##fmt, IndexKind::k##index, flags},
    APKWARDEN_OPCODE_LIST(APKWARDEN_OPCODE_INFO)
#undef APKWARDEN_OPCODE_INFO
}};

// Sizes in code units per opcode, derived from the formats (payloads are sized separately).
inline constexpr std::array<uint8_t, 256> kOpcodeUnits = [] {
  std::array<uint8_t, 256> out{};
  for (size_t i = 0; i < 256; ++i) out[i] = kFormatInfo[static_cast<size_t>(kOpcodeInfo[i].format)].units;
  return out;
}();

// The table must list the opcodes in value order (so it can be indexed by value).
inline constexpr bool kTableInOrder = [] {
  uint32_t i = 0;
#define APKWARDEN_OPCODE_CHECK(value, id, name, fmt, index, flags) \
  if (value != i++) return false;
  APKWARDEN_OPCODE_LIST(APKWARDEN_OPCODE_CHECK)
#undef APKWARDEN_OPCODE_CHECK
  return i == 256;
}();
static_assert(kTableInOrder, "APKWARDEN_OPCODE_LIST must list all 256 opcodes in value order");
}  // namespace detail

inline constexpr size_t kOpcodeCount = 256;

constexpr const detail::OpcodeInfo& opcode_info(Opcode op) { return detail::kOpcodeInfo[static_cast<uint8_t>(op)]; }
constexpr std::string_view opcode_name(Opcode op) { return opcode_info(op).name; }
constexpr InstructionFormat opcode_format(Opcode op) { return opcode_info(op).format; }
constexpr IndexKind opcode_index_kind(Opcode op) { return opcode_info(op).index; }
constexpr uint32_t opcode_flags(Opcode op) { return opcode_info(op).flags; }
constexpr bool opcode_has(Opcode op, uint32_t flag) { return (opcode_flags(op) & flag) != 0; }
constexpr bool opcode_is_valid(Opcode op) { return !opcode_has(op, opflags::kUnused); }
// Size of a (non-payload) instruction with this opcode, in 16-bit code units.
constexpr uint32_t opcode_units(Opcode op) { return detail::kOpcodeUnits[static_cast<uint8_t>(op)]; }

constexpr std::string_view format_name(InstructionFormat f) {
  return detail::kFormatInfo[static_cast<size_t>(f)].name;
}
constexpr uint32_t format_units(InstructionFormat f) { return detail::kFormatInfo[static_cast<size_t>(f)].units; }
// How many of vA, vB, vC (in that order) are register operands in this format.
constexpr uint32_t format_register_fields(InstructionFormat f) {
  return detail::kFormatInfo[static_cast<size_t>(f)].register_fields;
}

std::string_view index_kind_name(IndexKind k);

// Name -> opcode (for tests and tools reading listings); false if the name is not in the table.
bool opcode_from_name(std::string_view name, Opcode& out);

}  // namespace apkwarden::dex
