#!/usr/bin/python3
"""Mutation sweep: N random mutants of real and fixture apps, each scanned by the CLI under a
time and memory budget; counts crashes, hangs, budget overruns and exit codes.

Usage: /usr/bin/python3 tests/hostile/sweep.py --bin APKWARDEN [--count N] [--seed S] [--jobs J]
           [--timeout SECONDS] [--slow SECONDS] [--vmem-mb MB] [--max-input-mb MB]
           [--keep-failures DIR] [--json] INPUT...      (INPUT: .apk/.dex files or directories)

Mutations (one per mutant, chosen by a seeded RNG, so the same seed gives the same mutants):
  truncate     the file cut at a random offset
  bitflip      1..512 random bits flipped anywhere
  zero-range   a random range (up to 64 KiB) zero-filled
  entry-flip   one entry (manifest, dex, arsc, native lib or any) bit-flipped inside, zip rebuilt
  axml-chunk   a chunk size / header size / string count of AndroidManifest.xml replaced
  dex-index    a header count/offset or an id-table index of classes*.dex replaced (the adler32
               checksum is recomputed so the damage reaches the tables)
  duplicate    an entry added again under the same name (the copy bit-flipped)
  reorder      the entries written back in a shuffled order
A mutant passes when the scanner exits 0 (valid JSON on stdout), 1 or 2 within the time budget.
Exit codes of the sweep: 0 all passed, 1 some failed, 2 usage error.
"""
import argparse
import concurrent.futures
import hashlib
import io
import json
import os
import random
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib

MAX_MUTANT_BYTES = 64 << 20  # inputs larger than this are not mutated (memory of the sweep)


def collect_inputs(paths, max_bytes):
    files = []
    for p in paths:
        if os.path.isdir(p):
            for root, _, names in os.walk(p):
                for n in sorted(names):
                    if n.endswith((".apk", ".dex", ".apks", ".xapk")):
                        files.append(os.path.join(root, n))
        elif os.path.isfile(p):
            files.append(p)
    files = sorted(set(f for f in files if os.path.getsize(f) <= max_bytes))
    return files


def rebuild_zip(data, transform):
    """Reads `data` as a zip, lets transform(list of (ZipInfo, bytes)) edit it, writes it back."""
    src = zipfile.ZipFile(io.BytesIO(data))
    entries = []
    for info in src.infolist():
        try:
            entries.append((info, src.read(info)))
        except Exception:
            continue
    entries = transform(entries)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info, body in entries:
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = info.compress_type if info.compress_type in (0, 8) else 8
            with _quiet():
                dst.writestr(zi, body)
    return out.getvalue()


class _quiet:
    def __enter__(self):
        import warnings
        self._w = warnings.catch_warnings()
        self._w.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *a):
        self._w.__exit__(*a)


def flip_bits(buf, rng, count, lo=0, hi=None):
    hi = len(buf) if hi is None else min(hi, len(buf))
    if hi <= lo:
        return
    for _ in range(count):
        i = rng.randrange(lo, hi)
        buf[i] ^= 1 << rng.randrange(8)


def pick_entry(entries, rng, wanted):
    names = [i for i, (info, _) in enumerate(entries) if wanted(info.filename)]
    return rng.choice(names) if names else None


def mutate_axml(body, rng):
    b = bytearray(body)
    # Chunk headers: u16 type, u16 header size, u32 size; walk from the file chunk's header.
    offsets = [0]
    pos = 8
    while pos + 8 <= len(b) and len(offsets) < 64:
        offsets.append(pos)
        size = struct.unpack_from("<I", b, pos + 4)[0]
        if size < 8:
            break
        pos += size
    at = rng.choice(offsets)
    field = rng.choice([2, 4, 8, 12])  # header size, size, (string pool) count, style count
    if at + field + 4 <= len(b):
        value = rng.choice([0, 1, 7, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF, rng.randrange(1 << 32)])
        if field == 2:
            struct.pack_into("<H", b, at + 2, value & 0xFFFF)
        else:
            struct.pack_into("<I", b, at + field, value & 0xFFFFFFFF)
    return bytes(b)


def fix_dex_checksum(b):
    if len(b) >= 12 and b[:3] == b"dex":
        struct.pack_into("<I", b, 8, zlib.adler32(bytes(b[12:])) & 0xFFFFFFFF)


