#!/usr/bin/env python3
"""The tutorial's `create_sample_logs`, then `to_csv`: the baseline threatlab's generator is timed against.

Written as the tutorial writes it: one dict per row, each value drawn with numpy, collected in a
list, turned into a DataFrame and written to CSV. The same columns and ranges as threatlab's
generator (hours 0..720 after the start, user_1..user_100, 192.168.<1..255>.<1..255>, bytes
100..1,000,000, `normal` 95% of the time). Needs pandas and numpy (Debian: python3-pandas).

Usage: tutorial_generate.py ROWS OUT.csv
"""
import sys
from datetime import datetime, timedelta

import numpy as np
import pandas as pd


def create_sample_logs(num_logs=1000):
    np.random.seed(42)
    start_date = datetime(2025, 1, 1)
    log_types = ["login_success", "login_failed", "file_access", "system_call", "network_traffic"]
    locations = ["office", "home", "remote", "data_center"]
    threats = ["brute_force", "unusual_location", "suspicious_pattern", "anomaly"]
    logs = []
    for _ in range(num_logs):
        log = {
            "timestamp": start_date + timedelta(hours=int(np.random.randint(0, 721))),
            "user_id": f"user_{np.random.randint(1, 101)}",
            "log_type": np.random.choice(log_types),
            "ip_address": f"192.168.{np.random.randint(1, 256)}.{np.random.randint(1, 256)}",
            "location": np.random.choice(locations),
            "bytes_transferred": np.random.randint(100, 1000001),
            "threat_level": "normal" if np.random.random() > 0.05 else np.random.choice(threats),
        }
        logs.append(log)
    return pd.DataFrame(logs)


if __name__ == "__main__":
    rows, out = int(sys.argv[1]), sys.argv[2]
    create_sample_logs(rows).to_csv(out, index=False)
