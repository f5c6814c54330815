#!/usr/bin/env python3
"""Generate a SYNTHETIC "whole country" data root for scale benchmarks.

The country is treated as ONE big province whose district-level units are the
districts of up to 63 provinces (pre-2025 map: about 705 units). Everything is
invented: names such as "Huyện An Phú 12" (the number is the province), codes
"001".."9xx", cooperatives, figures. Nothing written here is meant to be
committed. The layout follows docs/contract.md::

    DIR/reference/districts.csv          same columns as src/helpers/reference/data/districts.csv
    DIR/reference/district_aliases.csv   district_code,alias (unique after folding)
    DIR/raw/<year>/activities/<AGENCY>.xlsx   Biểu 01, one row per district + "Cấp tỉnh", totals row
    DIR/raw/<year>/cooperatives.xlsx     Biểu 02, the HTX register (--csv: cooperatives.csv)
    DIR/raw/<year>/groups.xlsx           Biểu 03, THT by district
    DIR/README.md                        parameters and counts of the generated root

Size::

    districts = round(D(N) * scale)      D(N) = districts of the first N provinces (~11 each,
                                         705 for N=63); scale > 1 adds invented provinces 64, 65, ...
    HTX/year  ~ 30,000 * scale * N / 63  (so ~42 HTX per district at any size)
    THT/year  ~ 100,000 * scale * N / 63

so ``--provinces 1`` is one province-size unit (11 districts, ~476 HTX) and
``--scale 0.0159`` is about the same from the national map.

Deterministic: ``random.Random`` streams derived from --seed for the map, the HTX
population and the THT counts, and ``random.Random(f"{seed}:{year}:{file}")`` for
the cell values of each file (so the output depends neither on --jobs nor on how
many later years are asked for), fixed workbook timestamps and a normalised zip
container (helpers.outputs.normalise_zip). Dependencies: stdlib, openpyxl
(write-only mode) and the project's helpers package (run it with .venv/bin/python).

Usage::

    python benchmarks/make_national_returns.py --out DIR [--years 2017-2026] [--scale 1.0]
        [--provinces 63] [--csv] [--seed 2017] [--jobs 2]

Why this module is long: it is one command that nothing imports, and much of
it is data (syllables of invented names, sectors and their name templates,
indicator ranges); the map, the population and the writers draw from those
tables in one deterministic order, which one file keeps in view.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import random
import re
import shutil
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from helpers.outputs import normalise_zip

FIXED_TIME = dt.datetime(2018, 1, 10, 8, 0, 0)
FIRST_SIM_YEAR = 2017

N_PROVINCES_REAL = 63
DISTRICTS_REAL = 705  # district-level units before the 2025 reform
HTX_NATIONAL = 30_000
THT_NATIONAL = 100_000

AGENCIES = ["LMHTX", "HND", "HCCB", "HLHPN"]
AGENCY_NAMES = {
    "LMHTX": "LIÊN MINH HỢP TÁC XÃ",
    "HND": "HỘI NÔNG DÂN",
    "HCCB": "HỘI CỰU CHIẾN BINH",
    "HLHPN": "HỘI LIÊN HIỆP PHỤ NỮ",
}

# The provincial office, exactly as in src/helpers/reference/data.
TINH_ROW = [
    "TINH",
    "Cấp tỉnh",
    "Cấp tỉnh",
    "Provincial level",
    "province_office",
    "",
    "",
    "",
    "work done by an agency's provincial office itself (Biểu 01 only)",
]
TINH_ALIASES = ["Cấp tỉnh", "Tỉnh", "Văn phòng tỉnh", "Cơ quan tỉnh"]
DISTRICT_COLUMNS = [
    "district_code",
    "name_vi",
    "short_vi",
    "name_en",
    "kind",
    "valid_from",
    "valid_to",
    "successor_code",
    "note",
]

# Biểu 01: the first label of each indicator in docs/contract.md, with a typical
# per-district magnitude (low, high) for one agency.
INDICATORS = [
    ("training_sessions", "Số buổi tập huấn, bồi dưỡng, sinh hoạt chuyên đề", (8, 150)),
    ("training_attendance", "Số lượt người tham dự tập huấn, bồi dưỡng", None),  # ~ 25-45 per session
    ("deferred_fertilizer_t", "Phân bón cung ứng trả chậm", (0, 900)),
    ("tech_transfer_attendance", "Số lượt người tập huấn chuyển giao KHKT", (50, 4000)),
    ("newsletters_issued", "Số cuốn bản tin phát hành", (0, 1500)),
    ("web_articles", "Số tin, bài đăng trên trang thông tin điện tử", (0, 60)),
    ("clean_food_models", 'Mô hình "Nói không với thực phẩm bẩn"', (0, 3)),
    ("safe_produce_shops", "Cửa hàng nông sản an toàn", (0, 2)),
    ("htx_brand_support", "Số HTX được hỗ trợ xây dựng nhãn mác, thương hiệu", (0, 3)),
    ("new_htx_guided", "Số HTX được hướng dẫn thành lập mới", (0, 3)),
    ("new_tht_guided", "Số THT được hướng dẫn thành lập mới", (0, 6)),
    ("effective_models", "Số mô hình phát triển kinh tế hiệu quả", (0, 5)),
]
AGENCY_LEVEL = {"LMHTX": 0.5, "HND": 1.6, "HCCB": 0.7, "HLHPN": 1.0}
APPROX_WORDS = ["trên", "hơn", "gần", "khoảng"]

REGISTER_HEADER = [
    "STT",
    "Tên HTX",
    "Mã số HTX",
    "Huyện/thành phố",
    "Xã/phường",
    "Lĩnh vực",
    "Ngày thành lập",
    "Tình trạng",
    "Ngày giải thể",
    "Số thành viên",
    "Số lao động",
    "Vốn điều lệ (triệu đồng)",
    "Doanh thu (triệu đồng)",
    "Lợi nhuận (triệu đồng)",
    "Xếp loại",
]
GROUPS_HEADER = ["STT", "Đơn vị", "Số THT", "Số THT thành lập mới", "Số thành viên THT"]

SECTORS = [  # (text as typed, weight, name templates)
    (
        "Nông nghiệp",
        0.80,
        [
            "HTX dịch vụ nông nghiệp {c}",
            "HTX DVNN {c}",
            "HTX nông nghiệp {c}",
            "HTX rau an toàn {c}",
            "HTX chăn nuôi {c}",
            "HTX dược liệu {c}",
            "HTX thủy sản {c}",
            "HTX nông nghiệp hữu cơ {c}",
            "HTX trồng trọt và chăn nuôi {c}",
        ],
    ),
    ("Công nghiệp - TTCN", 0.03, ["HTX tiểu thủ công nghiệp {c}", "HTX mây tre đan {c}", "HTX thêu ren {c}"]),
    ("Tiểu thủ công nghiệp", 0.015, ["HTX cói mỹ nghệ {c}", "HTX đá mỹ nghệ {c}", "HTX gốm {c}"]),
    ("Xây dựng", 0.02, ["HTX xây dựng {c}", "HTX vật liệu xây dựng {c}"]),
    ("Thương mại - dịch vụ", 0.035, ["HTX thương mại dịch vụ {c}", "HTX dịch vụ tổng hợp {c}"]),
    ("Vận tải", 0.025, ["HTX vận tải {c}", "HTX vận tải hành khách {c}"]),
    ("Quỹ tín dụng nhân dân", 0.012, ["Quỹ tín dụng nhân dân {c}"]),
    ("Tín dụng", 0.003, ["HTX tín dụng {c}"]),
    ("Môi trường", 0.012, ["HTX vệ sinh môi trường {c}", "HTX nước sạch {c}"]),
    ("Khác", 0.02, ["HTX {c}", "HTX dịch vụ {c}"]),
    ("", 0.008, ["HTX {c}"]),
]
RATINGS = [("Tốt", 0.30), ("Khá", 0.30), ("Trung bình", 0.22), ("Yếu", 0.06), ("Chưa xếp loại", 0.07), ("", 0.05)]

# Syllables of invented place names (pairs give ~5,000 names).
SYLLABLES = [
    "An",
    "Bình",
    "Phú",
    "Hòa",
    "Thành",
    "Long",
    "Sơn",
    "Hưng",
    "Yên",
    "Khánh",
    "Phước",
    "Thuận",
    "Tân",
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Trung",
    "Quang",
    "Minh",
    "Vĩnh",
    "Lộc",
    "Xuân",
    "Thạnh",
    "Thịnh",
    "Lạc",
    "Hải",
    "Giang",
    "Hà",
    "Lâm",
    "Mỹ",
    "Đức",
    "Tiến",
    "Lợi",
    "Hiệp",
    "Nghĩa",
    "Châu",
    "Cát",
    "Định",
    "Hội",
    "Kim",
    "Ngọc",
    "Phong",
    "Thủy",
    "Vân",
    "Lập",
    "Điền",
    "Mai",
    "Sa",
    "Tường",
    "Hồng",
    "Gia",
    "Cẩm",
    "Văn",
    "Hoàng",
    "Lương",
    "Trà",
    "Thái",
    "Bảo",
    "Chánh",
    "Hiếu",
]

FOLD_NON_WORD = re.compile(r"[^0-9a-z~]+")
FOLD_TRAILING_UNIT = re.compile(r"\s*\([^()]*\)\s*$")


def fold(text: str) -> str:
    """The matching key of src/helpers/text.py fold_label (re-implemented: stdlib only)."""
    plain = unicodedata.normalize("NFC", text).strip()
    while True:
        shorter = FOLD_TRAILING_UNIT.sub("", plain)
        if shorter == plain or not shorter:
            break
        plain = shorter
    bare = "".join(ch for ch in unicodedata.normalize("NFD", plain) if not unicodedata.combining(ch))
    bare = bare.replace("đ", "d").replace("Đ", "D").lower()
    return FOLD_NON_WORD.sub(" ", bare).strip()


def ascii_name(text: str) -> str:
    """``text`` without diacritics (``đ`` → ``d``): the ASCII spelling of a district name, one of its aliases."""
    bare = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return bare.replace("đ", "d").replace("Đ", "D")


def vi_number(n: int) -> str:
    """4730 -> '4.730' (dot as thousands separator)."""
    return f"{n:,}".replace(",", ".")


def vi_decimal(x: float) -> str:
    """5207.5 -> '5.207,5'."""
    whole = int(x)
    frac = round((x - whole) * 10)
    return f"{vi_number(whole)},{frac}" if frac else vi_number(whole)


# --------------------------------------------------------------------------
# The map
# --------------------------------------------------------------------------


def province_district_counts(seed) -> list[int]:
    """District-level units of the 63 provinces: ~11 each, 705 in all, province 1 has 11."""
    rng = random.Random(f"{seed}:counts")
    counts = [11] * N_PROVINCES_REAL
    for i in range(1, N_PROVINCES_REAL - 1, 2):  # +d / -d pairs keep the sum
        d = rng.randint(-4, 5)
        counts[i] += d
        counts[i + 1] -= d
    extra = DISTRICTS_REAL - sum(counts)
    i = 1
    while extra > 0:
        counts[i] += 1
        extra -= 1
        i = i + 5 if i + 5 < N_PROVINCES_REAL else (i + 5) % N_PROVINCES_REAL or 1
    assert sum(counts) == DISTRICTS_REAL and min(counts) >= 5 and counts[0] == 11
    return counts


def place_names(rng: random.Random, n: int, taken: set[str] | None = None) -> list[str]:
    """``n`` invented two-syllable place names, distinct after folding from each other and from ``taken``."""
    taken = set() if taken is None else taken
    out = []
    while len(out) < n:
        a, b = rng.sample(SYLLABLES, 2)
        name = f"{a} {b}"
        key = fold(name)  # "Minh Thạnh" and "Minh Thành" would be one alias
        if key not in taken:
            taken.add(key)
            out.append(name)
    return out


def build_map(seed, n_provinces: int, scale: float) -> list[dict]:
    """The district-level units of the synthetic country, in reference order."""
    counts = province_district_counts(seed)
    base = sum(counts[(p - 1) % N_PROVINCES_REAL] for p in range(1, n_provinces + 1))
    target = max(1, round(base * scale))
    districts = []
    code = 0
    p = 0
    while len(districts) < target:
        p += 1
        n = counts[(p - 1) % N_PROVINCES_REAL]
        if p > 1:
            code += 1 + (p % 3)  # official codes leave gaps between provinces
        prng = random.Random(f"{seed}:province:{p}")
        bases = place_names(prng, n)
        for i, b in enumerate(bases):
            if len(districts) == target:
                break
            code += 1
            base_name = f"{b} {p}"
            if i == 0:
                kind, name_vi, short_vi, en = "city", f"Thành phố {base_name}", f"TP {base_name}", "city"
            elif i == 1 and prng.random() < 0.6:
                kind, name_vi, short_vi, en = "town", f"Thị xã {base_name}", f"TX {base_name}", "town"
            else:
                kind, name_vi, short_vi, en = "rural", f"Huyện {base_name}", base_name, "district"
            n_communes = prng.randint(8, 24)
            communes = place_names(prng, n_communes)
            level = "Phường" if kind in ("city", "town") else "Xã"
            communes = [f"{level if j % 4 else 'Xã'} {c}" for j, c in enumerate(communes)]
            aliases = [name_vi, short_vi] + ([f"H. {base_name}"] if kind == "rural" else [])
            districts.append(
                {
                    "code": f"{code:03d}",
                    "province": p,
                    "name_vi": name_vi,
                    "short_vi": short_vi,
                    "name_en": f"{ascii_name(base_name)} {en}",
                    "kind": kind,
                    "aliases": aliases,
                    "communes": communes,
                    "weight": prng.uniform(0.5, 1.6),
                }
            )
    return districts


def write_reference(out: Path, districts: list[dict]) -> list[Path]:
    """Write the root's own ``districts.csv`` and ``district_aliases.csv``; return the two files."""
    ref = out / "reference"
    ref.mkdir(parents=True, exist_ok=True)
    seen: dict[str, str] = {}
    for d in districts:
        for a in d["aliases"]:
            key = fold(a)
            assert seen.setdefault(key, d["code"]) == d["code"], (a, seen[key], d["code"])
    for a in TINH_ALIASES:
        assert seen.setdefault(fold(a), "TINH") == "TINH", a
    assert len({d["code"] for d in districts}) == len(districts)

    def dump(path, header, rows):
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8")

    rows = [
        [
            d["code"],
            d["name_vi"],
            d["short_vi"],
            d["name_en"],
            "district",
            "",
            "",
            "",
            f"SYNTHETIC (benchmark) province {d['province']}",
        ]
        for d in districts
    ]
    dump(ref / "districts.csv", DISTRICT_COLUMNS, [*rows, TINH_ROW])
    rows = [[d["code"], a] for d in districts for a in d["aliases"]] + [["TINH", a] for a in TINH_ALIASES]
    dump(ref / "district_aliases.csv", ["district_code", "alias"], rows)
    return [ref / "districts.csv", ref / "district_aliases.csv"]


