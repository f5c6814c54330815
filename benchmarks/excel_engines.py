#!/usr/bin/env python3
"""Compare how fast four engines read the first sheet of an xlsx into rows of values.

Engines:

    calamine          python_calamine: CalamineWorkbook.from_path(p).get_sheet_by_index(0)
                      .to_python(skip_empty_area=False)
    openpyxl          openpyxl.load_workbook(p, read_only=True, data_only=True), first sheet,
                      list(ws.iter_rows(values_only=True))
    pandas-calamine   pandas.read_excel(p, sheet_name=0, engine="calamine", header=None)
    pandas-openpyxl   pandas.read_excel(p, sheet_name=0, engine="openpyxl", header=None)

Each engine runs in its own fresh Python process (so one engine's memory does not
hide another's): the module is imported first (not timed), then the sheet is read
``--repeat`` times; the best time is reported. Memory is the increase of the peak
resident set size (``resource.getrusage(RUSAGE_SELF).ru_maxrss``) of that process
from just before the first read to after the last one. tracemalloc is not used: it
does not see memory allocated by calamine's Rust code.

For pandas the timed call is ``read_excel`` itself (it returns a DataFrame); the
conversion to rows for the checks below is not timed.

Checks: the row count of each engine, and a digest of the content (numbers as floats,
empty/None/NaN as "", trailing empty cells and fully blank rows dropped), which must be
the same for all four. pandas drops fully blank rows of the sheet, so its raw row count
can be lower than that of calamine and openpyxl; that difference is shown, not hidden.

Usage::

    python benchmarks/excel_engines.py FILE.xlsx [--repeat 3] [--engines calamine,openpyxl,...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import resource
import subprocess
import sys
import time

ENGINES = ["calamine", "openpyxl", "pandas-calamine", "pandas-openpyxl"]


def _import(engine):
    if engine == "calamine":
        import python_calamine

        return python_calamine
    if engine == "openpyxl":
        import openpyxl

        return openpyxl
    import pandas

    return pandas


def _read(engine, mod, path):
    if engine == "calamine":
        return mod.CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python(skip_empty_area=False)
    if engine == "openpyxl":
        wb = mod.load_workbook(path, read_only=True, data_only=True)
        try:
            return list(wb.worksheets[0].iter_rows(values_only=True))
        finally:
            wb.close()
    return mod.read_excel(path, sheet_name=0, engine=engine.split("-", 1)[1], header=None)


def _rows(engine, result):
    if engine.startswith("pandas"):
        return result.astype(object).values.tolist()
    return result


def _norm(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, (int, float)):
        return "" if isinstance(v, float) and math.isnan(v) else repr(float(v))
    if isinstance(v, (dt.datetime, dt.date, dt.time)):
        return v.isoformat()
    if hasattr(v, "isoformat"):  # pandas Timestamp
        return v.isoformat()
    return str(v)


def _digest(rows):
    h = hashlib.sha256()
    non_blank = 0
    cells = 0
    for row in rows:
        vals = [_norm(v) for v in row]
        while vals and vals[-1] == "":
            vals.pop()
        if not vals:
            continue
        non_blank += 1
        cells += sum(1 for v in vals if v != "")
        h.update(json.dumps(vals, ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()[:16], non_blank, cells


def _rss_mib():
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return kb / 1024


def child(engine, path, repeat):
    """Time ``repeat`` reads of ``path`` with one engine, in this (fresh) process, and print the result as JSON.

    The line holds the read times, the import time, the row counts, a digest
    of the content and the memory before and after the reads.
    """
    t0 = time.perf_counter()
    mod = _import(engine)
    import_s = time.perf_counter() - t0
    base = _rss_mib()
    times = []
    result = None
    for _ in range(repeat):
        result = None
        t = time.perf_counter()
        result = _read(engine, mod, path)
        times.append(time.perf_counter() - t)
    peak = _rss_mib()
    rows = _rows(engine, result)
    digest, non_blank, cells = _digest(rows)
    print(
        json.dumps(
            {
                "engine": engine,
                "times": times,
                "import_s": import_s,
                "rows": len(rows),
                "non_blank_rows": non_blank,
                "cells": cells,
                "digest": digest,
                "rss_base_mib": base,
                "rss_peak_mib": peak,
            }
        )
    )


def main(argv=None):
    """Time every engine on one file, each in a fresh process, print a table and check they read the same.

    Returns:
        0 when every engine gives the same content, 1 when none ran, 2 when the contents differ.
    """
    ap = argparse.ArgumentParser(description="Time four ways of reading the first sheet of an xlsx.")
    ap.add_argument("path", help="the .xlsx file (e.g. DIR/raw/2017/cooperatives.xlsx)")
    ap.add_argument("--repeat", type=int, default=3, help="reads per engine; the best is reported (default 3)")
    ap.add_argument("--engines", default=",".join(ENGINES), help=f"comma-separated subset of {','.join(ENGINES)}")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child, args.path, args.repeat)
        return 0
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = [e for e in engines if e not in ENGINES]
    if unknown:
        ap.error(f"unknown engine(s) {unknown}; known: {ENGINES}")
    if not os.path.isfile(args.path):
        ap.error(f"no such file: {args.path}")

    size = os.path.getsize(args.path)
    print(
        f"file: {args.path} ({size / 1024 / 1024:.1f} MiB), best of {args.repeat}, "
        f"each engine in a fresh process; Python {sys.version.split()[0]}, {os.cpu_count()} CPU(s)"
    )
    results = _run_engines(engines, args.path, args.repeat)
    if not results:
        return 1
    _print_table(results)
    return _check_same_content(results)


def _run_engines(engines, path, repeat):
    """Run :func:`child` for each engine in a fresh Python; return the results of those that did not fail."""
    results = []
    for e in engines:
        out = subprocess.run(
            [sys.executable, os.path.abspath(__file__), path, "--repeat", str(repeat), "--child", e],
            capture_output=True,
            text=True,
        )
        if out.returncode != 0:
            print(f"{e}: FAILED\n{out.stderr}")
            continue
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return results


def _print_table(results):
    """Print one line per engine: best and all times, speed against the fastest, rows, memory, import time, digest."""
    fastest = min(min(r["times"]) for r in results)
    head = (
        f"{'engine':<16} {'best s':>8} {'all runs s':<22} {'x fastest':>9} {'rows':>7} {'non-blank':>9} "
        f"{'peak RSS +MiB':>13} {'import s':>8}  digest"
    )
    print(head)
    print("-" * len(head))
    for r in results:
        best = min(r["times"])
        runs = " ".join(f"{t:.2f}" for t in r["times"])
        print(
            f"{r['engine']:<16} {best:>8.3f} {runs:<22} {best / fastest:>9.1f} {r['rows']:>7} "
            f"{r['non_blank_rows']:>9} {r['rss_peak_mib'] - r['rss_base_mib']:>13.0f} {r['import_s']:>8.2f}  "
            f"{r['digest']}"
        )
    print(
        "peak RSS +MiB: increase of resource.getrusage(RUSAGE_SELF).ru_maxrss over the reads "
        "(after the import), in the engine's own process"
    )


def _check_same_content(results):
    """Print whether the engines read the same rows and content; return 0 when the content is the same, else 2."""
    ok = True
    raw_counts = {r["engine"]: r["rows"] for r in results}
    if len(set(raw_counts.values())) == 1:
        print(f"CHECK rows: all engines return {next(iter(raw_counts.values()))} rows - same")
    else:
        print(f"CHECK rows: raw row counts differ: {raw_counts}")
        ok = False
    nb = {r["engine"]: r["non_blank_rows"] for r in results}
    dg = {r["engine"]: r["digest"] for r in results}
    if len(set(nb.values())) == 1 and len(set(dg.values())) == 1:
        print(f"CHECK content: all engines give {next(iter(nb.values()))} non-blank rows with the same content digest")
    else:
        print(f"CHECK content: MISMATCH non-blank rows {nb}, digests {dg}")
    if not ok and len(set(dg.values())) == 1:
        print(
            "  (the content is identical; the raw counts differ only by fully blank rows, "
            "which pandas.read_excel drops)"
        )
    return 0 if len(set(dg.values())) == 1 else 2


if __name__ == "__main__":
    sys.exit(main())
