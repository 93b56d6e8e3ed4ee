#!/usr/bin/env bash
# "Cluster" submit command for the cluster-generic executor that runs each job on this machine:
# the jobscript starts as its own detached process, and its pid is the job id Snakemake tracks.
# Used by tests/e2e/test_cluster.py to prove the workflow runs through an executor plugin
# unchanged. The jobscript path is quoted, never re-parsed by a shell.
set -euo pipefail
jobscript="$1"
setsid bash "$jobscript" >"$jobscript.out" 2>&1 </dev/null &
echo "$!"