# --------------------------------------------------------------------------
# The HTX population (simulated year by year in the main process)
# --------------------------------------------------------------------------


def random_date(rng, y0, y1):
    """A random day from 1/1/``y0`` to 31/12/``y1``."""
    start = dt.date(y0, 1, 1).toordinal()
    end = dt.date(y1, 12, 31).toordinal()
    return dt.date.fromordinal(rng.randint(start, end))


class Population:
    """HTX records: [d_idx, commune, name, reg_no, sector, founded, status, members, workers, capital]."""

    ACTIVE, STOPPED = "Đang hoạt động", "Ngừng hoạt động"

    def __init__(self, rng, districts, target):
        self.rng = rng
        self.districts = districts
        self.target = target
        self.weights = [d["weight"] for d in districts]
        self.cum = []
        acc = 0.0
        for w in self.weights:
            acc += w
            self.cum.append(acc)
        self.sector_w = [s[1] for s in SECTORS]
        self.used_regs: set[str] = set()
        self.live: list[list] = []

    def new_htx(self, founded):
        """A new cooperative founded on ``founded``, in a district drawn by weight, with its own registration number."""
        rng = self.rng
        d_idx = rng.choices(range(len(self.districts)), cum_weights=self.cum)[0]
        d = self.districts[d_idx]
        commune = rng.choice(d["communes"])
        s = rng.choices(range(len(SECTORS)), weights=self.sector_w)[0]
        text, _, templates = SECTORS[s]
        name = rng.choice(templates).format(c=commune.split(" ", 1)[1])
        while True:
            reg = f"{d['province'] % 100:02d}07{rng.randrange(1_000_000):06d}"
            if reg not in self.used_regs:
                self.used_regs.add(reg)
                break
        agri = s == 0
        members = int(rng.lognormvariate(4.6 if agri else 2.6, 0.7)) + 7
        workers = max(2, int(members * rng.uniform(0.04, 0.25) if agri else members * rng.uniform(0.4, 1.0)))
        capital = round(rng.lognormvariate(6.9, 1.0))  # ~1,000 million VND median
        return [d_idx, commune, name, reg, text, founded, self.ACTIVE, members, workers, capital]

    def year(self, y):
        """Advance to year ``y``; return (rows of the register, dissolved in y)."""
        rng = self.rng
        if not self.live:  # first year: the standing population
            n0 = round(self.target * 0.96)
            for _ in range(n0):
                founded = random_date(rng, 1960, y - 1) if rng.random() < 0.35 else random_date(rng, 1997, y - 1)
                h = self.new_htx(founded)
                if rng.random() < 0.12:
                    h[6] = self.STOPPED
                self.live.append(h)
        for h in self.live:  # status changes
            if h[6] == self.ACTIVE and rng.random() < 0.03:
                h[6] = self.STOPPED
            elif h[6] == self.STOPPED and rng.random() < 0.10:
                h[6] = self.ACTIVE
        n_new = round(self.target * rng.uniform(0.025, 0.04))
        news = [self.new_htx(random_date(rng, y, y)) for _ in range(n_new)]
        dissolve_p = 0.025
        dissolved_idx = {
            i for i, h in enumerate(self.live) if rng.random() < (dissolve_p * (3 if h[6] == self.STOPPED else 0.7))
        }
        rows = []
        for i, h in enumerate(self.live):
            if i in dissolved_idx:
                rows.append((*h[:6], "Giải thể", random_date(rng, y, y), *h[7:]))
            else:
                rows.append((*h[:7], None, *h[7:]))
        rows += [(*h[:7], None, *h[7:]) for h in news]
        self.live = [h for i, h in enumerate(self.live) if i not in dissolved_idx] + news
        rows.sort(key=lambda r: (r[0], r[1], r[3]))
        return rows, len(dissolved_idx)


