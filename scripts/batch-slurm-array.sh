#!/usr/bin/env bash
# One shard of an apkwarden batch as a Slurm job-array task: task K of an array of N scans shard
# K/N of the inputs into OUTDIR/shardK.db (or into one PostgreSQL store when OUTDIR is a
# postgresql://… URL). Afterwards: apkwarden merge all.db OUTDIR/shard*.db
#
#   sbatch --array=0-15 --cpus-per-task=4 scripts/batch-slurm-array.sh OUTDIR INPUTS...
#
# APKWARDEN names the binary (default: apkwarden on PATH). Rerunning the array resumes: apps
# already in a shard's store are skipped.
set -euo pipefail
out=${1:?usage: batch-slurm-array.sh OUTDIR|postgresql://... INPUTS...}; shift
k=${SLURM_ARRAY_TASK_ID:?run me with sbatch --array}
n=${SLURM_ARRAY_TASK_COUNT:?run me with sbatch --array}
jobs=${SLURM_CPUS_PER_TASK:-1}
if [[ $out == postgresql://* || $out == postgres://* ]]; then store=$out; else mkdir -p "$out"; store=$out/shard$k.db; fi
exec "${APKWARDEN:-apkwarden}" batch "$@" --store "$store" --shard "$k/$n" -j "$jobs" -q
