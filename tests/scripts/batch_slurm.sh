#!/usr/bin/env bash
# The Slurm recipe, tested on a real single-node cluster: starts munged, slurmctld and slurmd
# (Debian's munge and slurm-wlm) on localhost with a throwaway configuration under /tmp, submits
# scripts/batch-slurm-array.sh as an array of 3 shards over the corpus, merges the shard stores
# and checks the result equals a single-machine run. Skips (with the reason) when the packages
# are missing or the daemons cannot start here (they need root for SlurmdUser).
set -uo pipefail
bin=${APKWARDEN_BIN:?set APKWARDEN_BIN}
shared=${APKWARDEN_SHARED:?set APKWARDEN_SHARED}
src=${APKWARDEN_SOURCE:?set APKWARDEN_SOURCE}
passed=0 failed=0
check() { local name=$1; shift; if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $name"; fi; }
for tool in munged slurmctld slurmd sbatch; do
  command -v $tool >/dev/null || { echo "SKIP: $tool missing (Debian packages munge, slurm-wlm)"; exit 0; }
done
[[ $(id -u) -eq 0 ]] || { echo "SKIP: a throwaway slurmd must run as root"; exit 0; }

tmp=$(mktemp -d /tmp/apkwarden-slurm.XXXXXX)
cleanup() {
  for p in "$tmp/slurmd.pid" "$tmp/slurmctld.pid" "$tmp/munge/pid"; do
    [[ -s $p ]] && kill "$(cat "$p")" 2>/dev/null
  done
  sleep 0.5
  rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp/munge" "$tmp/state" "$tmp/spool" "$tmp/out"
chmod 700 "$tmp/munge"
head -c 1024 /dev/urandom >"$tmp/munge/munge.key"; chmod 400 "$tmp/munge/munge.key"
munged -f --socket="$tmp/munge/sock" --key-file="$tmp/munge/munge.key" --log-file="$tmp/munge/log" \
  --pid-file="$tmp/munge/pid" --seed-file="$tmp/munge/seed" ||
  { echo "SKIP: munged cannot start"; exit 0; }
port=$((30000 + RANDOM % 20000))
host=$(hostname -s)
cat >"$tmp/slurm.conf" <<CONF
ClusterName=apkwarden-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$tmp/munge/sock
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
SwitchType=switch/none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=batch Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$tmp/slurm.conf
slurmctld -f "$SLURM_CONF" && slurmd -f "$SLURM_CONF" || { echo "SKIP: slurmctld/slurmd cannot start"; exit 0; }
for _ in $(seq 1 60); do sinfo -h -o %t 2>/dev/null | grep -q idle && break; sleep 0.5; done
sinfo -h -o %t | grep -q idle || { echo "SKIP: the Slurm node never became idle"; tail -5 "$tmp/slurmctld.log"; exit 0; }

inputs=("$shared/droidbench/apk" "$shared/corpus/real/apk")
APKWARDEN=$bin timeout 600 sbatch --wait --array=0-2 --output="$tmp/out/%A_%a.log" --export=ALL \
  "$src/scripts/batch-slurm-array.sh" "$tmp/out" "${inputs[@]}" >"$tmp/sbatch.out"
check array-job-succeeds [ $? -eq 0 ]
check three-shard-stores [ "$(ls "$tmp"/out/shard*.db 2>/dev/null | wc -l)" -eq 3 ]
"$bin" merge "$tmp/merged.db" "$tmp"/out/shard*.db -q
check merge [ $? -eq 0 ]
"$bin" batch "${inputs[@]}" --store "$tmp/single.db" -j 2 -q
"$bin" export "$tmp/single.db" -o "$tmp/single.jsonl"
"$bin" export "$tmp/merged.db" -o "$tmp/merged.jsonl"
check merged-equals-single cmp -s "$tmp/single.jsonl" "$tmp/merged.jsonl"
check nonempty [ "$(wc -l <"$tmp/single.jsonl")" -ge 100 ]
echo "batch_slurm: $passed passed, $failed failed ($(cat "$tmp/sbatch.out"))"
[[ $failed -eq 0 ]]