def simulate_groups(rng, districts, target, years):
    """THT counts per district and year: {year: [(count, new, members), ...]}."""
    total_w = sum(d["weight"] for d in districts)
    counts = [max(1, round(target * 0.95 * d["weight"] / total_w * rng.uniform(0.8, 1.2))) for d in districts]
    out = {}
    for y in years:
        rows = []
        for i, c in enumerate(counts):
            new = round(c * rng.uniform(0.05, 0.12))
            gone = round(c * rng.uniform(0.04, 0.10))
            counts[i] = max(1, c + new - gone)
            rows.append((counts[i], new, round(counts[i] * rng.uniform(7, 18))))
        out[y] = rows
    return out


# --------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------


def save_workbook(path: Path, title: str, rows, bold_rows=()):
    """Write ``rows`` (lists of values; None = empty) to a one-sheet xlsx, byte-deterministically."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(title)
    bold = Font(bold=True)
    for r, row in enumerate(rows, start=1):
        if r in bold_rows:
            cells = []
            for v in row:
                c = WriteOnlyCell(ws, value=v)
                c.font = bold
                cells.append(c)
            ws.append(cells)
        else:
            ws.append(row)
    wb.properties.creator = "make_national_returns.py (SYNTHETIC benchmark data)"
    wb.properties.lastModifiedBy = "make_national_returns.py"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.save(path)
    normalise_zip(path)  # the project's own: fixed member dates and document stamps


def save_csv(path: Path, rows, width: int):
    """Write ``rows`` as a UTF-8 (BOM) CSV, every row padded to ``width`` columns."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=",", lineterminator="\n")
    for row in rows:
        vals = ["" if v is None else str(v) for v in row]
        w.writerow(vals + [""] * (width - len(vals)))
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))


