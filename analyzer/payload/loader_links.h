// Code loaded at run time, joined to the code that loads it. After the signature and taint
// passes: finds the calls of class loaders, DexFile and System.load/loadLibrary
// (signatures/android/code_loaders.tsv), links each payload to the call whose class names its file
// in a constant string (payload.loaded_by), and makes the findings of the `payloads` analysis
// rules: personal data collected by code loaded at run time, encrypted payloads next to a loader.
#pragma once

namespace apkwarden {
struct AnalysisContext;
}

namespace apkwarden::payload {

void run_payload_pass(AnalysisContext& context);

}  // namespace apkwarden::payload
