#!/usr/bin/env python3
"""The tutorial's steps 3, 4 and 6 in pandas, written to match the tutorial line for line.

threatlab uses it two ways: the test suite compares `threatlab analyze --json` with its output
(a second, independent implementation of the same numbers), and the benchmark times it as the
baseline to beat. Needs pandas (Debian: python3-pandas); scikit-learn is not needed, the z-score
is computed the way its StandardScaler does (population standard deviation).

Usage: tutorial_pandas.py FILE [--json] [--quiet]
  --json   print the tutorial-parity summary as one JSON object (the shape of threatlab's)
  --quiet  do not print the alert blocks
"""
import json
import sys

import pandas as pd


def main(argv):
    path = argv[0]
    as_json = "--json" in argv
    quiet = "--quiet" in argv or as_json

    # Step 3: analyse.
    df = pd.read_csv(path)
    df["timestamp"] = pd.to_datetime(df["timestamp"])
    total = len(df)
    log_type_counts = df["log_type"].value_counts()
    threat_level_counts = df["threat_level"].value_counts()
    mean_bytes = df["bytes_transferred"].mean()
    threats = df[df["threat_level"] != "normal"]

    # Step 4: detect.
    bytes_ = df["bytes_transferred"]
    df["bytes_zscore"] = (bytes_ - bytes_.mean()) / bytes_.std(ddof=0)
    threshold = df["bytes_transferred"].quantile(0.95)
    df["is_anomaly"] = df["bytes_transferred"] > threshold

    # Step 5's data: daily volume.
    daily = df.groupby(df["timestamp"].dt.date).size()

    # Step 6: alerts.
    alerts = df[(df["threat_level"] != "normal") | (df["is_anomaly"])]
    if not quiet:
        for _, row in alerts.iterrows():
            print("Alert: Potential threat detected")
            print(f"Timestamp: {row['timestamp']}")
            print(f"User ID: {row['user_id']}")
            print(f"Log Type: {row['log_type']}")
            print(f"Threat Level: {row['threat_level']}")
            print(f"Bytes Transferred: {row['bytes_transferred']}")
            print(f"IP Address: {row['ip_address']}")
            print("---")
        print(f"Total alerts: {len(alerts)}")

    if as_json:
        print(json.dumps({
            "total": int(total),
            "log_type_counts": {k: int(v) for k, v in log_type_counts.items()},
            "threat_level_counts": {k: int(v) for k, v in threat_level_counts.items()},
            "threat_count": int(len(threats)),
            "mean_bytes": None if total == 0 else float(mean_bytes),
            "anomaly_threshold": None if total == 0 else float(threshold),
            "anomaly_count": int(df["is_anomaly"].sum()),
            "alert_count": int(len(alerts)),
            "daily_counts": {str(k): int(v) for k, v in daily.items()},
        }))


if __name__ == "__main__":
    main(sys.argv[1:])
