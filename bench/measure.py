#!/usr/bin/env python3
"""Runs one command and prints how long it took and its peak memory, as one JSON line.

Usage: measure.py [--keep-stdout] COMMAND [ARGS...]
Prints {"seconds": wall-clock seconds, "peak_rss_mb": the child's peak resident set, "status":
exit status, "stderr": its last stderr line}. The command's stdout is discarded, or with
--keep-stdout its last line is added as "stdout" (for a command that reports its own figures).
"""
import json
import resource
import subprocess
import sys
import time

keep = sys.argv[1] == "--keep-stdout"
command = sys.argv[2:] if keep else sys.argv[1:]
started = time.perf_counter()
run = subprocess.run(command, stdout=subprocess.PIPE if keep else subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.perf_counter() - started
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
lines = run.stderr.decode("utf-8", "replace").strip().splitlines()
result = {"seconds": seconds, "peak_rss_mb": round(peak_kb / 1024), "status": run.returncode, "stderr": lines[-1] if lines else ""}
if keep:
    out = run.stdout.decode("utf-8", "replace").strip().splitlines()
    result["stdout"] = out[-1] if out else ""
print(json.dumps(result))