def mutate_dex(body, rng):
    b = bytearray(body)
    if len(b) < 0x70:
        flip_bits(b, rng, 8)
        return bytes(b)
    if rng.random() < 0.5:
        # A header count or offset (0x20..0x70: file size, map, string/type/proto/field/method/
        # class_def sizes and offsets, data section).
        at = rng.randrange(0x20, 0x70, 4)
    else:
        # An entry of an id table: type_ids / field_ids / method_ids / class_defs.
        table = rng.choice([(0x40, 4), (0x50, 8), (0x58, 8), (0x60, 32)])
        count, off = struct.unpack_from("<II", b, table[0])
        if count == 0 or off >= len(b):
            at = 0x38
        else:
            at = off + rng.randrange(min(count, 1 << 16)) * table[1] + rng.randrange(0, table[1], 2)
            at = min(at, len(b) - 4) & ~1
    value = rng.choice([0, 1, 0xFFFF, 0x10000, 0x7FFFFFFF, 0xFFFFFFFF, rng.randrange(1 << 32)])
    if at + 4 <= len(b):
        struct.pack_into("<I", b, at, value)
    fix_dex_checksum(b)
    return bytes(b)


def mutate(data, rng):
    """Returns (kind, mutated bytes)."""
    is_zip = data[:2] == b"PK"
    kinds = ["truncate", "bitflip", "zero-range"]
    if is_zip:
        kinds += ["entry-flip", "axml-chunk", "dex-index", "dex-index", "duplicate", "reorder"]
    elif data[:3] == b"dex":
        kinds += ["dex-index", "dex-index"]
    kind = rng.choice(kinds)
    b = bytearray(data)
    if kind == "truncate":
        return kind, bytes(b[: rng.randrange(len(b))])
    if kind == "bitflip":
        flip_bits(b, rng, rng.choice([1, 4, 32, 512]))
        return kind, bytes(b)
    if kind == "zero-range":
        start = rng.randrange(len(b))
        end = min(len(b), start + rng.randrange(1, 65536))
        b[start:end] = bytes(end - start)
        return kind, bytes(b)
    if kind == "dex-index" and not is_zip:
        return kind, mutate_dex(data, rng)
    try:
        if kind == "entry-flip":
            def t(entries):
                i = pick_entry(entries, rng, lambda n: True)
                if i is not None:
                    body = bytearray(entries[i][1])
                    flip_bits(body, rng, rng.choice([1, 8, 64]))
                    if body[:3] == b"dex" and rng.random() < 0.7:
                        fix_dex_checksum(body)
                    entries[i] = (entries[i][0], bytes(body))
                return entries
        elif kind == "axml-chunk":
            def t(entries):
                i = pick_entry(entries, rng, lambda n: n == "AndroidManifest.xml" or
                               (n.startswith("res/") and n.endswith(".xml")))
                if i is not None:
                    entries[i] = (entries[i][0], mutate_axml(entries[i][1], rng))
                return entries
        elif kind == "dex-index":
            def t(entries):
                i = pick_entry(entries, rng, lambda n: n.endswith(".dex"))
                if i is not None:
                    entries[i] = (entries[i][0], mutate_dex(entries[i][1], rng))
                return entries
        elif kind == "duplicate":
            def t(entries):
                i = pick_entry(entries, rng, lambda n: True)
                if i is not None:
                    body = bytearray(entries[i][1])
                    flip_bits(body, rng, 16)
                    entries.insert(rng.randrange(len(entries) + 1), (entries[i][0], bytes(body)))
                return entries
        else:  # reorder
            def t(entries):
                rng.shuffle(entries)
                return entries
        return kind, rebuild_zip(data, t)
    except Exception:
        # Not a zip python can read (zip64, already odd): fall back to byte-level damage.
        flip_bits(b, rng, 64)
        return "bitflip", bytes(b)


