// Every limit on untrusted input, in one header (STYLE.md principle 9; like YARA's limits.h).
// It sits in dex/, the bottom of the dependency graph, so every layer can include it.
// Reaching a limit adds a diagnostic and skips or truncates the part; it never aborts a scan.
#pragma once

#include <cstddef>
#include <cstdint>

namespace apkwarden::limits {

// ---- input files -------------------------------------------------------------------------
inline constexpr uint64_t kMaxInputFileBytes = 4ull << 30;        // an APK/dex/ELF we agree to open

// ---- per-app budget (the CLI enforces it: cli/budget.h; --timeout / --max-memory) ----------
// The last line of defence: analyses keep their own, smaller budgets and report partial
// results; a run that still reaches these stops with exit 2 and a message naming the app.
inline constexpr unsigned kDefaultAppTimeoutSeconds = 600;
inline constexpr uint64_t kDefaultAppMemoryMiB = 8192;            // address space (RLIMIT_AS)

// ---- zip container (analyzer/apk) ---------------------------------------------------------
inline constexpr uint64_t kMaxZipEntries = 200'000;               // entries read from one archive
inline constexpr uint64_t kMaxEntryInflatedBytes = 1ull << 30;    // one entry, inflated
inline constexpr uint64_t kMaxTotalInflatedBytes = 4ull << 30;    // all entries of one app, inflated
inline constexpr uint64_t kMaxCompressionRatio = 200;             // inflated / compressed (zip bombs)
inline constexpr uint64_t kCompressionRatioFloorBytes = 1 << 20;  // ratio only checked above this size
inline constexpr int kMaxContainerDepth = 3;                      // .apks -> .apk -> payload.jar -> dex
inline constexpr size_t kMaxEntryNameBytes = 4096;
inline constexpr uint32_t kMaxZipDiagnosticsPerCode = 16;        // per archive; then one summary
inline constexpr uint64_t kMaxZipEocdSearchBytes = 65535 + 22;    // max comment + EOCD record
inline constexpr uint32_t kMaxBundleSplits = 256;                 // APKs taken from one .apks/.xapk

// ---- binary XML and resources (analyzer/apk) ----------------------------------------------
inline constexpr uint32_t kMaxAxmlStrings = 1'000'000;
inline constexpr uint32_t kMaxAxmlDepth = 256;                    // element nesting
inline constexpr uint32_t kMaxAxmlAttributes = 4096;              // per element
inline constexpr uint32_t kMaxAxmlNodes = 1'000'000;
inline constexpr uint32_t kMaxStringBytes = 1 << 20;              // one decoded string
inline constexpr uint32_t kMaxArscPackages = 256;
inline constexpr uint32_t kMaxArscEntriesPerType = 1 << 16;
inline constexpr uint32_t kMaxResourceReferenceDepth = 16;        // @string/a -> @string/b -> ...
inline constexpr uint32_t kMaxArscTypeChunks = 1 << 18;           // type chunks (one per type x config), all packages
inline constexpr uint32_t kMaxArscBagEntries = 1 << 16;           // entries of one complex (bag) resource

// ---- DEX (dex/) ---------------------------------------------------------------------------
inline constexpr uint32_t kMaxDexFilesPerApp = 1000;
inline constexpr uint64_t kMaxDexFileBytes = 1ull << 30;
inline constexpr uint32_t kMaxCodeUnitsPerMethod = 1 << 24;       // insns_size in 16-bit units
inline constexpr uint32_t kMaxTryItemsPerMethod = 1 << 16;
inline constexpr uint32_t kMaxHandlersPerMethod = 1 << 16;
inline constexpr uint32_t kMaxEncodedValueDepth = 32;             // nested arrays/annotations
inline constexpr uint32_t kMaxEncodedArrayElements = 1 << 20;
inline constexpr uint32_t kMaxDebugInfoOpsPerMethod = 1 << 20;
inline constexpr uint32_t kMaxClassHierarchyDepth = 512;          // cycles are cut here too
// Instruction-level verifier (dex/code_verifier): anomalies reported per method before it
// summarises the rest in one "dex-insn-too-many-anomalies" diagnostic.
inline constexpr uint32_t kMaxInsnDiagnosticsPerMethod = 32;
// ... and per dex file over all its methods (garbage code would otherwise give millions).
inline constexpr uint32_t kMaxInsnDiagnosticsPerDex = 1000;
// dex file layer (dex_file.cc, class_pool.cc, structure_verifier.cc)
inline constexpr uint32_t kMaxDexTypeIds = 65536;                 // type indices are 16-bit in code and type_lists
inline constexpr uint32_t kMaxDexProtoIds = 65536;                // proto indices are 16-bit in method_id_item
inline constexpr uint32_t kMaxMapItems = 1024;                    // a real map_list has < 25 items
inline constexpr uint32_t kMaxDebugInfoParameters = 65536;        // parameter names in a debug_info_item
inline constexpr uint32_t kMaxAnnotationElements = 1 << 16;       // elements of one encoded_annotation
inline constexpr uint32_t kMaxAnnotationsPerSet = 1 << 16;        // entries of one annotation_set_item
inline constexpr uint32_t kMaxInterfacesPerClass = 1024;         // interfaces linked per class (Java allows 65535)
inline constexpr uint32_t kMaxHierarchyWalkNodes = 4096;           // classes met by one upward hierarchy walk
inline constexpr uint32_t kMaxDiagnosticsPerCode = 100;           // per dex file and code, then one summary

// ---- native (analyzer/native) -------------------------------------------------------------
inline constexpr uint64_t kMaxElfBytes = 512ull << 20;
inline constexpr uint32_t kMaxElfSegments = 4096;                 // program headers read
inline constexpr uint32_t kMaxElfSections = 65535;                // section headers read
inline constexpr uint32_t kMaxElfDynamicEntries = 65536;          // .dynamic entries read
inline constexpr uint32_t kMaxElfSymbols = 1u << 21;              // dynamic symbols read
inline constexpr uint32_t kMaxElfRelocations = 1u << 22;          // relocations read (GOT binding)
inline constexpr size_t kMaxElfStringBytes = 4096;                // one symbol / argument string
inline constexpr size_t kMaxNativeStrings = 200;                  // classified strings kept per library
inline constexpr size_t kMaxNativeCallSites = 500;                // sensitive call sites kept per library
inline constexpr size_t kMaxNativeSyscalls = 200;                 // raw syscall sites kept per library
inline constexpr uint32_t kNativeWindowBytes = 64;                // code decoded before a call site
inline constexpr size_t kMaxJniBehaviourEntries = 64;             // linked JNI methods whose code is walked, per app
inline constexpr size_t kMaxJniBehaviourFunctions = 16;           // functions walked per JNI method (it and callees)
inline constexpr unsigned kMaxJniBehaviourDepth = 3;              // call depth followed from a JNI method
inline constexpr uint64_t kMaxJniFunctionBytes = 4096;            // code decoded per function walked
inline constexpr size_t kMaxJniBehaviourStrings = 64;             // constant call arguments kept per JNI method
inline constexpr size_t kMaxNativeTaintModels = 64;               // native methods the taint pass models, per app
inline constexpr uint64_t kMaxNativeLibsPerApp = 256;             // libraries analysed per app
inline constexpr uint64_t kMaxNativeBytesPerApp = 256ull << 20;   // bytes of libraries analysed per app

// ---- signature knowledge base (signatures/) -----------------------------------------------
// Data files are ours or a user's (--rules/--trackers); they are still bounded like input.
inline constexpr uint64_t kMaxSignatureFileBytes = 16ull << 20;   // one XML / JSON data file
inline constexpr size_t kMaxSdkEntries = 100'000;                 // SDKs in one catalog
inline constexpr size_t kMaxClassPrefixBytes = 256;               // one class prefix / component name
inline constexpr size_t kMaxClassNameBytes = 1024;                // a queried class name (longer: truncated)
inline constexpr size_t kMaxExodusTrackers = 20'000;
inline constexpr int kMaxJsonDepth = 64;                          // nesting of an imported JSON file
inline constexpr int64_t kMaxSignatureRegexMemory = 32ll << 20;   // RE2::Set program memory

// ---- behaviour rules (signatures/rule*, analyzer/rules, analyzer/code) ----------------------
inline constexpr size_t kMaxRules = 10'000;                       // rules in one file
inline constexpr int kMaxRuleDepth = 16;                          // nesting of all/any/not
inline constexpr size_t kMaxFindingsPerRule = 50;                 // findings one rule adds to a report
inline constexpr size_t kMaxEvidencePerFinding = 8;               // evidence lines of one finding
inline constexpr size_t kMaxHitsPerMatcher = 1 << 16;             // places one matcher reports
inline constexpr uint64_t kMaxAssetTextBytes = 1 << 20;           // one asset read for asset-string
inline constexpr uint64_t kMaxAssetTextTotal = 16 << 20;          // all assets read for asset-string

// ---- reports and the CI gate (analyzer/report, cli/cmd_scan) -------------------------------
inline constexpr uint64_t kMaxGateFileBytes = 64ull << 20;        // one baseline / suppression file
inline constexpr size_t kMaxSuppressionEntries = 1'000'000;       // lines of baselines + suppression files

// ---- dataflow and taint (analyzer/ir, analyzer/dataflow, analyzer/callgraph) ---------------
inline constexpr uint32_t kMaxTaintLabelsPerValue = 64;          // labels one value carries
inline constexpr uint32_t kMaxIrInstructionsPerMethod = 65536;   // longer methods are cut (partial)
inline constexpr uint32_t kMaxIrTryItems = 4096;                  // try items read per method; more: cut (partial)
inline constexpr uint32_t kMaxIrHandlersPerTry = 256;             // catch handlers kept per try item and per instruction
inline constexpr uint64_t kMaxIrTryLookups = 4'000'000;           // (instruction, try item) checks per method
inline constexpr uint64_t kMaxFixpointBlockVisitsPerMethod = 200'000;
inline constexpr size_t kMaxListenerScanInstructions = 64;       // looked at after an allocation (replaced_listeners)
inline constexpr uint32_t kMaxFieldClasses = 16;                 // classes a field is known to hold; more: any
inline constexpr uint32_t kMaxTaintPathMethods = 12;             // methods listed in one flow's path
inline constexpr uint64_t kMaxMethodAnalysesPerReachable = 12;  // re-analyses per method (summaries, fields)
inline constexpr uint64_t kDefaultTaintTimeBudgetMs = 4000;      // per app; ScanOptions overrides
inline constexpr uint64_t kDefaultTaintMemoryBudgetBytes = 512ull << 20;  // analysis state per app
inline constexpr uint32_t kMaxFlowsPerApp = 20'000;
inline constexpr size_t kMaxFoldedStringBytes = 512;             // a constant string built by concat/substring
inline constexpr size_t kMaxKnownFieldsPerState = 64;            // constant field values one method state remembers
inline constexpr size_t kMaxFoldedTextBytesPerApp = 8u << 20;     // all strings folded in one app; then none more

// ---- batch scanning (analyzer/batch, cli/cmd_batch) ----------------------------------------
// Each app is analysed in its own worker process under these budgets (--timeout, --memory).
inline constexpr uint32_t kBatchDefaultAppSeconds = 600;          // wall clock per app, then SIGKILL
inline constexpr uint64_t kBatchDefaultWorkerMemory = 4ull << 30; // RLIMIT_AS of a worker process
inline constexpr uint64_t kBatchMinWorkerMemory = 64ull << 20;    // below this nothing can run
inline constexpr size_t kMaxBatchListLines = 10'000'000;          // paths in one list file / stdin
inline constexpr uint64_t kMaxBatchWorkerOutput = 1ull << 30;     // bytes a worker may send back

}  // namespace apkwarden::limits