def pad(width, **cells):
    """A row of ``width`` empty cells with ``cells`` placed by name (``c0``, ``c5``: the column index)."""
    row = [None] * width
    for k, v in cells.items():
        row[int(k[1:])] = v
    return row


def title_block(agency, width, title, unit_note):
    """The title block of a return: issuer and motto, the title, the unit line and a blank row."""
    right = max(2, width - 4)
    return [
        pad(
            width,
            c0=f"{AGENCY_NAMES[agency]} (SỐ LIỆU TỔNG HỢP TOÀN QUỐC)",
            **{f"c{right}": "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"},
        ),
        pad(width, c0="VĂN PHÒNG", **{f"c{right}": "Độc lập - Tự do - Hạnh phúc"}),
        [None] * width,
        pad(width, c0=title),
        pad(width, **{f"c{right}": unit_note}),
        [None] * width,
    ]


def footer(width, year):
    """The footer under a table: the place and date, the signers' titles and the signature space."""
    right = max(2, width - 4)
    return [
        [None] * width,
        pad(width, **{f"c{right}": f"Ninh Bình, ngày 10 tháng 01 năm {year + 1}"}),
        pad(width, c1="Người lập biểu", **{f"c{right}": "Thủ trưởng đơn vị"}),
        pad(width, c1="(Ký, ghi rõ họ tên)", **{f"c{right}": "(Ký tên, đóng dấu)"}),
        [None] * width,
        pad(width, c1="Nguyễn Văn An", **{f"c{right}": "Trần Thị Bình"}),
    ]


