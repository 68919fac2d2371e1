#!/usr/bin/python3
"""Cross-check of `apkwarden scan --format json` against Debian's aapt on real APKs.

For every APK under the given directories: package, version code/name, min/target SDK, the
application label and the set of requested permissions must equal `aapt dump badging`; the
components (kind, qualified name, effective exported flag) must equal what
`aapt dump xmltree ... AndroidManifest.xml` says once Android's defaults are applied.
Prints one line per mismatch and a closing "N passed, N failed" line; exits 1 on any mismatch.
"""
import json
import os
import re
import subprocess
import sys

BIN = os.environ["APKWARDEN_BIN"]
SHARED = os.environ.get("APKWARDEN_SHARED", "../shared")
COMPONENT_TAGS = {"activity", "activity-alias", "service", "receiver", "provider"}


def run(args):
    return subprocess.run(args, capture_output=True, text=True, errors="replace", timeout=300)


def badging(apk):
    out = run(["aapt", "dump", "badging", apk]).stdout
    b = {"permissions": set(), "implied": set(), "label": None, "min_sdk": 1, "target_sdk": None}
    for line in out.splitlines():
        if line.startswith("package:"):
            b["package"] = re.search(r"name='([^']*)'", line).group(1)
            vc = re.search(r"versionCode='([^']*)'", line).group(1)
            b["version_code"] = int(vc) if vc else 0
            b["version_name"] = re.search(r"versionName='([^']*)'", line).group(1)
        elif line.startswith("sdkVersion:"):
            b["min_sdk"] = int(line.split("'")[1])
        elif line.startswith("targetSdkVersion:"):
            b["target_sdk"] = int(line.split("'")[1])
        elif line.startswith("uses-permission:") or line.startswith("uses-permission-sdk-23:"):
            b["permissions"].add(re.search(r"name='([^']*)'", line).group(1))
        elif line.startswith("uses-implied-permission:"):
            b["implied"].add(re.search(r"name='([^']*)'", line).group(1))
        elif line.startswith("application-label:"):
            b["label"] = line[len("application-label:"):].strip("'")
    if b["target_sdk"] is None:
        b["target_sdk"] = b["min_sdk"]
    b["permissions"] -= b["implied"]
    return b


def xmltree_components(apk, package, target_sdk):
    """Components with Android's effective exported value, from aapt's xmltree listing."""
    out = run(["aapt", "dump", "xmltree", apk, "AndroidManifest.xml"]).stdout
    stack = []  # (indent, tag, attrs, children_tags)
    comps = []

    def close(entry):
        indent, tag, attrs, children = entry
        if tag in COMPONENT_TAGS and len(stack) >= 1 and stack[-1][1] == "application":
            comps.append((tag, attrs, children))
        if stack:
            stack[-1][3].append(tag)

    for line in out.splitlines():
        m = re.match(r"(\s*)E: (\S+)", line)
        if m:
            indent = len(m.group(1))
            while stack and stack[-1][0] >= indent:
                close(stack.pop())
            stack.append((indent, m.group(2), {}, []))
            continue
        m = re.match(r"\s*A: (?:android:)?(\w+)(?:\(0x[0-9a-f]+\))?=(.*)", line)
        if m and stack:
            name, val = m.group(1), m.group(2)
            if line.strip().startswith("A: android:") or name in ("package",):
                if val.startswith('"'):
                    val = re.match(r'"((?:[^"\\]|\\.)*)"', val).group(1)
                else:
                    tm = re.match(r"\(type 0x([0-9a-f]+)\)0x([0-9a-f]+)", val)
                    if tm:
                        val = ("bool", int(tm.group(2), 16) != 0) if tm.group(1) == "12" else int(tm.group(2), 16)
                stack[-1][2][name] = val
    while stack:
        close(stack.pop())

    result = []
    for tag, attrs, children in comps:
        name = attrs.get("name")
        if not isinstance(name, str) or not name:
            continue
        if name.startswith("."):
            name = package + name
        elif "." not in name:
            name = package + "." + name
        exp = attrs.get("exported")
        if isinstance(exp, tuple):
            exported = exp[1]
        elif tag == "provider":
            exported = target_sdk <= 16
        else:
            exported = "intent-filter" in children
        result.append((tag, name, exported))
    return result


def check(apk):
    errors = []
    scan = run([BIN, "scan", apk, "--format", "json"])
    if scan.returncode != 0:
        return [f"exit {scan.returncode}: {scan.stderr.strip()}"]
    report = json.loads(scan.stdout)
    a = report["apk"]
    b = badging(apk)
    for key in ("package", "version_code", "version_name", "min_sdk", "target_sdk"):
        if a[key] != b.get(key):
            errors.append(f"{key}: apkwarden {a[key]!r} aapt {b.get(key)!r}")
    if b["label"] is not None and (a["label"] or "") != b["label"]:
        errors.append(f"label: apkwarden {a['label']!r} aapt {b['label']!r}")
    ours = {p["name"] for p in report["permissions"]}
    if ours != b["permissions"]:
        errors.append(f"permissions: only apkwarden {sorted(ours - b['permissions'])}, "
                      f"only aapt {sorted(b['permissions'] - ours)}")
    theirs = xmltree_components(apk, b["package"], b["target_sdk"])
    mine = [(c["kind"], c["name"], c["exported"]) for c in report["components"]]
    if sorted(mine) != sorted(theirs):
        errors.append(f"components: only apkwarden {sorted(set(mine) - set(theirs))[:5]}, "
                      f"only aapt {sorted(set(theirs) - set(mine))[:5]}")
    return errors


def main():
    dirs = sys.argv[1:] or [f"{SHARED}/droidbench/apk", f"{SHARED}/corpus/real/apk"]
    apks = sorted(os.path.join(r, f) for d in dirs for r, _, fs in os.walk(d) for f in fs if f.endswith(".apk"))
    if not apks:
        print("no APKs found under", dirs)
        return 1
    passed = failed = 0
    for apk in apks:
        errs = check(apk)
        if errs:
            failed += 1
            for e in errs:
                print(f"{apk}: {e}")
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
