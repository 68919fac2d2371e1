#!/usr/bin/env bash
# Hostile-input sweep through the CLI: truncated, bit-flipped and zero-filled copies of the
# fixtures and the real APKs, a zip bomb, fake encryption, broken AXML chunk sizes, header
# mismatches… Each must exit 0 with valid JSON or 2, within its time and memory budget.
exec bash "$(dirname "$0")/../hostile/run-hostile.sh"
