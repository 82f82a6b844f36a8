"""Prints every record of an .evtx file as one JSON line, read with Debian's python3-evtx: an
independent reader that threatlab's .evtx reader (@ts-evtx/core) is checked against.
Each line: {"index": n, "id": 4625, "time": "2021-05-21 20:43:22.562870", "data": {...}}, or
{"index": n, "error": "...", "strings": [...]} where python-evtx cannot render the record: then the
record's length-prefixed UTF-16 strings in byte order (every name and value BinXML writes inline
is one), found by scanning its raw bytes, which python-evtx still locates."""
import json
import re
import sys
import xml.etree.ElementTree as ET

import Evtx.Evtx as evtx

NS = "{http://schemas.microsoft.com/win/2004/08/events/event}"
PRINTABLE = re.compile(rb"(?:[\x20-\x7e]\x00)+")


def strings(raw):
    """Returns every run of printable UTF-16LE text in raw that a 16-bit length just before it
    counts exactly, in byte order."""
    found, at = [], 0
    while at + 2 < len(raw):
        n = raw[at] | raw[at + 1] << 8
        m = PRINTABLE.match(raw, at + 2) if 0 < n < 4096 else None
        if m and m.end() - m.start() >= 2 * n:
            found.append(raw[at + 2 : at + 2 + 2 * n].decode("utf-16le"))
            at += 2 + 2 * n
        else:
            at += 1
    return found


with open(sys.argv[1], "rb") as f:
    whole = f.read()

with evtx.Evtx(sys.argv[1]) as log:
    for index, record in enumerate(log.records(), start=1):
        try:
            root = ET.fromstring(record.xml())
        except Exception as error:  # python-evtx fails on some templates (its issue #40)
            raw = whole[record.offset() : record.offset() + record.size()]
            print(json.dumps({"index": index, "error": f"{type(error).__name__}: {error}", "strings": strings(raw[24:])}))
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
