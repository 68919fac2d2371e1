// What a JNI method's implementation does, for the taint pass (analyzer/dataflow/native_models.h):
// the implementation and the functions it calls (bounded depth and count, limits.h) are walked,
// and the imports they call and the constant strings they pass to any call are noted in the
// JniExport (calls_imports, call_strings). JNI calls back into Java name their class, method
// and descriptor with such strings (FindClass("android/telephony/TelephonyManager"),
// GetMethodID(cls, "getDeviceId", "()Ljava/lang/String;")), whether through the C++ JNIEnv
// wrappers or the function table.
#pragma once

#include <cstddef>
#include <string>

#include "analyzer/native/native_facts.h"
#include "dex/byte_span.h"

namespace apkwarden::native {

// Fills the behaviour of `facts.jni` entries linked to dex methods (dex_methods not empty), at
// most `budget` of them (decremented). `bytes` is the library `facts` was read from.
void describe_jni_behaviour(ByteSpan bytes, NativeLibFacts& facts, size_t& budget);

}  // namespace apkwarden::native
