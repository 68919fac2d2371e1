#!/usr/bin/python3
"""bench/native: full analysis of one ELF library (`apkwarden native FILE --format json`: our ELF
reader, LIEF facts, strings, the Capstone call-site scan) of libv8android.so (18.6 MB, arm64) and
libjsc.so (18.2 MB, Thumb-2), against binutils in the same run: `readelf -a` (headers, sections,
dynamic, relocations, symbols) and `objdump -d` (a full disassembly: the most our code scan could
do). Prints median wall time, peak RSS and the ratios peer/apkwarden (above 1: apkwarden is faster).
The target is < 2 s per library. Usage: bench/native/run.py [BUILD_DIR] [RUNS]"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from benchlib import measure, table  # noqa: E402

root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "build")
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
binary = os.path.join(build, "cli", "apkwarden")
native = os.path.join(root, "..", "shared", "corpus", "real", "native")
libs = [("libv8android.so", os.path.join(native, "arm64-v8a", "libv8android.so"), "aarch64-linux-gnu-objdump"),
        ("libjsc.so", os.path.join(native, "armeabi-v7a", "libjsc.so"), "arm-linux-gnueabihf-objdump")]

rows, over = [], []
for name, path, objdump in libs:
    ours, our_rss = measure([binary, "native", path, "--format", "json"], runs)
    readelf, readelf_rss = measure(["readelf", "-a", "-W", path], runs)
    # The cross objdump knows the ISA; Debian's plain objdump may not (binutils-multiarch).
    dis, dis_rss = measure([objdump, "-d", path], 1, warmup=0)
    if ours >= 2.0:
        over.append(name)
    rows.append([name, f"{os.path.getsize(path) / 1e6:.1f}", f"{ours:.3f}", f"{readelf:.3f}", f"{dis:.2f}",
                 f"{readelf / ours:.2f}x", f"{dis / ours:.1f}x", our_rss // 1024, readelf_rss // 1024,
                 dis_rss // 1024])
print(table(rows, ["library", "MB", "apkwarden s", "readelf -a s", "objdump -d s", "readelf/apkwarden",
                   "objdump/apkwarden", "RSS MiB", "readelf MiB", "objdump MiB"]))
print(f"\n({runs} runs median for apkwarden and readelf, 1 run of objdump -d)")
if over:
    print("over the 2 s target: " + ", ".join(over))
    sys.exit(1)
