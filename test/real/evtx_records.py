"""Prints every record of an .evtx file as one JSON line, read with Debian's python3-evtx: an
independent reader that threatlab's .evtx reader (@ts-evtx/core) is checked against.
Each line: {"index": n, "id": 4625, "time": "2021-05-21 20:43:22.562870", "data": {...}}, or
{"index": n, "error": "..."} where python-evtx cannot render the record."""
import json
import sys
import xml.etree.ElementTree as ET

import Evtx.Evtx as evtx

NS = "{http://schemas.microsoft.com/win/2004/08/events/event}"

with evtx.Evtx(sys.argv[1]) as log:
    for index, record in enumerate(log.records(), start=1):
        try:
            root = ET.fromstring(record.xml())
        except Exception as error:  # python-evtx fails on some templates (its issue #40)
            print(json.dumps({"index": index, "error": f"{type(error).__name__}: {error}"}))
            continue
        system = root.find(NS + "System")
        data = {d.get("Name"): d.text or "" for d in root.iter(NS + "Data") if d.get("Name") is not None}
        print(json.dumps({
            "index": index,
            "id": int(system.find(NS + "EventID").text),
            "time": system.find(NS + "TimeCreated").get("SystemTime"),
            "computer": system.find(NS + "Computer").text,
            "data": data,
        }))