def run_one(args, index, src, kind, path):
    start = time.monotonic()
    try:
        # prlimit (util-linux) rather than preexec_fn, which is unsafe with threads.
        limits = ["prlimit", "--core=0"] + (["--as=%d" % (args.vmem_mb << 20)] if args.vmem_mb else [])
        proc = subprocess.run(limits + [args.bin, "scan", path, "--format", "json"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return {"index": index, "src": src, "kind": kind, "outcome": "hang", "seconds": args.timeout}
    seconds = time.monotonic() - start
    rc = proc.returncode
    outcome = "exit-%d" % rc
    if rc < 0:
        outcome = "crash"
        detail = signal.Signals(-rc).name if -rc in signal.valid_signals() else str(-rc)
    elif rc not in (0, 1, 2):
        outcome = "bad-exit"
        detail = proc.stderr[-400:].decode(errors="replace")
    else:
        detail = ""
        if rc in (0, 1):
            try:
                json.loads(proc.stdout)
            except ValueError:
                outcome = "bad-json"
    if outcome.startswith("exit-") and seconds > args.slow:
        outcome += "-slow"
    return {"index": index, "src": src, "kind": kind, "outcome": outcome, "seconds": round(seconds, 3),
            "detail": detail}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--slow", type=float, default=10.0, help="seconds over which a pass is a budget overrun")
    ap.add_argument("--vmem-mb", type=int, default=4096, help="0: no limit (sanitizer builds)")
    ap.add_argument("--max-input-mb", type=int, default=MAX_MUTANT_BYTES >> 20)
    ap.add_argument("--keep-failures")
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    ap.add_argument("inputs", nargs="+")
    args = ap.parse_args()

    inputs = collect_inputs(args.inputs, min(args.max_input_mb << 20, MAX_MUTANT_BYTES))
    if not inputs:
        print("sweep: no inputs", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="apkwarden-sweep.")
    counts, kinds, failures = {}, {}, []
    started = time.monotonic()
    cache = {}

    def mutants():
        for i in range(args.count):
            src = inputs[i % len(inputs)]
            if src not in cache:
                cache.clear()
                with open(src, "rb") as f:
                    cache[src] = f.read()
            kind, body = mutate(cache[src], random.Random(rng.randrange(1 << 62)))
            path = os.path.join(work, "m%06d%s" % (i, os.path.splitext(src)[1]))
            with open(path, "wb") as f:
                f.write(body)
            yield i, src, kind, path

    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            pending = set()
            for i, src, kind, path in mutants():
                pending.add(pool.submit(run_one, args, i, src, kind, path))
                if len(pending) >= args.jobs * 2:
                    done, pending = concurrent.futures.wait(pending, return_when="FIRST_COMPLETED")
                    for fut in done:
                        handle(fut.result(), args, work, counts, kinds, failures)
            for fut in concurrent.futures.as_completed(pending):
                handle(fut.result(), args, work, counts, kinds, failures)
    finally:
        for n in os.listdir(work):
            os.unlink(os.path.join(work, n))
        os.rmdir(work)

    elapsed = time.monotonic() - started
    summary = {"mutants": args.count, "inputs": len(inputs), "seed": args.seed, "seconds": round(elapsed, 1),
               "outcomes": dict(sorted(counts.items())), "kinds": dict(sorted(kinds.items())),
               "failures": sorted(failures, key=lambda f: f["index"])}
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print("sweep: %d mutants of %d inputs (seed %d) in %.0f s" % (args.count, len(inputs), args.seed, elapsed))
        print("  outcomes: " + ", ".join("%s %d" % kv for kv in sorted(counts.items())))
        print("  mutations: " + ", ".join("%s %d" % kv for kv in sorted(kinds.items())))
        for f in summary["failures"]:
            print("  FAIL #%d %s of %s: %s %s" % (f["index"], f["kind"], os.path.basename(f["src"]), f["outcome"],
                                                f.get("detail", "")[:200]))
    return 1 if failures else 0


def is_failure(outcome):
    return outcome in ("crash", "hang", "bad-exit", "bad-json") or outcome.endswith("-slow")


def handle(result, args, work, counts, kinds, failures):
    counts[result["outcome"]] = counts.get(result["outcome"], 0) + 1
    kinds[result["kind"]] = kinds.get(result["kind"], 0) + 1
    path = os.path.join(work, "m%06d%s" % (result["index"], os.path.splitext(result["src"])[1]))
    if is_failure(result["outcome"]):
        failures.append(result)
        if args.keep_failures:
            os.makedirs(args.keep_failures, exist_ok=True)
            with open(path, "rb") as f:
                body = f.read()
            name = hashlib.sha256(body).hexdigest() + os.path.splitext(result["src"])[1]
            with open(os.path.join(args.keep_failures, name), "wb") as f:
                f.write(body)
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


if __name__ == "__main__":
    sys.exit(main())
