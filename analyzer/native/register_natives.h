// RegisterNatives tables: static JNINativeMethod arrays {const char* name, const char* signature,
// void* fnPtr} in the library's data, recognised by their shape (an identifier, a JNI method
// descriptor, a pointer into code), with PIC pointers resolved through RELATIVE relocations.
#pragma once

#include "analyzer/native/elf_image.h"
#include "analyzer/native/native_facts.h"

namespace apkwarden::native {

// Appends one JniExport per table entry to facts.jni: symbol "RegisterNatives", class_name ""
// (the class is looked up at run time), method, signature, address of the implementation.
void find_register_natives(const ElfImage& image, NativeLibFacts& facts);

}  // namespace apkwarden::native