def typed(rng, v, p_text=0.04, p_approx=0.004):
    """An Excel number, sometimes Vietnamese-typed text or an approximate value."""
    r = rng.random()
    if r < p_approx and v >= 10:
        return f"{rng.choice(APPROX_WORDS)} {vi_number(int(v)) if v == int(v) else vi_decimal(v)}"
    if r < p_approx + p_text:
        if v == int(v):
            return vi_number(int(v))
        return vi_decimal(v)
    return v


def build_activities(seed, year, agency, districts):
    """The rows of one agency's Biểu 01, one per district and the provincial office, with its totals row.

    Returns:
        The rows, the row numbers that are not data (header, totals), and the number of data rows.
    """
    rng = random.Random(f"{seed}:{year}:{agency}")
    width = 2 + len(INDICATORS)
    level = AGENCY_LEVEL[agency] * (1 + 0.04 * (year - 2017)) * (0.88 if year in (2020, 2021) else 1.0)
    rows = title_block(
        agency,
        width,
        f"BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH PHỐI HỢP PHÁT TRIỂN KINH TẾ TẬP THỂ NĂM {year}",
        "Đơn vị tính: buổi, lượt người, tấn, cuốn, tin bài, mô hình",
    )
    header_row = len(rows) + 1
    rows.append(["STT", "Đơn vị"] + [label for _, label, _ in INDICATORS])
    rows.append([f"({i})" for i in range(1, width + 1)])
    units = [("Cấp tỉnh", 0.6)] + [(d["name_vi"], d["weight"]) for d in districts]
    totals = [0] * len(INDICATORS)
    for stt, (unit, w) in enumerate(units, start=1):
        values = []
        sessions = 0
        for k, (ind, _, rng_lohi) in enumerate(INDICATORS):
            if ind == "training_attendance":
                v = round(sessions * rng.uniform(25, 45))
            else:
                lo, hi = rng_lohi
                v = rng.uniform(lo, hi) * w * level
                if ind == "deferred_fertilizer_t":
                    v = round(v * 2) / 2 if rng.random() < 0.2 else round(v)
                else:
                    v = round(v)
            if ind == "training_sessions":
                sessions = v
            totals[k] += v
            values.append(typed(rng, v))
        rows.append([stt, unit, *values])
    rows.append([None, "Tổng cộng"] + [int(t) if t == int(t) else t for t in totals])
    rows += footer(width, year)
    return rows, {header_row, len(rows) - len(footer(width, year))}, len(units)


