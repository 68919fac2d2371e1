#!/usr/bin/python3
"""Writes a deterministic set of hostile APK-like files for robustness tests.

Usage: /usr/bin/python3 scripts/make-hostile.py [--base APK] [--seed N] OUTDIR APK...

Standard library only. Same inputs and seed -> byte-identical outputs. The structural cases
below are built from BASE (default: the first APK given; use a small, valid fixture APK with an
AndroidManifest.xml and a classes.dex). Every file's name says what it is:

Per input APK <stem> (copies of the whole file, mutated at the byte level):
  <stem>.trunc-<N>.apk       the first N bytes only. N covers: inside the first local header
                             (1, 4, 22, 30), 64, 1/4 and 1/2 of the file, the start of the central
                             directory, 20 bytes into it, the file without its end-of-central-
                             directory record (size-22), and size-1.
  <stem>.flip-<K>.apk        K bits flipped (K = 1, 8, 64, 512) at positions from a seeded RNG; for
                             K = 8 and 512 the flips fall in the central directory + EOCD (the
                             structural part), for 1 and 64 anywhere in the file.
  <stem>.zero-head.apk       the first 4 KiB zero-filled (first local header and data).
  <stem>.zero-cd.apk         the central directory and EOCD zero-filled.
  <stem>.zero-mid.apk        the middle eighth of the file zero-filled.
Per input APK, mutated *inside* an entry and recompressed (so the zip layer is valid and the
damage reaches the DEX / AXML parsers):
  <stem>.dexflip-<K>.apk     classes.dex with K bits flipped (K = 16, 256), half of them in the
                             first 0x70 bytes (DEX header: sizes and offsets); the DEX adler32
                             checksum is recomputed so that the damage is not rejected at the header,
                             and the zip CRC too.
  <stem>.axmlflip-<K>.apk    AndroidManifest.xml with K bits flipped (K = 8, 64), CRC recomputed.

From BASE (or from nothing):
  zipbomb.apk                AndroidManifest.xml plus a classes.dex entry that inflates to 3 GiB of
                             zeros (declared size 3221225472, correct CRC), about 3 MB on disk.
                             Written in a streaming way: one deflate block for 1 MiB of zeros, cut
                             with Z_FULL_FLUSH, repeated.
  zipbomb-overlap.apk        64 central-directory entries (classes.dex, classes2.dex, ...) that all
                             point at the same local entry, which inflates to 256 MiB: 16 GiB in
                             total from about 260 KB (overlapping entries, a la Fifield).
  fake-encryption.apk        BASE with general-purpose bit 0 ("encrypted") set in every local and
                             central header; the data is not encrypted (Android ignores the bit).
  axml-size-file-huge.apk    AndroidManifest.xml's file chunk claims 0xFFFFFFFF bytes.
  axml-size-pool-huge.apk    its string-pool chunk claims 0x7FFFFFF0 bytes.
  axml-size-zero.apk         the first chunk after the string pool claims 0 bytes (a loop that
                             advances by the chunk size never moves).
  axml-size-random.apk       every chunk's size (and header size) replaced by seeded garbage.
  duplicate-entries.apk      AndroidManifest.xml and classes.dex each appear twice; the second
                             copies come from the second APK given (or are bit-flipped copies).
  mismatch-name.apk          classes.dex is named "classes.dey" in its local header only.
  mismatch-sizes.apk         classes.dex's local header has different sizes and CRC than the central.
  mismatch-method.apk        classes.dex's local header says stored (0), the central says deflate (8).
  bogus-method.apk           classes.dex stored uncompressed, with compression method 1234 in both
                             headers.
  eocd-cd-offset-past-end.apk  the EOCD points the central directory past the end of the file.
  eocd-huge-count.apk        the EOCD claims 65535 entries (the directory holds only the real ones).
  eocd-comment-overflow.apk  the EOCD's comment length claims 65535 bytes that are not there.
  path-traversal.apk         extra entries named ../../../../tmp/evil.so, /abs/evil.dex,
                             lib/x86_64/../../../evil.so and one with a NUL byte in its name.
  not-a-zip.apk              a text file.
  pk-garbage.apk             "PK\\x03\\x04" followed by 4 KiB of seeded random bytes.
  empty.apk                  zero bytes.

Inputs that cannot be parsed as a plain (non-zip64) zip get only the byte-level copies.
"""

