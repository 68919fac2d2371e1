#!/usr/bin/env bash
# Placeholder until the fixture pipeline lands: creates the output directory.
set -euo pipefail
mkdir -p "$1"