def build_register_rows(seed, year, htx_rows, districts):
    """The rows of the register (Biểu 02) of ``year``, cooperatives as the population gives them.

    Returns:
        The rows, the header's row number, and the number of data rows.
    """
    rng = random.Random(f"{seed}:{year}:register")
    width = len(REGISTER_HEADER)
    rows = title_block("LMHTX", width, f"DANH SÁCH HỢP TÁC XÃ (ĐẾN 31/12/{year})", "Đơn vị tính: người, triệu đồng")
    rows.insert(2, pad(width, c0="Biểu 02"))
    header_row = len(rows) + 1
    rows.append(list(REGISTER_HEADER))
    growth = 1 + 0.05 * (year - 2017)
    rating_labels = [r[0] for r in RATINGS]
    rating_w = [r[1] for r in RATINGS]
    for stt, (d_idx, commune, name, reg, sector, founded, status, dissolved, members, workers, capital) in enumerate(
        htx_rows, start=1
    ):
        d = districts[d_idx]
        r = rng.random()
        unit = d["aliases"][0] if r < 0.7 else d["aliases"][1] if r < 0.9 else d["aliases"][-1]
        active = status == Population.ACTIVE
        m = max(7, round(members * rng.uniform(0.95, 1.05)))
        wk = max(1, round(workers * rng.uniform(0.9, 1.1)))
        cap = round(capital * growth * rng.uniform(0.97, 1.03))
        if active:
            revenue = round(cap * rng.uniform(0.3, 2.5))
            profit = round(revenue * rng.uniform(-0.12, 0.15))
            rating = rng.choices(rating_labels, weights=rating_w)[0]
        else:
            revenue = round(cap * rng.uniform(0.0, 0.2))
            profit = round(revenue * rng.uniform(-0.6, 0.05)) if revenue else 0
            rating = rng.choice(["Yếu", "Chưa xếp loại", ""]) if status != "Giải thể" else ""
        rows.append(
            [
                stt,
                name,
                reg,
                unit,
                commune,
                sector,
                founded.strftime("%d/%m/%Y"),
                status,
                dissolved.strftime("%d/%m/%Y") if dissolved else None,
                typed(rng, m, 0.01, 0),
                typed(rng, wk, 0.01, 0),
                typed(rng, cap, 0.02, 0),
                typed(rng, revenue, 0.02, 0) if revenue or rng.random() < 0.5 else "-",
                profit,
                rating or None,
            ]
        )
    n_data = len(htx_rows)
    rows += footer(width, year)
    return rows, {header_row}, n_data