import argparse
import os
import random
import struct
import sys
import zlib
from dataclasses import dataclass, field, replace
from typing import List, Optional

LOCAL_SIG = 0x04034B50
CENTRAL_SIG = 0x02014B50
EOCD_SIG = 0x06054B50
DOS_DATE_1980 = 0x0021  # 1980-01-01, the date aapt writes
BOMB_SIZE = 3 * 1024**3
OVERLAP_ENTRY_SIZE = 256 * 1024**2
OVERLAP_COUNT = 64
ZERO_CHUNK = 1024 * 1024


class ZipFormatError(Exception):
    pass


@dataclass
class Entry:
    """One zip entry: raw (still compressed) data plus header fields.

    The local_* fields, when set, override what goes into the local header only, to build
    local/central mismatches.
    """
    name: bytes
    method: int
    data: bytes
    crc: int
    usize: int
    flags: int = 0
    extra: bytes = b""
    local_name: Optional[bytes] = None
    local_method: Optional[int] = None
    local_csize: Optional[int] = None
    local_usize: Optional[int] = None
    local_crc: Optional[int] = None


@dataclass
class ZipLayout:
    entries: List[Entry]
    cd_offset: int
    eocd_offset: int


def parse_zip(buf: bytes) -> ZipLayout:
    """Parses a plain zip (no zip64) into entries with their raw data."""
    start = max(0, len(buf) - 22 - 0xFFFF)
    eocd = buf.rfind(struct.pack("<I", EOCD_SIG), start)
    if eocd < 0 or eocd + 22 > len(buf):
        raise ZipFormatError("no end-of-central-directory record")
    (_, _, _, _, count, cd_size, cd_offset, _) = struct.unpack_from("<IHHHHIIH", buf, eocd)
    if cd_offset == 0xFFFFFFFF or count == 0xFFFF:
        raise ZipFormatError("zip64 is not supported")
    entries = []
    pos = cd_offset
    for _ in range(count):
        if pos + 46 > len(buf) or struct.unpack_from("<I", buf, pos)[0] != CENTRAL_SIG:
            raise ZipFormatError(f"bad central header at {pos}")
        (flags, method, crc, csize, usize, nlen, elen, clen, local) = struct.unpack_from(
            "<8xHH4xIIIHHH8xI", buf, pos)
        name = buf[pos + 46:pos + 46 + nlen]
        if local + 30 > len(buf) or struct.unpack_from("<I", buf, local)[0] != LOCAL_SIG:
            raise ZipFormatError(f"bad local header at {local}")
        lnlen, lelen = struct.unpack_from("<HH", buf, local + 26)
        data_start = local + 30 + lnlen + lelen
        if data_start + csize > len(buf):
            raise ZipFormatError(f"entry {name!r} runs past the end")
        entries.append(Entry(name=name, method=method, data=buf[data_start:data_start + csize],
                             crc=crc, usize=usize, flags=flags & ~0x8))
        pos += 46 + nlen + elen + clen
    return ZipLayout(entries, cd_offset, eocd)


def local_header(e: Entry) -> bytes:
    name = e.local_name if e.local_name is not None else e.name
    return struct.pack(
        "<IHHHHHIIIHH", LOCAL_SIG, 20, e.flags,
        e.local_method if e.local_method is not None else e.method, 0, DOS_DATE_1980,
        e.local_crc if e.local_crc is not None else e.crc,
        e.local_csize if e.local_csize is not None else len(e.data),
        e.local_usize if e.local_usize is not None else e.usize,
        len(name), len(e.extra)) + name + e.extra


def central_header(e: Entry, offset: int, csize: Optional[int] = None) -> bytes:
    return struct.pack(
        "<IHHHHHHIIIHHHHHII", CENTRAL_SIG, 20, 20, e.flags, e.method, 0, DOS_DATE_1980, e.crc,
        len(e.data) if csize is None else csize, e.usize, len(e.name), 0, 0, 0, 0, 0,
        offset) + e.name


def eocd(count: int, cd_size: int, cd_offset: int, comment_len: int = 0) -> bytes:
    return struct.pack("<IHHHHIIH", EOCD_SIG, 0, 0, count, count, cd_size, cd_offset, comment_len)


def build_zip(entries: List[Entry]) -> bytes:
    out = bytearray()
    offsets = []
    for e in entries:
        offsets.append(len(out))
        out += local_header(e) + e.data
    cd = b"".join(central_header(e, off) for e, off in zip(entries, offsets))
    return bytes(out) + cd + eocd(len(entries), len(cd), len(out))


def deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def inflate(e: Entry) -> bytes:
    if e.method == 0:
        return e.data
    if e.method != 8:
        raise ZipFormatError(f"method {e.method}")
    return zlib.decompressobj(-15).decompress(e.data)


def with_content(e: Entry, content: bytes) -> Entry:
    """The entry with new uncompressed content, keeping its compression method."""
    data = deflate(content) if e.method == 8 else content
    return replace(e, data=data, crc=zlib.crc32(content), usize=len(content))


def find(entries: List[Entry], name: bytes) -> int:
    for i, e in enumerate(entries):
        if e.name == name:
            return i
    raise ZipFormatError(f"no entry {name.decode()}")


def flip_bits(data: bytes, rng: random.Random, count: int, lo: int = 0, hi: Optional[int] = None) -> bytes:
    buf = bytearray(data)
    hi = len(buf) if hi is None else min(hi, len(buf))
    if hi <= lo:
        return bytes(buf)
    for _ in range(count):
        pos = rng.randrange(lo, hi)
        buf[pos] ^= 1 << rng.randrange(8)
    return bytes(buf)


class Writer:
    def __init__(self, outdir: str):
        self.outdir = outdir
        self.names: List[str] = []

    def put(self, name: str, data: bytes) -> None:
        with open(os.path.join(self.outdir, name), "wb") as f:
            f.write(data)
        self.names.append(name)


# ---- per-input mutations ------------------------------------------------------------------

