# /// script
# requires-python = ">=3.11"
# dependencies = [
#     # The official list of the communes and wards of the new Ninh Bình province (1/7/2025), with their codes.
#     # Used only by this script, to WRITE src/helpers/reference/data/communes.csv (committed): the pipeline reads the
#     # committed table, so a review is reproducible whatever a later release of the package says, and a data root can
#     # bring its own table. Pinned exactly: a new release is a deliberate re-run, its diff reviewed like any edit.
#     "vietnam-provinces==2025.10.1",
# ]
# ///
"""Write the reference table of the units of the new Ninh Bình province (from 1/7/2025).

Run it with the pinned package in a throw-away environment (never the
project's ``.venv``: the package is not a dependency of the pipeline)::

    python -m venv build/unit-tools
    build/unit-tools/bin/pip install vietnam-provinces==2025.10.1
    build/unit-tools/bin/python scripts/make_unit_table.py

(or ``uv run scripts/make_unit_table.py``, which reads the pin above). The
output is ``src/helpers/reference/data/communes.csv``, in the columns of
``districts.csv``: code (five digits, as official), official name, short name,
English name, level (``commune`` for xã, ``ward`` for phường, ``special_zone``
for đặc khu), ``valid_from`` 2025-07-01, no ``valid_to``, no successor.

The 2017–2024 districts are not taken from the package (no release carries
them correctly, ``shared/domain.md``): ``districts.csv`` stays hand-checked.
"""

from __future__ import annotations

import csv
import sys
import unicodedata
from pathlib import Path

PIN = "2025.10.1"
PROVINCE_CODE = 37
"""The new Ninh Bình province (Hà Nam, Nam Định and Ninh Bình merged on 1/7/2025)."""
VALID_FROM = "2025-07-01"
LEVELS = {"xã": ("commune", "commune"), "phường": ("ward", "ward"), "đặc khu": ("special_zone", "special zone")}
OUT = Path(__file__).resolve().parent.parent / "src" / "helpers" / "reference" / "data" / "communes.csv"
COLUMNS = ["unit_code", "name_vi", "short_vi", "name_en", "kind", "valid_from", "valid_to", "successor_code", "note"]


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in plain if not unicodedata.combining(ch))


def unit_rows() -> list[list[str]]:
    """The rows of ``communes.csv``, by code."""
    import vietnam_provinces
    from vietnam_provinces import Ward

    if vietnam_provinces.__version__ != PIN:
        sys.exit(f"make_unit_table: vietnam-provinces {vietnam_provinces.__version__} installed, {PIN} pinned")
    rows = []
    wards = sorted((w for w in Ward.iter_all() if int(w.province_code) == PROVINCE_CODE), key=lambda w: int(w.code))
    for ward in wards:
        name = unicodedata.normalize("NFC", ward.name)
        type_word = ward.division_type.value
        kind, english = LEVELS[type_word]
        base = name[len(type_word) + 1 :] if name.lower().startswith(type_word + " ") else name
        note = f"vietnam-provinces {PIN} (data {vietnam_provinces.__data_version__})"
        rows.append([f"{int(ward.code):05d}", name, name, f"{_ascii(base)} {english}", kind, VALID_FROM, "", "", note])
    return rows


def main() -> int:
    """Write the table; print how many units it holds."""
    rows = unit_rows()
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    print(f"{OUT.name}: {len(rows)} units of province {PROVINCE_CODE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