def build_groups(seed, year, groups, districts):
    """The rows of Biểu 03 (THT by district) with its totals row.

    Returns:
        The rows, the row numbers that are not data (header, totals), and the number of data rows.
    """
    rng = random.Random(f"{seed}:{year}:groups")
    width = len(GROUPS_HEADER)
    rows = title_block("LMHTX", width, f"TÌNH HÌNH PHÁT TRIỂN TỔ HỢP TÁC NĂM {year}", "Đơn vị tính: tổ, người")
    header_row = len(rows) + 1
    rows.append(list(GROUPS_HEADER))
    tot = [0, 0, 0]
    for stt, (d, (count, new, members)) in enumerate(zip(districts, groups, strict=True), start=1):
        for k, v in enumerate((count, new, members)):
            tot[k] += v
        rows.append([stt, d["name_vi"], typed(rng, count, 0.03, 0), new, typed(rng, members, 0.03, 0)])
    rows.append([None, "Tổng cộng", *tot])
    rows += footer(width, year)
    return rows, {header_row, len(rows) - 6}, len(districts)


def write_year(task):
    """Write one year folder (runs in a worker process)."""
    seed, out, year, districts, htx_rows, groups, as_csv = task
    t0 = time.perf_counter()
    ydir = Path(out) / "raw" / str(year)
    if ydir.exists():
        shutil.rmtree(ydir)
    (ydir / "activities").mkdir(parents=True)
    written = []
    for agency in AGENCIES:
        rows, bold, n = build_activities(seed, year, agency, districts)
        p = ydir / "activities" / f"{agency}.xlsx"
        save_workbook(p, "Biểu 01", rows, bold)
        written.append((p, n))
    rows, bold, n = build_register_rows(seed, year, htx_rows, districts)
    if as_csv:
        p = ydir / "cooperatives.csv"
        save_csv(p, rows, len(REGISTER_HEADER))
    else:
        p = ydir / "cooperatives.xlsx"
        save_workbook(p, "Biểu 02", rows, bold)
    written.append((p, n))
    rows, bold, n = build_groups(seed, year, groups, districts)
    p = ydir / "groups.xlsx"
    save_workbook(p, "Biểu 03", rows, bold)
    written.append((p, n))
    return year, [(str(p), n, p.stat().st_size) for p, n in written], time.perf_counter() - t0


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def parse_years(text: str) -> list[int]:
    """The years of ``--years``: ``2017-2026``, ``2017`` or ``2017,2019`` (sorted, each once)."""
    years = set()
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            a, b = part.split("-", 1)
            years.update(range(int(a), int(b) + 1))
        elif part:
            years.add(int(part))
    if not years:
        raise argparse.ArgumentTypeError("no years")
    return sorted(years)