def byte_level_copies(w: Writer, stem: str, buf: bytes, seed: int) -> None:
    size = len(buf)
    layout = None
    try:
        layout = parse_zip(buf)
    except ZipFormatError:
        pass
    lengths = {1, 4, 22, 30, 64, size // 4, size // 2, size - 22, size - 1}
    if layout:
        lengths |= {layout.cd_offset, layout.cd_offset + 20}
    for n in sorted(x for x in lengths if 0 < x < size):
        w.put(f"{stem}.trunc-{n}.apk", buf[:n])

    structural_lo = layout.cd_offset if layout else max(0, size - 4096)
    for k in (1, 8, 64, 512):
        rng = random.Random(f"{seed}/{stem}/flip/{k}")
        lo = structural_lo if k in (8, 512) else 0
        w.put(f"{stem}.flip-{k}.apk", flip_bits(buf, rng, k, lo))

    def zeroed(lo: int, hi: int) -> bytes:
        hi = min(hi, size)
        return buf[:lo] + bytes(hi - lo) + buf[hi:]
    w.put(f"{stem}.zero-head.apk", zeroed(0, 4096))
    w.put(f"{stem}.zero-cd.apk", zeroed(structural_lo, size))
    w.put(f"{stem}.zero-mid.apk", zeroed(size * 7 // 16, size * 9 // 16))


def entry_level_copies(w: Writer, stem: str, buf: bytes, seed: int) -> None:
    try:
        entries = parse_zip(buf).entries
    except ZipFormatError as err:
        print(f"make-hostile: {stem}: {err}; only byte-level copies", file=sys.stderr)
        return
    for target, ks, header in ((b"classes.dex", (16, 256), 0x70), (b"AndroidManifest.xml", (8, 64), 0)):
        try:
            i = find(entries, target)
            content = inflate(entries[i])
        except (ZipFormatError, zlib.error) as err:
            print(f"make-hostile: {stem}: {err}; no {target.decode()} mutations", file=sys.stderr)
            continue
        kind = "dexflip" if target == b"classes.dex" else "axmlflip"
        for k in ks:
            rng = random.Random(f"{seed}/{stem}/{kind}/{k}")
            mutated = content
            if header:
                mutated = flip_bits(mutated, rng, k // 2, 0, header)
                mutated = flip_bits(mutated, rng, k - k // 2)
            else:
                mutated = flip_bits(mutated, rng, k)
            if header and len(mutated) >= 12:  # keep the DEX checksum valid: go past the header
                mutated = mutated[:8] + struct.pack("<I", zlib.adler32(mutated[12:])) + mutated[12:]
            copy = list(entries)
            copy[i] = with_content(entries[i], mutated)
            w.put(f"{stem}.{kind}-{k}.apk", build_zip(copy))


# ---- structural cases from BASE -----------------------------------------------------------

def zero_stream_blocks(chunk: int):
    """Returns (block, tail): `block` is the raw-deflate encoding of `chunk` zero bytes after a
    full flush, identical every time it is repeated; `tail` finishes the stream."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = bytes(chunk)
    first = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    second = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    if first != second:  # cannot happen with zlib's raw deflate; guard the arithmetic below
        raise RuntimeError("deflate blocks of zeros differ after a full flush")
    return first, c.flush(zlib.Z_FINISH)


def crc_of_zeros(n: int) -> int:
    crc, zeros = 0, bytes(ZERO_CHUNK)
    for _ in range(n // ZERO_CHUNK):
        crc = zlib.crc32(zeros, crc)
    return zlib.crc32(bytes(n % ZERO_CHUNK), crc)


def write_zip_bomb(w: Writer, manifest: Entry) -> None:
    block, tail = zero_stream_blocks(ZERO_CHUNK)
    reps = BOMB_SIZE // ZERO_CHUNK
    csize = reps * len(block) + len(tail)
    dex = Entry(name=b"classes.dex", method=8, data=b"", crc=crc_of_zeros(BOMB_SIZE), usize=BOMB_SIZE,
                local_csize=csize)
    path = os.path.join(w.outdir, "zipbomb.apk")
    with open(path, "wb") as f:
        f.write(local_header(manifest) + manifest.data)
        dex_offset = f.tell()
        f.write(local_header(dex))
        for _ in range(reps):
            f.write(block)
        f.write(tail)
        cd_offset = f.tell()
        cd = central_header(manifest, 0) + central_header(dex, dex_offset, csize)
        f.write(cd + eocd(2, len(cd), cd_offset))
    w.names.append("zipbomb.apk")


def write_overlap_bomb(w: Writer, manifest: Entry) -> None:
    block, tail = zero_stream_blocks(ZERO_CHUNK)
    data = block * (OVERLAP_ENTRY_SIZE // ZERO_CHUNK) + tail
    dex = Entry(name=b"classes.dex", method=8, data=data, crc=crc_of_zeros(OVERLAP_ENTRY_SIZE),
                usize=OVERLAP_ENTRY_SIZE)
    head = local_header(manifest) + manifest.data
    body = head + local_header(dex) + dex.data
    cd = central_header(manifest, 0)
    for i in range(OVERLAP_COUNT):
        name = b"classes.dex" if i == 0 else b"classes%d.dex" % (i + 1)
        cd += central_header(replace(dex, name=name), len(head))
    w.put("zipbomb-overlap.apk", body + cd + eocd(OVERLAP_COUNT + 1, len(cd), len(body)))


def set_encrypted_bits(buf: bytes) -> bytes:
    out = bytearray(buf)
    layout = parse_zip(buf)
    pos = layout.cd_offset
    for _ in layout.entries:
        nlen, elen, clen = struct.unpack_from("<HHH", out, pos + 28)
        local = struct.unpack_from("<I", out, pos + 42)[0]
        for hdr, flag_at in ((pos, 8), (local, 6)):
            flags = struct.unpack_from("<H", out, hdr + flag_at)[0]
            struct.pack_into("<H", out, hdr + flag_at, flags | 1)
        pos += 46 + nlen + elen + clen
    return bytes(out)


def axml_chunks(axml: bytes):
    """Offsets of the chunks after the file header, walked by their declared sizes."""
    pos, out = 8, []
    while pos + 8 <= len(axml):
        size = struct.unpack_from("<I", axml, pos + 4)[0]
        out.append(pos)
        if size < 8:
            break
        pos += size
    return out


def axml_variants(manifest: bytes, seed: int):
    chunks = axml_chunks(manifest)
    if len(chunks) < 2 or struct.unpack_from("<H", manifest, chunks[0])[0] != 0x0001:
        raise ZipFormatError("AndroidManifest.xml is not the expected AXML layout")

    def patched(*edits):
        b = bytearray(manifest)
        for off, fmt, value in edits:
            struct.pack_into(fmt, b, off, value)
        return bytes(b)

    yield "axml-size-file-huge.apk", patched((4, "<I", 0xFFFFFFFF))
    yield "axml-size-pool-huge.apk", patched((chunks[0] + 4, "<I", 0x7FFFFFF0))
    yield "axml-size-zero.apk", patched((chunks[1] + 4, "<I", 0))
    rng = random.Random(f"{seed}/axml-size-random")
    edits = [(4, "<I", rng.getrandbits(32))]
    for c in chunks:
        edits.append((c + 2, "<H", rng.getrandbits(16)))
        edits.append((c + 4, "<I", rng.getrandbits(32)))
    yield "axml-size-random.apk", patched(*edits)


def structural_cases(w: Writer, base: bytes, other: Optional[bytes], seed: int) -> None:
    entries = parse_zip(base).entries
    mi, di = find(entries, b"AndroidManifest.xml"), find(entries, b"classes.dex")
    manifest, dex = entries[mi], entries[di]

    write_zip_bomb(w, manifest)
    write_overlap_bomb(w, manifest)
    w.put("fake-encryption.apk", set_encrypted_bits(base))

    for name, axml in axml_variants(inflate(manifest), seed):
        copy = list(entries)
        copy[mi] = with_content(manifest, axml)
        w.put(name, build_zip(copy))

    rng = random.Random(f"{seed}/duplicate")
    if other is not None:
        o = parse_zip(other).entries
        second_manifest = o[find(o, b"AndroidManifest.xml")]
        second_dex = o[find(o, b"classes.dex")]
    else:
        second_manifest = with_content(manifest, flip_bits(inflate(manifest), rng, 16))
        second_dex = with_content(dex, flip_bits(inflate(dex), rng, 16))
    w.put("duplicate-entries.apk", build_zip(entries + [second_manifest, second_dex]))

    def with_dex(e: Entry) -> bytes:
        copy = list(entries)
        copy[di] = e
        return build_zip(copy)

    w.put("mismatch-name.apk", with_dex(replace(dex, local_name=b"classes.dey")))
    w.put("mismatch-sizes.apk", with_dex(replace(dex, local_csize=len(dex.data) * 2 + 1,
                                                 local_usize=0x7FFFFFFF, local_crc=dex.crc ^ 0xFFFF)))
    w.put("mismatch-method.apk", with_dex(replace(dex, local_method=0)))
    raw_dex = inflate(dex)
    w.put("bogus-method.apk", with_dex(replace(dex, method=1234, data=raw_dex, usize=len(raw_dex))))

    plain = build_zip(entries)
    eo = parse_zip(plain).eocd_offset
    b = bytearray(plain)
    struct.pack_into("<I", b, eo + 16, len(plain) + 4096)
    w.put("eocd-cd-offset-past-end.apk", bytes(b))
    b = bytearray(plain)
    struct.pack_into("<HH", b, eo + 8, 0xFFFF, 0xFFFF)
    w.put("eocd-huge-count.apk", bytes(b))
    b = bytearray(plain)
    struct.pack_into("<H", b, eo + 20, 0xFFFF)
    w.put("eocd-comment-overflow.apk", bytes(b))

    evil = [Entry(name=n, method=0, data=b"\x7fELF", crc=zlib.crc32(b"\x7fELF"), usize=4)
            for n in (b"../../../../tmp/evil.so", b"/abs/evil.dex", b"lib/x86_64/../../../evil.so",
                      b"lib/x86_64/libok.so\x00../../evil.so")]
    w.put("path-traversal.apk", build_zip(entries + evil))

    w.put("not-a-zip.apk", b"This is not an APK.\nIt is a plain text file with an .apk name.\n")
    w.put("pk-garbage.apk", b"PK\x03\x04" + random.Random(f"{seed}/pk").randbytes(4096))
    w.put("empty.apk", b"")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", help="APK the structural cases are built from (default: first APK)")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("outdir")
    ap.add_argument("apks", nargs="+")
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    w = Writer(args.outdir)

    stems = set()
    for path in args.apks:
        stem = os.path.basename(path)
        stem = stem[:-4] if stem.endswith(".apk") else stem
        if stem in stems:
            print(f"make-hostile: two inputs named {stem}", file=sys.stderr)
            return 2
        stems.add(stem)
        with open(path, "rb") as f:
            buf = f.read()
        byte_level_copies(w, stem, buf, args.seed)
        entry_level_copies(w, stem, buf, args.seed)

    base_path = args.base or args.apks[0]
    with open(base_path, "rb") as f:
        base = f.read()
    other = None
    others = [p for p in args.apks if os.path.abspath(p) != os.path.abspath(base_path)]
    if others:
        with open(others[0], "rb") as f:
            other = f.read()
    try:
        structural_cases(w, base, other, args.seed)
    except ZipFormatError as err:
        print(f"make-hostile: base {base_path}: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
