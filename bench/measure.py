#!/usr/bin/env python3
"""Runs one command and prints how long it took and its peak memory, as one JSON line.

Usage: measure.py COMMAND [ARGS...]
Prints {"seconds": wall-clock seconds, "peak_rss_mb": the child's peak resident set, "status":
exit status, "stderr": its last stderr line}. The command's stdout is discarded.
"""
import json
import resource
import subprocess
import sys
import time

started = time.perf_counter()
run = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.perf_counter() - started
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
lines = run.stderr.decode("utf-8", "replace").strip().splitlines()
print(json.dumps({"seconds": seconds, "peak_rss_mb": round(peak_kb / 1024), "status": run.returncode, "stderr": lines[-1] if lines else ""}))