def human(n: int) -> str:
    """A byte count for people: ``512 B``, ``1.5 MB``."""
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def main(argv=None):
    """Parse the command line and write the national data root."""
    ap = argparse.ArgumentParser(description="Generate a SYNTHETIC national data root for scale benchmarks.")
    ap.add_argument("--out", type=Path, required=True, help="output folder (gets reference/ and raw/<year>/)")
    ap.add_argument(
        "--years",
        type=parse_years,
        default=parse_years("2017-2026"),
        help="years to write: 2017-2026 (default), 2017, or 2017,2019",
    )
    ap.add_argument(
        "--scale", type=float, default=1.0, help="multiplies the number of districts, HTX and THT (default 1.0)"
    )
    ap.add_argument(
        "--provinces",
        type=int,
        default=N_PROVINCES_REAL,
        help="take the first N provinces (~11 districts each) as the base map (default 63)",
    )
    ap.add_argument("--csv", action="store_true", help="write the register as cooperatives.csv (UTF-8 BOM, ',')")
    ap.add_argument("--seed", default="2017", help="random seed (default 2017)")
    ap.add_argument(
        "--jobs",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="worker processes writing year folders (default: min(2, CPUs)); output does not depend on it",
    )
    args = ap.parse_args(argv)
    if args.scale <= 0 or args.provinces < 1:
        ap.error("--scale must be > 0 and --provinces >= 1")

    t0 = time.perf_counter()
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    districts = build_map(args.seed, args.provinces, args.scale)
    ref_files = write_reference(out, districts)
    htx_target = max(1, round(HTX_NATIONAL * args.scale * args.provinces / N_PROVINCES_REAL))
    tht_target = max(1, round(THT_NATIONAL * args.scale * args.provinces / N_PROVINCES_REAL))
    n_prov = len({d["province"] for d in districts})
    print(
        f"map: {len(districts)} district-level units from {n_prov} province(s) "
        f"(codes {districts[0]['code']}..{districts[-1]['code']}), targets {htx_target} HTX/year, {tht_target} THT"
    )
    for p in ref_files:
        print(f"  wrote {p} ({human(p.stat().st_size)})")

    # Separate streams, so a year's files do not depend on how many later years are asked for.
    pop = Population(random.Random(f"{args.seed}:htx"), districts, htx_target)
    sim_years = list(range(min(FIRST_SIM_YEAR, args.years[0]), args.years[-1] + 1))
    groups = simulate_groups(random.Random(f"{args.seed}:groups"), districts, tht_target, sim_years)
    tasks = []
    summary = {}
    for y in sim_years:
        rows, n_dissolved = pop.year(y)
        if y in args.years:
            tasks.append((args.seed, str(out), y, districts, rows, groups[y], args.csv))
            summary[y] = (len(rows), n_dissolved, sum(g[0] for g in groups[y]))
    t_sim = time.perf_counter() - t0
    print(f"simulated {len(sim_years)} year(s) in {t_sim:.1f} s")

    total_bytes = 0
    if args.jobs > 1 and len(tasks) > 1:
        with ProcessPoolExecutor(max_workers=args.jobs) as ex:
            results = list(ex.map(write_year, tasks))
    else:
        results = [write_year(t) for t in tasks]
    readme = [
        "# SYNTHETIC national benchmark data root",
        "",
        "Generated by `benchmarks/make_national_returns.py`; invented names and figures; do not commit.",
        "",
        f"- options: years {args.years[0]}-{args.years[-1]} ({len(args.years)}), scale {args.scale}, "
        f"provinces {args.provinces}, csv {args.csv}, seed {args.seed}",
        f"- districts: {len(districts)} from {n_prov} province(s); "
        f"HTX target {htx_target}/year; THT target {tht_target}",
        "",
        "| year | register rows | dissolved | THT | bytes |",
        "|---|---|---|---|---|",
    ]
    for year, files, secs in results:
        size = sum(s for _, _, s in files)
        total_bytes += size
        reg_rows, n_dis, tht = summary[year]
        print(f"{year}: {secs:.1f} s, {human(size)}, register {reg_rows} rows ({n_dis} dissolved), THT {tht}")
        for p, n, s in files:
            print(f"  wrote {p} ({n} data rows, {human(s)})")
        readme.append(f"| {year} | {reg_rows} | {n_dis} | {tht} | {size} |")
    (out / "README.md").write_text("\n".join(readme) + "\n", encoding="utf-8")
    print(
        f"done: {len(results)} year(s), {human(total_bytes)} in {out} in {time.perf_counter() - t0:.1f} s "
        f"(jobs={args.jobs})"
    )


if __name__ == "__main__":
    main()
