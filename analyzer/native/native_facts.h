// What the native analysis says about one ELF library: plain data, sorted, ready for the
// report (analyzer/report) and for `apkwarden native`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dex/diagnostic.h"

namespace apkwarden::native {

struct Hardening {
  bool nx = false;             // PT_GNU_STACK without PF_X
  bool pic = false;            // ET_DYN (shared object or PIE)
  bool relro = false;          // PT_GNU_RELRO
  bool bind_now = false;       // DT_BIND_NOW or DF_BIND_NOW / DF_1_NOW: full RELRO with relro
  bool stack_protector = false;  // imports __stack_chk_fail / __stack_chk_guard
  bool fortify = false;        // imports a __*_chk function
};

struct JniExport {
  std::string symbol;      // "Java_com_x_Y_foo__I"
  std::string class_name;  // "com.x.Y"
  std::string method;      // "foo"
  std::string signature;   // "(I)" part of an overloaded name, decoded; "" when absent
  uint64_t address = 0;
  std::vector<std::string> dex_methods;  // matching `native` methods found in the app's dex
  bool thumb = false;                    // ARM: the implementation is Thumb code
  // What the implementation does (jni_behaviour.h), filled for linked methods only: the imports
  // it and the functions it calls (bounded) call, and the constant strings passed to any call
  // (JNI class, method and descriptor names such as "getDeviceId"). Sorted, unique.
  std::vector<std::string> calls_imports;
  std::vector<std::string> call_strings;
  bool behaviour_scanned = false;
};

struct NativeString {
  std::string kind;   // url, host, ip, path, property, command
  std::string value;
  uint64_t address = 0;
};

struct CallSite {
  std::string function;   // the import called: "__system_property_get"
  std::string kind;       // property, path, command, network, library, symbol, ioctl, identity
  uint64_t address = 0;   // of the call instruction
  std::string caller;     // nearest exported symbol at or below the address, "" if none
  std::optional<std::string> argument;  // constant string (or number for ioctl) recovered
};

struct Syscall {
  uint64_t address = 0;
  int64_t number = -1;     // -1 when not recovered
};

struct NativeLibFacts {
  std::string path;         // entry name or file path
  std::string machine;      // aarch64, arm, x86, x86_64
  unsigned bits = 0;
  std::string soname;
  std::vector<std::string> needed;
  std::vector<std::string> imports;   // sorted, unique names
  std::vector<std::string> exports;   // sorted, unique names
  size_t sections = 0;                // as read by our reader
  std::vector<std::string> section_names;  // from LIEF, in file order
  size_t dynamic_entries = 0;
  Hardening hardening;
  bool has_jni_onload = false;
  std::vector<JniExport> jni;         // sorted by symbol
  std::vector<NativeString> strings;  // sorted by (kind, value)
  std::vector<CallSite> calls;        // sorted by address
  std::vector<Syscall> syscalls;      // sorted by address
  std::optional<std::string> sdk;     // SDK id owning this library (signatures catalog)
  bool truncated = false;
  bool disassembled = false;          // the code scan ran (known machine, code present)
};

}  // namespace apkwarden::native
