#!/usr/bin/python3
"""Cross-check of `apkwarden dex --stats --format json` against Debian's `dexdump -d`.

For every APK under the given directories and every bare .dex: the numbers of class defs,
methods (direct + virtual), methods with code and decoded instructions, and the count of every
opcode, must equal what dexdump's listing shows (payload pseudo-instructions excluded, as
dexdump prints them as data). Prints one line per mismatch and "N passed, N failed".
"""
import collections
import json
import os
import re
import subprocess
import sys

BIN = os.environ["APKWARDEN_BIN"]
SHARED = os.environ.get("APKWARDEN_SHARED", "../shared")
PAYLOADS = {"packed-switch-data", "sparse-switch-data", "array-data"}
INSN = re.compile(r"^[0-9a-f]{6}: [0-9a-f ]+\|[0-9a-f]{4}: ([a-z0-9/\-]+)")
METHOD = re.compile(r"^    #\d+\s+: \(in ")


def dexdump_counts(path):
    proc = subprocess.run(["dexdump", "-d", path], capture_output=True, text=True, errors="replace", timeout=600)
    counts = {"classes": 0, "methods": 0, "methods_with_code": 0, "instructions": 0}
    opcodes = collections.Counter()
    section = None
    for line in proc.stdout.splitlines():
        if line.startswith("Class #"):
            counts["classes"] += 1
            section = None
        elif line.startswith("  Direct methods") or line.startswith("  Virtual methods"):
            section = "methods"
        elif line.startswith("  Static fields") or line.startswith("  Instance fields"):
            section = "fields"
        elif section == "methods" and METHOD.match(line):
            counts["methods"] += 1
        elif section == "methods" and line.startswith("      code          -"):
            counts["methods_with_code"] += 1
        else:
            m = INSN.match(line)
            if m and m.group(1) not in PAYLOADS:
                counts["instructions"] += 1
                opcodes[m.group(1)] += 1
    return counts, opcodes


def check(path):
    proc = subprocess.run([BIN, "dex", path, "--stats", "--format", "json"], capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        return [f"apkwarden exit {proc.returncode}: {proc.stderr.strip()}"]
    ours = json.loads(proc.stdout)
    theirs, opcodes = dexdump_counts(path)
    errors = [f"{k}: apkwarden {ours[k]} dexdump {v}" for k, v in theirs.items() if ours[k] != v]
    if dict(opcodes) != ours["opcodes"]:
        diff = {k: (ours["opcodes"].get(k, 0), opcodes.get(k, 0))
                for k in set(opcodes) | set(ours["opcodes"]) if ours["opcodes"].get(k, 0) != opcodes.get(k, 0)}
        errors.append(f"opcodes (apkwarden, dexdump): {dict(sorted(diff.items())[:8])}")
    return errors


def main():
    dirs = sys.argv[1:] or [f"{SHARED}/droidbench/apk", f"{SHARED}/corpus/real/apk", f"{SHARED}/corpus/real/dex"]
    files = sorted(os.path.join(r, f) for d in dirs for r, _, fs in os.walk(d) for f in fs
                   if f.endswith(".apk") or f.endswith(".dex"))
    if not files:
        print("no inputs under", dirs)
        return 1
    passed = failed = 0
    for f in files:
        errs = check(f)
        failed += bool(errs)
        passed += not errs
        for e in errs:
            print(f"{f}: {e}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
