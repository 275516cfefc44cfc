"""Reads every CSV table in a folder as a user would, with pandas and numpy as they are (no options),
and checks each against its JSON sidecar (NAME.csv.json): the same columns and rows, the settings
and the source recorded. Prints one line per table; exits non-zero on the first disagreement.
Usage: python3 read_exports.py FOLDER"""
import json
import pathlib
import sys

import numpy
import pandas

folder = pathlib.Path(sys.argv[1])
tables = sorted(folder.glob("*.csv"))
if not tables:
    sys.exit(f"{folder}: no CSV tables")
for csv in tables:
    frame = pandas.read_csv(csv)
    side = json.loads(pathlib.Path(str(csv) + ".json").read_text())
    if list(frame.columns) != side["columns"]:
        sys.exit(f"{csv.name}: columns {list(frame.columns)} but the sidecar says {side['columns']}")
    if len(frame) != side["rows"]:
        sys.exit(f"{csv.name}: {len(frame)} rows but the sidecar says {side['rows']}")
    for key in ("kind", "settings", "source", "producer", "neurolens_version", "written_utc"):
        if key not in side:
            sys.exit(f"{csv.name}: the sidecar has no '{key}'")
    array = numpy.genfromtxt(csv, delimiter=",", names=True, dtype=None, encoding="utf-8")
    rows = array.shape[0] if array.ndim else 1
    if rows != side["rows"]:
        sys.exit(f"{csv.name}: numpy reads {rows} rows")
    print(f"{csv.name}: {len(frame)} rows x {len(frame.columns)} columns, {side['kind']}, "
          f"{len(side['settings'])} settings")
print(f"{len(tables)} tables read")
