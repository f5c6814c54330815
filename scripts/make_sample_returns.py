#!/usr/bin/env python3
"""Generate the SYNTHETIC sample returns of the coordination programme.

Writes, for each programme year 2017-2022 (and 2023-2026 of a hypothetical successor programme, see
``generate_successor``: the eight districts in 2023-2024, the communes and wards of the new province after
1/7/2025)::

    <out>/<year>/activities/<AGENCY...>.xlsx|.csv   Biểu 01, one file per agency
    <out>/<year>/cooperatives.xlsx|.csv             Biểu 02, the HTX register at 31/12
    <out>/<year>/groups.xlsx|.csv                   Biểu 03, THT by district
    <out>/README.md                                 what the sample data are
    tests/data/sample_expectations.json             the truth the reader is tested against

The data are invented. Only the 2017 province totals of Biểu 01 equal the
figures published for the review of 24/1/2018 (spec "indicators", § A);
everything else is merely plausible.
Every file deliberately exercises the variations allowed by the raw-data
contract (title blocks, merged two-row headers, column-number rows, totals
rows, Vietnamese-typed numbers, approximate values, district spellings, NFD
text, CSV encodings, ...) and contains a few rows the contract must reject.

The output is byte-deterministic: one ``random.Random(2017)``, fixed workbook
timestamps and a normalised zip container. The script owns the year folders
it writes (stale files in them are deleted).

Usage::

    python scripts/make_sample_returns.py [--out DIR] [--expectations FILE]

Besides the years and their README it writes ``DIR/sample-files.csv``: each
file written, with the sha256 of its bytes: what ``helpers.samples`` reads, the
one thing that labels a year of the review as synthetic sample data (written
here with the standard library, like everything else of this script).

Why this module is long: it must not use the package it tests (the
expectations are an independent truth), so it carries its own writers; and
more than a third of it is data — the spellings of the contract and, per year
and file, the layout that says which contract variation the file exercises.
Those tables read best beside the code that draws from them, in one
deterministic sequence of random draws.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import math
import random
import re
import shutil
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "data" / "raw"
DEFAULT_EXPECTATIONS = REPO / "tests" / "data" / "sample_expectations.json"

YEARS = list(range(2017, 2023))
FIXED_TIME = dt.datetime(2018, 1, 10, 8, 0, 0)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

AGENCIES = ["LMHTX", "HND", "HCCB", "HLHPN"]
DISTRICTS = ["369", "370", "372", "373", "374", "375", "376", "377"]

# --------------------------------------------------------------------------
# Reference spellings (all taken from the contract, docs/contract.md)
# --------------------------------------------------------------------------

DISTRICT_STYLES = {
    "official": {
        "369": "Thành phố Ninh Bình",
        "370": "Thành phố Tam Điệp",
        "372": "Huyện Nho Quan",
        "373": "Huyện Gia Viễn",
        "374": "Huyện Hoa Lư",
        "375": "Huyện Yên Khánh",
        "376": "Huyện Kim Sơn",
        "377": "Huyện Yên Mô",
    },
    "short": {
        "369": "TP Ninh Bình",
        "370": "Tam Điệp",
        "372": "Nho Quan",
        "373": "Gia Viễn",
        "374": "Hoa Lư",
        "375": "Yên Khánh",
        "376": "Kim Sơn",
        "377": "Yên Mô",
    },
    "abbr": {
        "369": "TP. Ninh Bình",
        "370": "TX Tam Điệp",
        "372": "H. Nho Quan",
        "373": "H. Gia Viễn",
        "374": "H. Hoa Lư",
        "375": "H. Yên Khánh",
        "376": "H. Kim Sơn",
        "377": "H. Yên Mô",
    },
    "mixed": {
        "369": "Tp.Ninh Bình",
        "370": "Thị xã Tam Điệp",
        "372": "Huyện Nho Quan",
        "373": "Gia Viễn ",
        "374": "H. Hoa Lư",
        "375": "Yên Khánh",
        "376": "KIM SƠN",
        "377": "Yen Mo",
    },
    "upper": {
        "369": "TP NINH BÌNH",
        "370": "TP TAM ĐIỆP",
        "372": "H. NHO QUAN",
        "373": "H. GIA VIỄN",
        "374": "H. HOA LƯ",
        "375": "H. YÊN KHÁNH",
        "376": "H. KIM SƠN",
        "377": "H. YÊN MÔ",
    },
    "upper_ascii": {
        "369": "TP NINH BINH",
        "370": "TP TAM DIEP",
        "372": "NHO QUAN",
        "373": "GIA VIEN",
        "374": "HOA LU",
        "375": "YEN KHANH",
        "376": "KIM SON",
        "377": "YEN MO",
    },
    "city": {
        "369": "Ninh Bình",
        "370": "TP Tam Điệp",
        "372": "Nho Quan",
        "373": "H. Gia Viễn",
        "374": "Hoa Lư",
        "375": "H. Yên Khánh",
        "376": "Kim Sơn",
        "377": "H. Yên Mô",
    },
}

IND = [
    "training_sessions",
    "training_attendance",
    "deferred_fertilizer_t",
    "tech_transfer_attendance",
    "newsletters_issued",
    "web_articles",
    "clean_food_models",
    "safe_produce_shops",
    "htx_brand_support",
    "new_htx_guided",
    "new_tht_guided",
    "effective_models",
]

AGENCY_INDICATORS = {
    "LMHTX": [
        "training_sessions",
        "training_attendance",
        "tech_transfer_attendance",
        "newsletters_issued",
        "web_articles",
        "htx_brand_support",
        "new_htx_guided",
        "new_tht_guided",
        "effective_models",
    ],
    "HND": [
        "training_sessions",
        "training_attendance",
        "deferred_fertilizer_t",
        "tech_transfer_attendance",
        "newsletters_issued",
        "web_articles",
        "clean_food_models",
        "safe_produce_shops",
        "new_htx_guided",
        "new_tht_guided",
        "effective_models",
    ],
    "HCCB": [
        "training_sessions",
        "training_attendance",
        "deferred_fertilizer_t",
        "tech_transfer_attendance",
        "newsletters_issued",
        "web_articles",
        "new_htx_guided",
        "new_tht_guided",
        "effective_models",
    ],
    "HLHPN": [
        "training_sessions",
        "training_attendance",
        "deferred_fertilizer_t",
        "tech_transfer_attendance",
        "newsletters_issued",
        "web_articles",
        "new_htx_guided",
        "new_tht_guided",
        "effective_models",
    ],
}

# Header label sets. Every label matches a contract label after folding case,
# diacritics, line breaks, repeated spaces and a trailing "(unit)".
# A tuple is a two-row label (group, sub) read as "<group> - <sub>".
LABELS = {
    "L1": {
        "training_sessions": "Số buổi tập huấn, bồi dưỡng, sinh hoạt chuyên đề",
        "training_attendance": "Số lượt người tham dự tập huấn, bồi dưỡng",
        "deferred_fertilizer_t": "Phân bón cung ứng trả chậm (tấn)",
        "tech_transfer_attendance": "Số lượt người tập huấn chuyển giao KHKT",
        "newsletters_issued": "Số cuốn bản tin phát hành",
        "web_articles": "Số tin, bài đăng trên trang thông tin điện tử",
        "clean_food_models": 'Mô hình "Nói không với thực phẩm bẩn"',
        "safe_produce_shops": "Cửa hàng nông sản an toàn",
        "htx_brand_support": "Số HTX được hỗ trợ xây dựng nhãn mác, thương hiệu",
        "new_htx_guided": "Số HTX được hướng dẫn thành lập mới",
        "new_tht_guided": "Số THT được hướng dẫn thành lập mới",
        "effective_models": "Số mô hình phát triển kinh tế hiệu quả",
    },
    "L2": {
        "training_sessions": "Số buổi tập huấn",
        "training_attendance": "Số lượt người tham dự",
        "deferred_fertilizer_t": "Phân bón trả chậm (tấn)",
        "tech_transfer_attendance": "Chuyển giao KHKT - Số lượt người",
        "newsletters_issued": "Bản tin phát hành (cuốn)",
        "web_articles": "Tin, bài trên trang TTĐT",
        "clean_food_models": "Mô hình nói không với thực phẩm bẩn",
        "safe_produce_shops": "Cửa hàng NSAT",
        "htx_brand_support": "HTX được hỗ trợ nhãn mác, thương hiệu",
        "new_htx_guided": "HTX thành lập mới",
        "new_tht_guided": "THT thành lập mới",
        "effective_models": "Mô hình kinh tế hiệu quả",
    },
    "L3": {
        "training_sessions": "SỐ BUỔI TẬP HUẤN\n(buổi)",
        "training_attendance": "SỐ LƯỢT NGƯỜI THAM DỰ\n(lượt người)",
        "deferred_fertilizer_t": "CUNG ỨNG PHÂN BÓN TRẢ CHẬM\n(tấn)",
        "tech_transfer_attendance": "SỐ LƯỢT NGƯỜI TẬP HUẤN CHUYỂN GIAO KHKT\n(lượt người)",
        "newsletters_issued": "BẢN TIN\n(cuốn)",
        "web_articles": "TIN BÀI ĐĂNG TẢI\n(tin, bài)",
        "clean_food_models": "MÔ HÌNH NÓI KHÔNG VỚI  THỰC PHẨM BẨN\n(mô hình)",
        "safe_produce_shops": "CỬA HÀNG NSAT\n(cửa hàng)",
        "htx_brand_support": "HTX ĐƯỢC HỖ TRỢ NHÃN MÁC, THƯƠNG HIỆU\n(HTX)",
        "new_htx_guided": "HTX THÀNH LẬP MỚI\n(HTX)",
        "new_tht_guided": "THT THÀNH LẬP MỚI\n(THT)",
        "effective_models": "MÔ HÌNH KINH TẾ HIỆU QUẢ\n(mô hình)",
    },
}
TWO_ROW = {
    "training_sessions": ("Tập huấn, bồi dưỡng", "Số buổi"),
    "training_attendance": ("Tập huấn, bồi dưỡng", "Số lượt người"),
}
TWO_ROW_TT = {
    "KHKT": ("Chuyển giao KHKT", "Số lượt người"),
    "KHOA_HOC": ("Chuyển giao khoa học kỹ thuật", "Số lượt người\n(lượt người)"),
}

# Allowed "not reported" tokens of the contract.
NA_TOKENS = ["", "-", "–", "x", "không báo cáo"]

# --------------------------------------------------------------------------
# Programme figures
# --------------------------------------------------------------------------

# 2017 split of the published province totals by agency (binding sums).
SPLIT_2017 = {
    "training_sessions": {"LMHTX": 610, "HND": 2150, "HCCB": 890, "HLHPN": 1080},  # 4730
    "training_attendance": {"LMHTX": 21460, "HND": 128350, "HCCB": 46209, "HLHPN": 77200},  # 273219
    "deferred_fertilizer_t": {"HND": 4320, "HCCB": 402, "HLHPN": 485},  # 5207
    "tech_transfer_attendance": {"LMHTX": 2150, "HND": 24630, "HCCB": 5400, "HLHPN": 7700},  # 39880
    "newsletters_issued": {"LMHTX": 1200, "HND": 4800, "HCCB": 1500, "HLHPN": 2500},  # 10000
    "web_articles": {"LMHTX": 310, "HND": 380, "HCCB": 120, "HLHPN": 190},  # 1000
    "clean_food_models": {"HND": 9},
    "safe_produce_shops": {"HND": 2},
    "htx_brand_support": {"LMHTX": 9},
    "new_htx_guided": {"LMHTX": 12, "HND": 7, "HCCB": 1, "HLHPN": 2},  # 22
    "new_tht_guided": {"LMHTX": 20, "HND": 62, "HCCB": 18, "HLHPN": 30},  # 130
    "effective_models": {"LMHTX": 8, "HND": 14, "HCCB": 5, "HLHPN": 5},  # 32
}
PUBLISHED_2017 = {
    "training_sessions": (4730, True),
    "training_attendance": (273219, False),
    "deferred_fertilizer_t": (5207, False),
    "tech_transfer_attendance": (39880, False),
    "newsletters_issued": (10000, True),
    "web_articles": (1000, True),
    "clean_food_models": (9, False),
    "safe_produce_shops": (2, False),
    "htx_brand_support": (9, False),
    "new_htx_guided": (22, False),
    "new_tht_guided": (130, False),
    "effective_models": (32, False),
}
# Activity level of later years relative to 2017 (2020-2021: COVID-19 restrictions).
YEAR_FACTOR = {2018: 1.05, 2019: 1.08, 2020: 0.90, 2021: 0.86, 2022: 1.06}
# Small discrete indicators of later years (province totals, split by 2017 agency shares).
SMALL = {
    "clean_food_models": {2018: 18, 2019: 27, 2020: 30, 2021: 34, 2022: 38},
    "safe_produce_shops": {2018: 3, 2019: 4, 2020: 4, 2021: 5, 2022: 5},
    "htx_brand_support": {2018: 11, 2019: 12, 2020: 10, 2021: 13, 2022: 15},
    "new_htx_guided": {2018: 18, 2019: 18, 2020: 21, 2021: 40, 2022: 42},
    "new_tht_guided": {2018: 35, 2019: 30, 2020: 36, 2021: 38, 2022: 36},
    "effective_models": {2018: 36, 2019: 41, 2020: 38, 2021: 40, 2022: 45},
}
# Relative size of the districts, used to spread agency totals.
DISTRICT_WEIGHT = {"369": 0.6, "370": 0.7, "372": 1.5, "373": 1.1, "374": 0.9, "375": 1.2, "376": 1.3, "377": 1.0}
# Share of an agency's total done by its provincial office (the TINH row).
TINH_SHARE = {
    "training_sessions": 0.06,
    "training_attendance": 0.05,
    "tech_transfer_attendance": 0.05,
    "web_articles": 0.8,
}

# Register (Biểu 02) population targets.
HTX_2017 = {"369": 20, "370": 25, "372": 70, "373": 50, "374": 35, "375": 60, "376": 65, "377": 45}  # 370
NEW_2017 = {"369": 1, "370": 2, "372": 5, "373": 3, "374": 2, "375": 3, "376": 3, "377": 3}  # 22
NEW_2018_2020 = {"372": 16, "370": 10, "373": 8, "369": 3, "374": 5, "375": 5, "376": 4, "377": 4}  # 55
NEW_TOTAL = {2018: 17, 2019: 18, 2020: 20, 2021: 43, 2022: 45}
NEW_WEIGHT_LATE = {
    "369": 0.06,
    "370": 0.12,
    "372": 0.20,
    "373": 0.13,
    "374": 0.12,
    "375": 0.13,
    "376": 0.12,
    "377": 0.12,
}
DISSOLVED_2017_DISTRICTS = ["376", "372"]
DISSOLVED = {2018: 3, 2019: 3, 2020: 2, 2021: 4, 2022: 3}
GOOD_SHARE = {2017: 0.55, 2018: 0.58, 2019: 0.61, 2020: 0.63, 2021: 0.66, 2022: 0.68}

# Groups (Biểu 03).
THT_2017 = {"369": 18, "370": 30, "372": 85, "373": 55, "374": 45, "375": 70, "376": 75, "377": 52}  # 430
THT_COUNT = {2018: 441, 2019: 452, 2020: 468, 2021: 479, 2022: 490}
THT_NEW = {2017: 128, 2018: 33, 2019: 32, 2020: 34, 2021: 36, 2022: 35}

COMMUNES = {
    "369": [
        "Ninh Nhất",
        "Ninh Tiến",
        "Ninh Phúc",
        "Ninh Sơn",
        "Ninh Phong",
        "Ninh Khánh",
        "Nam Bình",
        "Bích Đào",
        "Đông Thành",
        "Tân Thành",
        "Phúc Thành",
        "Nam Thành",
    ],
    "370": ["Quang Sơn", "Yên Sơn", "Đông Sơn", "Bắc Sơn", "Trung Sơn", "Nam Sơn", "Tây Sơn", "Yên Bình", "Tân Bình"],
    "372": [
        "Gia Lâm",
        "Gia Sơn",
        "Xích Thổ",
        "Gia Thủy",
        "Gia Tường",
        "Cúc Phương",
        "Phú Sơn",
        "Đức Long",
        "Lạc Vân",
        "Đồng Phong",
        "Yên Quang",
        "Văn Phú",
        "Văn Phong",
        "Văn Phương",
        "Quỳnh Lưu",
        "Phú Lộc",
        "Sơn Lai",
        "Sơn Hà",
        "Sơn Thành",
        "Thạch Bình",
        "Thượng Hòa",
        "Kỳ Phú",
        "Phú Long",
        "Lạng Phong",
        "Thanh Lạc",
        "Gia Lạc",
        "Gia Phong",
    ],
    "373": [
        "Gia Hòa",
        "Gia Hưng",
        "Liên Sơn",
        "Gia Thanh",
        "Gia Vân",
        "Gia Phú",
        "Gia Xuân",
        "Gia Lập",
        "Gia Vượng",
        "Gia Trấn",
        "Gia Thịnh",
        "Gia Phương",
        "Gia Tân",
        "Gia Thắng",
        "Gia Trung",
        "Gia Minh",
        "Gia Tiến",
        "Gia Sinh",
    ],
    "374": [
        "Ninh Hòa",
        "Ninh Giang",
        "Trường Yên",
        "Ninh Khang",
        "Ninh Mỹ",
        "Ninh Vân",
        "Ninh Hải",
        "Ninh Xuân",
        "Ninh Thắng",
        "Ninh An",
    ],
    "375": [
        "Khánh Công",
        "Khánh Cư",
        "Khánh Hòa",
        "Khánh Phú",
        "Khánh An",
        "Khánh Lợi",
        "Khánh Vân",
        "Khánh Hải",
        "Khánh Thiện",
        "Khánh Nhạc",
        "Khánh Thủy",
        "Khánh Trung",
        "Khánh Mậu",
        "Khánh Hội",
        "Khánh Tiên",
        "Khánh Cường",
        "Khánh Thành",
        "Khánh Hồng",
    ],
    "376": [
        "Kim Chính",
        "Kim Định",
        "Kim Hải",
        "Kim Mỹ",
        "Kim Tân",
        "Kim Trung",
        "Kim Đông",
        "Ân Hòa",
        "Chất Bình",
        "Hùng Tiến",
        "Như Hòa",
        "Quang Thiện",
        "Lai Thành",
        "Định Hóa",
        "Văn Hải",
        "Xuân Thiện",
        "Yên Lộc",
        "Yên Mật",
        "Thượng Kiệm",
        "Lưu Phương",
        "Hồi Ninh",
        "Cồn Thoi",
        "Đồng Hướng",
    ],
    "377": [
        "Yên Từ",
        "Yên Phong",
        "Yên Hòa",
        "Yên Thắng",
        "Yên Thành",
        "Yên Mạc",
        "Yên Lâm",
        "Yên Mỹ",
        "Yên Nhân",
        "Yên Đồng",
        "Khánh Thượng",
        "Khánh Dương",
        "Khánh Thịnh",
        "Mai Sơn",
        "Yên Thái",
        "Yên Hưng",
    ],
}
WARDS = {"369": 6, "370": 5}  # the last n communes of these two cities are wards (phường)

SECTOR_TEXT = {
    "agriculture": ["Nông nghiệp"],
    "industry": ["Công nghiệp - TTCN", "Tiểu thủ công nghiệp"],
    "construction": ["Xây dựng"],
    "trade": ["Thương mại - dịch vụ"],
    "transport": ["Vận tải"],
    "credit": ["Tín dụng", "Quỹ tín dụng nhân dân"],
    "environment": ["Môi trường"],
    "other": ["Khác", ""],
}
SECTOR_P = [
    ("agriculture", 0.83),
    ("industry", 0.035),
    ("construction", 0.02),
    ("trade", 0.03),
    ("transport", 0.02),
    ("credit", 0.015),
    ("environment", 0.01),
    ("other", 0.04),
]
NAME_TEMPLATES = {
    "agriculture": ["HTX dịch vụ nông nghiệp {c}", "HTX DVNN {c}", "HTX nông nghiệp {c}"],
    "agriculture_new": [
        "HTX rau an toàn {c}",
        "HTX sản xuất nấm và cây dược liệu {c}",
        "HTX dược liệu {c}",
        "HTX chăn nuôi {c}",
        "HTX nông nghiệp hữu cơ {c}",
        "HTX lúa gạo {c}",
        "HTX thủy sản {c}",
        "HTX trồng trọt và chăn nuôi {c}",
    ],
    "industry": [
        "HTX thêu ren {c}",
        "HTX cói mỹ nghệ {c}",
        "HTX mây tre đan {c}",
        "HTX đá mỹ nghệ {c}",
        "HTX tiểu thủ công nghiệp {c}",
    ],
    "construction": ["HTX xây dựng {c}"],
    "trade": ["HTX thương mại dịch vụ {c}", "HTX dịch vụ du lịch {c}", "HTX dịch vụ tổng hợp {c}"],
    "transport": ["HTX vận tải {c}", "HTX vận tải thủy {c}"],
    "credit": ["Quỹ tín dụng nhân dân {c}"],
    "environment": ["HTX vệ sinh môi trường {c}", "HTX môi trường {c}"],
    "other": ["HTX dịch vụ điện năng {c}", "HTX dịch vụ {c}"],
}
HAMLETS = ["Thượng", "Hạ", "Đông", "Tây", "Nam", "Bắc", "Trung", "Tiến Thắng", "Đoàn Kết", "Thành Công"]
PEOPLE = [
    "Nguyễn Thị Lan",
    "Trần Văn Minh",
    "Phạm Thị Hoa",
    "Đinh Văn Thắng",
    "Vũ Thị Hằng",
    "Lê Văn Cường",
    "Hoàng Thị Mai",
    "Bùi Văn Toàn",
    "Đỗ Thị Thu",
    "Ngô Văn Hải",
    "Mai Thị Nga",
    "Tạ Văn Dũng",
]
AGENCY_NAME = {
    "LMHTX": "LIÊN MINH HỢP TÁC XÃ TỈNH NINH BÌNH",
    "HND": "HỘI NÔNG DÂN TỈNH NINH BÌNH",
    "HCCB": "HỘI CỰU CHIẾN BINH TỈNH NINH BÌNH",
    "HLHPN": "HỘI LIÊN HIỆP PHỤ NỮ TỈNH NINH BÌNH",
}

# --------------------------------------------------------------------------
# Per-year file layouts (which contract variation each file exercises)
# --------------------------------------------------------------------------
# Activities keys: file, fmt (xlsx|csv), enc, delim, sheet, pre_sheet (a first sheet that must be
# skipped because the data sheet is named "Biểu 01"), title (0-10 rows), top_blank, lead (blank
# leading columns), stt, unit_label, labels (set), two_row (None|"KHKT"|"KHOA_HOC"), order
# ("std"|"rev"|"shuffle"), blank_col_after, colnum (None|"paren"|"plain"|"AB"), totals
# (None|(pos, label)), names, tinh ((pos, label) or None), blank_row_after (data row index),
# footer, date_in_unit_col, text_p, text_styles, nfd, zero_tokens, note_col, na_col (an indicator
# column present but never reported), approx [(unit, indicator, word)], rejects, disagree.
ACTIVITIES = {
    2017: {
        "LMHTX": dict(
            file="LMHTX.xlsx",
            title=5,
            stt=True,
            unit_label="Đơn vị",
            labels="L1",
            colnum="paren",
            totals=("last", "Tổng cộng"),
            names="official",
            tinh=("first", "Cấp tỉnh"),
            footer=True,
            text_p=0.0,
        ),
        "HND": dict(
            file="HND - bao cao nam 2017 (ban cuoi).xlsx",
            title=7,
            stt=True,
            unit_label="Đơn vị",
            labels="L1",
            two_row="KHKT",
            totals=("first", "Tổng cộng"),
            names="abbr",
            tinh=("last", "Văn phòng tỉnh"),
            blank_col_after="training_attendance",
            footer=True,
            text_p=0.3,
            text_styles=["dot"],
            rejects=[
                dict(
                    kind="unit",
                    label="Trong đó: Xã Gia Hòa",
                    after="373",
                    reason="unit 'Trong đó: Xã Gia Hòa' is a commune (subset row), not a district",
                )
            ],
        ),
        "HCCB": dict(
            file="HCCB.xlsx",
            title=0,
            stt=False,
            unit_label="Địa bàn",
            labels="L2",
            names="short",
            tinh=("last", "Cơ quan tỉnh"),
            footer=False,
            text_p=0.1,
            text_styles=["space"],
            rejects=[
                dict(kind="cell", unit="376", ind="effective_models", token="nhiều", reason="'nhiều' is not a number")
            ],
        ),
        "HLHPN": dict(
            file="HLHPN_2017.xlsx",
            title=10,
            stt=True,
            unit_label="Huyện, thành phố",
            labels="L3",
            colnum="plain",
            totals=("last", "Cộng"),
            names="mixed",
            tinh=("first", "Tỉnh"),
            blank_row_after=4,
            footer=True,
            text_p=0.2,
            text_styles=["dot", "plain"],
            zero_tokens=[0, "-"],
        ),
    },
    2018: {
        "LMHTX": dict(
            file="lmhtx_2018.xlsx",
            title=3,
            top_blank=2,
            lead=1,
            stt=False,
            unit_label="Huyện/thành phố",
            labels="L2",
            totals=("last", "Toàn tỉnh"),
            names="upper",
            tinh=("last", "Cấp tỉnh"),
            footer=True,
            text_p=0.1,
            text_styles=["dot"],
            approx=[("TINH", "web_articles", "khoảng")],
            rejects=[
                dict(
                    kind="typo",
                    unit="372",
                    label="Nho Quang",
                    reason="unit 'Nho Quang' is not a known district (typo of Nho Quan)",
                )
            ],
        ),
        "HND": dict(
            file="hnd_2018.xlsx",
            title=4,
            stt=True,
            unit_label="Đơn vị",
            labels="L1",
            two_row="KHOA_HOC",
            colnum="AB",
            totals=("first", "Tổng số"),
            names="official",
            tinh=("first", "Văn phòng tỉnh"),
            blank_col_after="web_articles",
            footer=True,
            text_p=0.25,
            text_styles=["dot", "space"],
            approx=[("376", "training_sessions", "khoảng")],
        ),
        "HCCB": dict(
            file="HCCB - BC nam 2018.xlsx",
            title=6,
            stt=True,
            unit_label="Đơn vị",
            labels="L1",
            names="abbr",
            tinh=("last", "Cơ quan tỉnh"),
            footer=True,
            text_p=0.4,
            text_styles=["space"],
            order="rev",
            zero_tokens=["x", 0],
        ),
        "HLHPN": dict(
            file="HLHPN.csv",
            fmt="csv",
            enc="utf-8",
            delim=";",
            title=2,
            stt=True,
            unit_label="Đơn vị",
            labels="L2",
            totals=("last", "Tổng cộng"),
            names="short",
            tinh=("first", "Cấp tỉnh"),
            text_styles=["plain", "dot", "dec0"],
            approx=[("TINH", "newsletters_issued", "~")],
            rejects=[
                dict(kind="cell", unit="374", ind="training_sessions", token="12a", reason="'12a' is not a number")
            ],
        ),
    },
    2019: {
        "LMHTX": dict(
            file="LMHTX_2019.xlsx",
            title=7,
            stt=True,
            unit_label="Đơn vị",
            labels="L1",
            two_row="KHKT",
            colnum="paren",
            totals=("last", "Tổng cộng"),
            names="abbr",
            tinh=("last", "Cấp tỉnh"),
            blank_col_after="training_attendance",
            footer=True,
            text_p=0.15,
            text_styles=["dot"],
        ),
        "HND": dict(
            file="HND.xlsx",
            title=4,
            stt=True,
            unit_label="Đơn vị",
            labels="L3",
            totals=("last", "Cộng"),
            names="mixed",
            tinh=("first", "Văn phòng tỉnh"),
            footer=True,
            date_in_unit_col=True,
            note_col=True,
            text_p=0.2,
            text_styles=["dot"],
            order="shuffle",
            approx=[("TINH", "newsletters_issued", "gần")],
            rejects=[
                dict(
                    kind="cell",
                    unit="375",
                    ind="tech_transfer_attendance",
                    token=-15,
                    reason="-15 is negative (a count cannot be negative)",
                )
            ],
        ),
        "HCCB": dict(
            file="hccb_2019.xlsx",
            title=2,
            stt=False,
            unit_label="Địa bàn",
            labels="L2",
            totals=("first", "Tổng cộng"),
            names="short",
            tinh=("last", "Cấp tỉnh"),
            footer=True,
            text_p=0.0,
            disagree=("training_attendance", 150),
        ),
        "HLHPN": dict(
            file="HLHPN - 2019.xlsx",
            title=5,
            stt=True,
            unit_label="Huyện, thành phố",
            labels="L1",
            colnum="AB",
            names="official",
            tinh=("first", "Tỉnh"),
            footer=True,
            text_p=0.2,
            text_styles=["dot"],
            approx=[("372", "training_attendance", "hơn")],
            rejects=[
                dict(
                    kind="unit",
                    label="Xã Khánh Cư",
                    after="375",
                    reason="unit 'Xã Khánh Cư' is a commune, not a district",
                )
            ],
        ),
    },
    2020: {
        "LMHTX": dict(
            file="LMHTX-2020.xlsx",
            title=4,
            stt=True,
            unit_label="Đơn vị",
            labels="L1",
            totals=("last", "Tổng"),
            names="city",
            tinh=("last", "Cấp tỉnh"),
            footer=True,
            text_p=0.1,
            text_styles=["dot"],
            rejects=[
                dict(
                    kind="unit",
                    label="Phường Bích Đào",
                    after="369",
                    reason="unit 'Phường Bích Đào' is a ward, not a district",
                )
            ],
        ),
        "HND": dict(
            file="HND_2020 (sua).xlsx",
            title=6,
            stt=True,
            unit_label="Đơn vị",
            labels="L2",
            two_row="KHKT",
            totals=("first", "TỔNG CỘNG"),
            names="upper_ascii",
            tinh=("first", "VĂN PHÒNG TỈNH"),
            blank_row_after=3,
            footer=True,
            text_p=0.35,
            text_styles=["dot"],
            approx=[("372", "training_sessions", "trên")],
        ),
        "HCCB": dict(
            file="hccb-2020.xlsx",
            sheet="Biểu 01",
            title=5,
            stt=True,
            unit_label="Đơn vị",
            labels="L3",
            totals=("last", "Tổng cộng"),
            names="official",
            tinh=("last", "Cấp tỉnh"),
            footer=True,
            nfd=True,
            text_p=0.2,
            text_styles=["dot"],
            approx=[("373", "training_attendance", "khoảng")],
            rejects=[
                dict(kind="cell", unit="375", ind="training_sessions", token="nhiều", reason="'nhiều' is not a number")
            ],
        ),
        "HLHPN": dict(
            file="hlhpn_2020.xlsx",
            title=1,
            stt=False,
            unit_label="Huyện/thành phố",
            labels="L2",
            names="abbr",
            tinh=("first", "Cơ quan tỉnh"),
            footer=True,
            text_p=0.1,
            text_styles=["plain"],
            zero_tokens=["–", 0],
        ),
    },
    2021: {
        "LMHTX": dict(
            file="LMHTX.xlsx",
            pre_sheet="Huong dan",
            sheet="Biểu 01",
            title=5,
            stt=True,
            unit_label="Đơn vị",
            labels="L1",
            totals=("last", "Toàn tỉnh"),
            names="short",
            tinh=("last", "Cấp tỉnh"),
            footer=True,
            text_p=0.1,
            text_styles=["dot"],
            approx=[("TINH", "web_articles", "~")],
        ),
        "HND": dict(
            file="HND_bao_cao_2021.xlsx",
            title=4,
            stt=True,
            unit_label="Đơn vị",
            labels="L1",
            two_row="KHOA_HOC",
            colnum="paren",
            totals=("last", "Tổng cộng"),
            names="mixed",
            tinh=("first", "Văn phòng tỉnh"),
            footer=True,
            text_p=0.25,
            text_styles=["dot", "space"],
            rejects=[
                dict(kind="cell", unit="377", ind="effective_models", token="12a", reason="'12a' is not a number")
            ],
        ),
        "HCCB": dict(
            file="HCCB.csv",
            fmt="csv",
            enc="utf-8-sig",
            delim=",",
            title=3,
            stt=True,
            unit_label="Huyện, thành phố",
            labels="L2",
            totals=("first", "Tổng cộng"),
            names="abbr",
            tinh=("last", "Cơ quan tỉnh"),
            text_styles=["dot", "plain"],
            rejects=[
                dict(
                    kind="typo",
                    unit="375",
                    label="Yên Kháng",
                    reason="unit 'Yên Kháng' is not a known district (typo of Yên Khánh)",
                )
            ],
        ),
        "HLHPN": dict(
            file="HLHPN.xlsx",
            title=6,
            stt=True,
            unit_label="Đơn vị",
            labels="L1",
            names="official",
            tinh=("first", "Cấp tỉnh"),
            footer=True,
            text_p=0.15,
            text_styles=["dot"],
            na_col="safe_produce_shops",
            approx=[("TINH", "newsletters_issued", "gần")],
        ),
    },
    2022: {
        "LMHTX": dict(
            file="lmhtx 2022.xlsx",
            sheet="Bieu 01",
            title=3,
            stt=True,
            unit_label="Huyện/thành phố",
            labels="L2",
            totals=("last", "Cộng"),
            names="upper",
            tinh=("last", "Cấp tỉnh"),
            footer=True,
            text_p=0.1,
            text_styles=["dot"],
            rejects=[
                dict(
                    kind="unit",
                    label="Thị trấn Thiên Tôn",
                    after="374",
                    reason="unit 'Thị trấn Thiên Tôn' is a town (commune level), not a district",
                )
            ],
        ),
        "HND": dict(
            file="HND.xlsx",
            title=7,
            stt=True,
            unit_label="Đơn vị",
            labels="L1",
            two_row="KHKT",
            totals=("first", "Tổng số"),
            names="abbr",
            tinh=("last", "Văn phòng tỉnh"),
            blank_col_after="deferred_fertilizer_t",
            footer=True,
            text_p=0.3,
            text_styles=["dot"],
            approx=[("TINH", "web_articles", "trên")],
            rejects=[
                dict(
                    kind="cell",
                    unit="373",
                    ind="clean_food_models",
                    token=-3,
                    reason="-3 is negative (a count cannot be negative)",
                )
            ],
        ),
        "HCCB": dict(
            file="HCCB_2022.xlsx",
            title=4,
            stt=False,
            unit_label="Địa bàn",
            labels="L1",
            names="short",
            tinh=None,
            footer=True,
            note_col=True,
            text_p=0.4,
            text_styles=["space"],
            order="shuffle",
        ),
        "HLHPN": dict(
            file="HLHPN.xlsx",
            title=5,
            stt=True,
            unit_label="Huyện, thành phố",
            labels="L3",
            colnum="plain",
            totals=("last", "Tổng cộng"),
            names="mixed",
            tinh=("first", "Tỉnh"),
            footer=True,
            text_p=0.2,
            text_styles=["dot"],
            approx=[("376", "deferred_fertilizer_t", "khoảng")],
        ),
    },
}
# 2017 cells typed in a particular way (value, display); they are part of the binding sums.
FIXED_2017 = {
    ("HCCB", "377", "training_sessions"): (120, "trên 120"),
    ("HLHPN", "TINH", "newsletters_issued"): (2500, "gần 2.500"),
    ("LMHTX", "TINH", "web_articles"): (300, "trên 300"),
    ("HND", "376", "deferred_fertilizer_t"): (1207.5, "1.207,5"),
    ("HND", "372", "deferred_fertilizer_t"): (640.5, 640.5),
    ("HND", "369", "safe_produce_shops"): (1, 1),
    ("HND", "370", "safe_produce_shops"): (1, 1),
}

# Register (Biểu 02) layouts.
REGISTER = {
    2017: dict(
        file="cooperatives.xlsx",
        sheet="DS HTX 2017",
        sectioned="roman",
        section_names="official",
        title=4,
        colnum="paren",
        footer=True,
        text_p=0.05,
        sort="commune",
        cols=[
            ("stt", "STT"),
            ("name", "Tên hợp tác xã"),
            ("reg_no", "Mã số HTX"),
            ("commune", "Địa chỉ"),
            ("sector", "Ngành nghề"),
            ("founded", "Năm thành lập"),
            ("status", "Tình trạng"),
            ("dissolved", "Năm giải thể"),
            ("members", "Số thành viên"),
            ("workers", "Số lao động"),
            ("capital", "Vốn điều lệ (triệu đồng)"),
            ("revenue", "Doanh thu (triệu đồng)"),
            ("profit", "Lợi nhuận (triệu đồng)"),
            ("rating", "Xếp loại"),
        ],
        founded_forms={"yint": 5, "date": 2, "my": 2, "y": 1},
        dissolved_forms={"yint": 1},
        extras=["noname", "dup"],
    ),
    2018: dict(
        file="cooperatives.xlsx",
        sheet="Sheet1",
        title=3,
        footer=True,
        text_p=0.1,
        sort="district",
        names="abbr",
        totals=("last", "Tổng cộng"),
        reg_no_numeric=True,
        cols=[
            ("stt", "STT"),
            ("name", "Tên HTX"),
            ("reg_no", "Số ĐKKD"),
            ("district", "Huyện/thành phố"),
            ("commune", "Xã/phường"),
            ("sector", "Lĩnh vực"),
            ("founded", "Ngày thành lập"),
            ("status", "Tình trạng hoạt động"),
            ("dissolved", "Ngày giải thể"),
            ("members", "Số thành viên"),
            ("workers", "Số lao động thường xuyên"),
            ("revenue", "Tổng doanh thu"),
            ("profit", "Lãi (lỗ)"),
            ("rating", "Kết quả xếp loại"),
            ("note", "Ghi chú"),
        ],
        founded_forms={"date": 5, "dmy": 3, "dmy_dash": 1, "iso": 1},
        dissolved_forms={"date": 1},
        extras=["badfounded", "noname"],
    ),
    2019: dict(
        file="cooperatives.xlsx",
        sheet="HTX",
        title=5,
        top_blank=2,
        lead=1,
        footer=True,
        text_p=0.15,
        sort="reg_no",
        names="mixed",
        cols=[
            ("district", "Địa bàn"),
            ("name", "TÊN HTX"),
            ("reg_no", "MÃ SỐ ĐĂNG KÝ"),
            ("sector", "LĨNH VỰC HOẠT ĐỘNG"),
            ("founded", "NGÀY ĐĂNG KÝ"),
            ("members", "SỐ THÀNH VIÊN\n(người)"),
            ("workers", "SỐ LAO ĐỘNG\n(người)"),
            ("capital", "VỐN ĐIỀU LỆ\n(triệu đồng)"),
            ("revenue", "DOANH THU\n(triệu đồng)"),
            ("profit", "LỢI NHUẬN\n(triệu đồng)"),
            ("rating", "XẾP LOẠI"),
            ("status", "TÌNH TRẠNG"),
            ("dissolved", "NGÀY GIẢI THỂ"),
            ("commune", "ĐỊA CHỈ"),
        ],
        founded_forms={"date": 3, "dmy": 2, "dmy_dash": 1, "iso": 1, "my": 1, "y": 1},
        dissolved_forms={"dmy": 1},
        extras=["dup", "baddistrict"],
    ),
    2020: dict(
        file="cooperatives.xlsx",
        sheet="Biểu 02",
        sectioned="arabic",
        section_names="sections2020",
        title=6,
        colnum="AB",
        footer=True,
        text_p=0.1,
        sort="name",
        cols=[
            ("stt", "STT"),
            ("name", "Tên HTX"),
            ("reg_no", "Mã số đăng ký"),
            ("commune", "Xã/phường"),
            ("sector", "Lĩnh vực"),
            ("founded", "Ngày thành lập"),
            ("status", "Tình trạng hoạt động"),
            ("dissolved", "Ngày giải thể"),
            ("members", "Số thành viên"),
            ("workers", "Số lao động thường xuyên"),
            ("capital", "Vốn điều lệ (triệu đồng)"),
            ("revenue", "Tổng doanh thu"),
            ("profit", "Lãi (lỗ)"),
            ("rating", "Kết quả xếp loại"),
        ],
        founded_forms={"date": 4, "dmy": 4, "y": 1},
        dissolved_forms={"dmy": 1, "date": 1},
        extras=["badfounded", "dup"],
    ),
    2021: dict(
        file="cooperatives.csv",
        fmt="csv",
        enc="utf-8-sig",
        delim=",",
        title=2,
        sort="district",
        names="upper",
        text_styles=["dot", "plain"],
        cols=[
            ("stt", "STT"),
            ("district", "Huyện, thành phố"),
            ("name", "Tên HTX"),
            ("reg_no", "Mã số HTX"),
            ("commune", "Địa chỉ"),
            ("sector", "Ngành nghề"),
            ("founded", "Năm thành lập"),
            ("status", "Tình trạng"),
            ("dissolved", "Năm giải thể"),
            ("members", "Số thành viên"),
            ("workers", "Số lao động"),
            ("capital", "Vốn điều lệ (triệu đồng)"),
            ("revenue", "Doanh thu (triệu đồng)"),
            ("profit", "Lợi nhuận (triệu đồng)"),
            ("rating", "Xếp loại"),
        ],
        founded_forms={"y": 3, "my": 2, "iso": 2, "dmy_dash": 2, "dmy": 1},
        dissolved_forms={"y": 1},
        extras=["noname", "negmembers"],
    ),
    2022: dict(
        file="cooperatives.xlsx",
        pre_sheet="Tổng hợp",
        sheet="Bieu 02",
        title=4,
        colnum="plain",
        footer=True,
        text_p=0.1,
        sort="name",
        names="short",
        cols=[
            ("stt", "STT"),
            ("name", "Tên hợp tác xã"),
            ("reg_no", "Mã số HTX"),
            ("district", "Đơn vị"),
            ("commune", "Xã/phường"),
            ("sector", "Lĩnh vực"),
            ("founded", "Ngày thành lập"),
            ("status", "Tình trạng hoạt động"),
            ("dissolved", "Ngày giải thể"),
            ("members", "Số thành viên"),
            ("workers", "Số lao động thường xuyên"),
            ("capital", "Vốn điều lệ (triệu đồng)"),
            ("revenue", "Doanh thu (triệu đồng)"),
            ("profit", "Lãi (lỗ)"),
            ("rating", "Kết quả xếp loại"),
            ("director", "Giám đốc HTX"),
        ],
        founded_forms={"date": 7, "dmy": 3},
        dissolved_forms={"date": 1},
        extras=["dup", "badfounded"],
    ),
}
SECTIONS_2020 = {
    "369": "TP Ninh Bình",
    "370": "Thành phố Tam Điệp",
    "372": "Huyện Nho Quan",
    "373": "H. Gia Viễn",
    "374": "Huyện Hoa Lư",
    "375": "Huyện Yên Khánh",
    "376": "H. Kim Sơn",
    "377": "Huyện Yên Mô",
}
EXTRA_REASON = {
    "noname": "HTX name is empty (name is required)",
    "dup": "reg_no {reg_no} appears twice in the year (both rows rejected)",
    "badfounded": "founded date 'năm ngoái' is not a date",
    "baddistrict": "district 'Huyện Ý Yên' is not a Ninh Bình district",
    "negmembers": "members -45 is negative",
}

# Groups (Biểu 03) layouts.
GROUPS = {
    2017: dict(
        file="groups.xlsx",
        title=3,
        stt=True,
        names="official",
        footer=True,
        text_p=0.0,
        cols=[
            ("unit", "Huyện/thành phố"),
            ("tht_count", "Số THT"),
            ("tht_new", "Số THT thành lập mới"),
            ("tht_members", "Số thành viên THT"),
        ],
        totals=("last", "Toàn tỉnh"),
        rejects=[dict(label="Thị trấn Me", reason="unit 'Thị trấn Me' is a town (commune level), not a district")],
    ),
    2018: dict(
        file="groups.xlsx",
        title=4,
        stt=False,
        names="abbr",
        footer=True,
        text_p=0.5,
        colnum="paren",
        text_styles=["dot"],
        cols=[
            ("unit", "Đơn vị"),
            ("tht_count", "Tổng số THT"),
            ("tht_new", "THT thành lập mới trong năm"),
            ("tht_members", "Số thành viên"),
            ("note", "Ghi chú"),
        ],
        totals=("first", "Tổng số"),
    ),
    2019: dict(
        file="groups.csv",
        fmt="csv",
        enc="cp1258",
        delim=";",
        title=2,
        stt=True,
        names="mixed",
        text_styles=["dot", "plain"],
        cols=[
            ("unit", "Đơn vị"),
            ("tht_count", "Số tổ hợp tác"),
            ("tht_new", "Số THT thành lập mới"),
            ("tht_members", "Số thành viên THT"),
        ],
        totals=("last", "Cộng"),
        rejects=[dict(label="Huyện Ý Yên", reason="unit 'Huyện Ý Yên' is not a Ninh Bình district")],
    ),
    2020: dict(
        file="groups.xlsx",
        title=5,
        stt=True,
        names="upper_ascii",
        footer=True,
        text_p=0.1,
        text_styles=["dot"],
        blank_row_after=4,
        cols=[
            ("unit", "ĐƠN VỊ"),
            ("tht_count", "SỐ THT\n(tổ)"),
            ("tht_new", "SỐ THT THÀNH LẬP MỚI\n(tổ)"),
            ("tht_members", "SỐ THÀNH VIÊN THT\n(người)"),
        ],
        totals=("last", "TỔNG CỘNG"),
    ),
    2021: dict(
        file="groups.xlsx",
        title=3,
        stt=True,
        names="short",
        footer=True,
        text_p=0.2,
        text_styles=["space"],
        lead=1,
        cols=[
            ("unit", "Huyện/thành phố"),
            ("tht_members", "Số thành viên THT"),
            ("tht_count", "Số THT"),
            ("tht_new", "THT thành lập mới trong năm"),
        ],
        rejects=[dict(label="Nho Quang", reason="unit 'Nho Quang' is not a known district (typo of Nho Quan)")],
    ),
    2022: dict(
        file="groups.xlsx",
        pre_sheet="Ghi chu",
        sheet="Bieu 03",
        title=4,
        stt=True,
        names="official",
        footer=True,
        text_p=0.1,
        text_styles=["dot"],
        colnum="AB",
        cols=[
            ("unit", "Đơn vị"),
            ("tht_count", "Tổng số THT"),
            ("tht_new", "Số THT thành lập mới"),
            ("tht_members", "Số thành viên THT"),
        ],
        totals=("first", "Toàn tỉnh"),
    ),
}


# --------------------------------------------------------------------------
# Cells and number typing
# --------------------------------------------------------------------------


class Cell:
    """A numeric cell: what is written (``show``) and what it means."""

    __slots__ = ("approx", "bad", "show", "value")

    def __init__(self, show, value=None, approx=False, bad=False):
        self.show = show
        self.value = value
        self.approx = approx
        self.bad = bad


def na_cell(token):
    """A cell typed as ``token`` that means "not reported" (``-``, ``x``, ``không báo cáo`` …)."""
    return Cell(token, None)


def plain_number(v):
    """An int for integral values, else the float (Excel number cell)."""
    return int(v) if float(v).is_integer() else float(v)


def vn_text(v, sep="."):
    """Vietnamese typing: thousands ``sep`` ('.', ' ' or ''), decimal comma."""
    neg = v < 0
    v = abs(v)
    ip = int(v)
    frac = v - ip
    s = f"{ip:,}".replace(",", sep) if sep else str(ip)
    if frac:
        s += "," + f"{frac:.2f}"[2:].rstrip("0")
    return ("-" if neg else "") + s


def show_number(rng, v, fs):
    """Return the display of value ``v`` following the file style ``fs``."""
    styles = fs.get("text_styles") or ["dot"]
    if fs.get("fmt") == "csv":
        style = rng.choice(styles)
    else:
        style = rng.choice(styles) if rng.random() < fs.get("text_p", 0.0) else "num"
    if style == "num":
        return plain_number(v)
    if style == "dec0":
        return f"{int(v)}.0" if float(v).is_integer() else vn_text(v, "")
    return vn_text(v, {"dot": ".", "space": " ", "plain": ""}[style])


def num_cell(rng, v, fs):
    """A cell of value ``v``, shown as the file style ``fs`` types numbers (Excel number or Vietnamese text)."""
    return Cell(show_number(rng, v, fs), plain_number(v))


def approx_cell(v, word):
    """An approximate cell: ``v`` typed after ``word`` (``trên 1.000``, ``~300``)."""
    if word == "~":
        return Cell("~" + vn_text(v, ""), plain_number(v), approx=True)
    return Cell(f"{word} {vn_text(v, '.')}", plain_number(v), approx=True)


# --------------------------------------------------------------------------
# Sheet building
# --------------------------------------------------------------------------


class Sheet:
    """A grid of cells (row numbers are 1-based, as the spreadsheet shows them)."""

    def __init__(self, name):
        self.name = name
        self.rows = []  # list of {col (1-based): value}
        self.merges = []  # (r1, c1, r2, c2)
        self.bold_rows = set()
        self.date_cells = set()

    def add(self, cells=None):
        """Append a row of ``cells`` (column → value); return its row number."""
        self.rows.append(dict(cells or {}))
        return len(self.rows)

    def blank(self, n=1):
        """Append ``n`` empty rows."""
        for _ in range(n):
            self.add()

    def set(self, r, c, v):
        """Set the cell at row ``r``, column ``c``."""
        self.rows[r - 1][c] = v

    @property
    def width(self):
        """The last column used in any row."""
        return max((max(r) for r in self.rows if r), default=1)


class Table:
    """Physical column positions of the logical columns of a table."""

    def __init__(self, keys, lead=0):
        self.keys = keys  # logical keys; None = blank column
        self.lead = lead
        self.col = {k: lead + i + 1 for i, k in enumerate(keys) if k is not None}

    @property
    def first(self):
        """The table's first physical column."""
        return self.lead + 1

    @property
    def last(self):
        """The table's last physical column."""
        return self.lead + len(self.keys)

    def row(self, values):
        """A sheet row from logical values: each key placed in its column, keys the table lacks left out."""
        return {self.col[k]: v for k, v in values.items() if k in self.col}


def put_title(sh, lines, tbl):
    """Write the title block; ``lines`` is a list of lists of (where, text)."""
    right = max(tbl.first + 3, tbl.last - 3)
    for line in lines:
        cells = {}
        for where, text in line:
            cells[tbl.first if where == "left" else right] = text
        r = sh.add(cells)
        if len(line) == 1 and line[0][0] == "left" and line[0][1].isupper() and "BÁO CÁO" in line[0][1]:
            sh.merges.append((r, tbl.first, r, tbl.last))
            sh.bold_rows.add(r)


def activity_title(agency, year, n):
    """The title block of an agency's Biểu 01 in style ``n`` (0–7 or 10 lines): issuer, motto, title, unit line."""
    rows = {
        1: [("left", AGENCY_NAME[agency]), ("right", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM")],
        2: [("left", "BAN THƯỜNG VỤ" if agency != "LMHTX" else "VĂN PHÒNG"), ("right", "Độc lập - Tự do - Hạnh phúc")],
        3: [
            ("left", f"Số: {(year * 7) % 97:02d}/BC-{agency}"),
            ("right", f"Ninh Bình, ngày 08 tháng 01 năm {year + 1}"),
        ],
        4: [],
        5: [("left", "Biểu 01")],
        6: [("left", f"BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH PHỐI HỢP PHÁT TRIỂN KINH TẾ TẬP THỂ NĂM {year}")],
        7: [("left", f"(Kèm theo báo cáo sơ kết chương trình phối hợp năm {year})")],
        8: [("left", "Đơn vị báo cáo: " + AGENCY_NAME[agency].title().replace("Htx", "HTX"))],
        9: [("right", "Đơn vị tính: buổi, lượt người, tấn, cuốn, tin bài, mô hình")],
        10: [],
    }
    pick = {
        0: [],
        1: [6],
        2: [1, 6],
        3: [1, 6, 9],
        4: [1, 2, 6, 9],
        5: [1, 2, 4, 6, 9],
        6: [1, 2, 4, 6, 7, 9],
        7: [1, 2, 3, 4, 6, 7, 9],
        10: list(range(1, 11)),
    }[n]
    return [rows[i] for i in pick]


def put_header(sh, tbl, labels, two_row):
    """Write a one- or two-row header; returns the header row numbers."""
    if not two_row:
        r = sh.add(tbl.row({k: labels[k] for k in tbl.col}))
        sh.bold_rows.add(r)
        return [r]
    r1, r2 = sh.add(), sh.add()
    sh.bold_rows.update((r1, r2))
    keys = tbl.keys
    i = 0
    while i < len(keys):
        k = keys[i]
        if k is None:
            i += 1
            continue
        lab = labels[k]
        c = tbl.col[k]
        if isinstance(lab, tuple):
            j = i
            while (
                j + 1 < len(keys)
                and keys[j + 1] is not None
                and isinstance(labels[keys[j + 1]], tuple)
                and labels[keys[j + 1]][0] == lab[0]
            ):
                j += 1
            sh.set(r1, c, lab[0])
            if j > i:
                sh.merges.append((r1, c, r1, tbl.col[keys[j]]))
            for t in range(i, j + 1):
                sh.set(r2, tbl.col[keys[t]], labels[keys[t]][1])
            i = j + 1
        else:
            sh.set(r1, c, lab)
            sh.merges.append((r1, c, r2, c))
            i += 1
    return [r1, r2]


def put_colnum(sh, tbl, style):
    """Write the column-number row under the header (``1 2 3``, ``(1) (2)`` or ``A B 1 2``); return its row."""
    cells = {}
    n = 0
    letters = iter("ABCD")
    for k in tbl.keys:
        if k is None:
            continue
        if style == "AB" and k in ("stt", "unit", "name"):
            cells[tbl.col[k]] = next(letters)
            continue
        n += 1
        cells[tbl.col[k]] = f"({n})" if style == "paren" else n
    return sh.add(cells)


def put_footer(sh, tbl, year, note, signers, date_in_unit_col=False, unit_key="unit"):
    """Write the footer under the table: a note, the place and date, the signers' titles and names."""
    left = tbl.col.get(unit_key, tbl.first)
    right = max(tbl.first + 3, tbl.last - 2)
    sh.blank()
    sh.add({left: "Ghi chú: " + note})
    sh.blank()
    sh.add({left if date_in_unit_col else right: f"Ninh Bình, ngày 10 tháng 01 năm {year + 1}"})
    sh.add({left: "Người lập biểu", right: "Thủ trưởng đơn vị"})
    sh.add({left: "(Ký, ghi rõ họ tên)", right: "(Ký tên, đóng dấu)"})
    sh.blank(2)
    sh.add({left: signers[0], right: signers[1]})


# --------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------


def nfd(v):
    """``v`` in NFD (decomposed) when it is text: the form some Vietnamese keyboards and Macs save."""
    return unicodedata.normalize("NFD", v) if isinstance(v, str) else v


def save_xlsx(path, sheets, use_nfd=False):
    """Write ``sheets`` to ``path`` byte-deterministically."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sh in sheets:
        ws = wb.create_sheet(title=nfd(sh.name) if use_nfd else sh.name)
        for r, row in enumerate(sh.rows, start=1):
            for c in sorted(row):
                v = row[c]
                if v is None or v == "":
                    continue
                if use_nfd:
                    v = nfd(v)
                cell = ws.cell(row=r, column=c, value=v)
                if isinstance(v, dt.date):
                    cell.number_format = "dd/mm/yyyy"
                if r in sh.bold_rows:
                    cell.font = Font(bold=True)
                if isinstance(v, str) and "\n" in v:
                    cell.alignment = Alignment(wrap_text=True, vertical="center")
        for r1, c1, r2, c2 in sh.merges:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    wb.properties.creator = "make_sample_returns.py (SYNTHETIC sample data)"
    wb.properties.lastModifiedBy = "make_sample_returns.py"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.save(path)
    normalise_zip(path)


def normalise_zip(path):
    """Rewrite the xlsx container with fixed timestamps (openpyxl stamps 'now')."""
    with zipfile.ZipFile(path) as zin:
        items = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in items:
            if name == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rf"\g<1>{stamp}\g<2>", text)
                text = re.sub(r"(<dcterms:created[^>]*>)[^<]*(</dcterms:created>)", rf"\g<1>{stamp}\g<2>", text)
                data = text.encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)


def encode_cp1258(text):
    """Encode Vietnamese text to Windows-1258 (tone marks as combining characters where needed)."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        # cp1258 has the letters with circumflex, breve and horn, and the five tone marks as
        # combining characters: compose the former, keep the latter separate.
        modifiers = "".join(m for m in d[1:] if m in "\u0302\u0306\u031b")
        tones = "".join(m for m in d[1:] if m not in "\u0302\u0306\u031b")
        try:
            out += unicodedata.normalize("NFC", d[0] + modifiers).encode("cp1258") + tones.encode("cp1258")
        except UnicodeEncodeError:
            raise ValueError(f"cannot encode {ch!r} in cp1258") from None
    data = bytes(out)
    assert unicodedata.normalize("NFC", data.decode("cp1258")) == unicodedata.normalize("NFC", text)
    return data


def save_csv(path, sh, encoding, delim):
    """Write one sheet as CSV in ``encoding`` (Windows-1258 with CRLF, or UTF-8, BOM or not), ``delim``-separated."""
    width = sh.width
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delim, lineterminator="\r\n" if encoding == "cp1258" else "\n")
    for row in sh.rows:
        vals = []
        for c in range(1, width + 1):
            v = row.get(c, "")
            if isinstance(v, dt.date):
                raise TypeError("no date cells in CSV")
            v = "" if v is None else str(v)
            assert "\n" not in v, v
            vals.append(v)
        writer.writerow(vals)
    text = buf.getvalue()
    data = encode_cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    path.write_bytes(data)


def write_sheets(path, sheets, fs, manifest):
    """Write a return's sheets as the file style says (CSV or xlsx, NFD or not); note its encoding in the manifest."""
    if fs.get("fmt") == "csv":
        assert len(sheets) == 1
        save_csv(path, sheets[0], fs["enc"], fs["delim"])
    else:
        save_xlsx(path, sheets, use_nfd=fs.get("nfd", False))
    manifest["encoding"] = fs.get("enc") if fs.get("fmt") == "csv" else None
    manifest["nfd"] = bool(fs.get("nfd", False))


# --------------------------------------------------------------------------
# Helpers for numbers
# --------------------------------------------------------------------------


def allocate(rng, total, units, weights, jitter=0.3):
    """Split the integer ``total`` over ``units`` (largest remainder)."""
    if not units:
        assert total == 0
        return {}
    w = [weights[u] * (1 + rng.uniform(-jitter, jitter)) for u in units]
    s = sum(w)
    raw = [total * x / s for x in w]
    fl = [math.floor(x) for x in raw]
    rem = int(round(total - sum(fl)))
    order = sorted(range(len(units)), key=lambda i: (-(raw[i] - fl[i]), i))
    for i in order[:rem]:
        fl[i] += 1
    return dict(zip(units, fl, strict=True))


def agency_total(rng, year, agency, ind):
    """Total of an indicator for one agency and year."""
    share = SPLIT_2017[ind]
    if agency not in share:
        return 0
    if year == 2017:
        return share[agency]
    if ind in SMALL:
        tot = SMALL[ind][year]
        if len(share) == 1:
            return tot
        s = sum(share.values())
        base = {a: tot * v / s for a, v in share.items()}
        return max(0, int(round(base[agency] * rng.uniform(0.85, 1.15))))
    return int(round(share[agency] * YEAR_FACTOR[year] * rng.uniform(0.92, 1.08)))


# --------------------------------------------------------------------------
# Biểu 01 — activities
# --------------------------------------------------------------------------


def design_activities(rng, year, agency, fs):
    """Values of the accepted rows: {unit: {indicator: value}} and the approximate marks."""
    inds = AGENCY_INDICATORS[agency]
    excluded = [r["unit"] for r in fs.get("rejects", []) if r["kind"] in ("cell", "typo")]
    has_tinh = fs.get("tinh") is not None
    districts = [d for d in DISTRICTS if d not in excluded]
    values = {u: {} for u in (districts + (["TINH"] if has_tinh else []))}
    fixed_display = {}
    for ind in inds:
        total = agency_total(rng, year, agency, ind)
        fixed = published_2017(year, agency, ind, fixed_display)
        rest = total - sum(fixed.values())
        assert float(rest).is_integer(), (agency, ind, rest)
        rest = int(rest)
        tinh_part = tinh_share(rng, agency, ind, rest) if has_tinh and "TINH" not in fixed else 0
        if ind == "safe_produce_shops" and year > 2017:
            weights = {d: (6.0 if d in ("369", "370") else 0.4) for d in DISTRICTS}
        else:
            weights = DISTRICT_WEIGHT
        dist_units = [d for d in districts if d not in fixed]
        parts = allocate(rng, rest - tinh_part, dist_units, weights)
        if has_tinh:
            parts["TINH"] = fixed.get("TINH", tinh_part)
        for u, v in fixed.items():
            parts[u] = v
        for u in values:
            values[u][ind] = parts.get(u, 0)
        if ind == "deferred_fertilizer_t" and year > 2017:
            add_fractions(rng, values, districts, ind)
    approx = {}
    for u, ind, word in fs.get("approx", []):
        v = values[u][ind]
        if v >= 50:
            v = int(round(v / 10.0) * 10)
            values[u][ind] = v
        approx[(u, ind)] = word
    return values, fixed_display, approx


def published_2017(year, agency, ind, fixed_display):
    """The units whose 2017 value of ``ind`` is published (unit → value); their display goes into ``fixed_display``."""
    fixed = {}
    if year == 2017:
        for (a, u, i), (v, shown) in FIXED_2017.items():
            if a == agency and i == ind:
                fixed[u] = v
                fixed_display[(u, ind)] = shown
    return fixed


def tinh_share(rng, agency, ind, rest):
    """The provincial office's part of ``rest`` (all of it, a share of it, or nothing)."""
    share = TINH_SHARE.get(ind, 0.0)
    if ind == "newsletters_issued":
        share = 0.6 if agency == "HND" else 1.0
    if share >= 1.0:
        return rest
    if share > 0:
        return int(round(rest * share * rng.uniform(0.8, 1.2)))
    return 0


def add_fractions(rng, values, districts, ind):
    """Move two districts' values off whole numbers (+0.5, -0.25): fractions of .5/.25 keep float sums exact."""
    us = [u for u in districts if values[u][ind] > 10]
    if len(us) >= 2:
        a, b = rng.sample(us, 2)
        values[a][ind] += 0.5
        values[b][ind] -= 0.25


TINH_OUT_OF_SCOPE = (
    "deferred_fertilizer_t",
    "clean_food_models",
    "safe_produce_shops",
    "htx_brand_support",
    "new_htx_guided",
    "new_tht_guided",
    "effective_models",
)
"""Indicators the provincial office does not carry out itself: its cell is "not applicable" when zero."""


def build_activities(rng, year, agency, fs):
    """Build the sheet(s) of one Biểu 01 file and its manifest."""
    values, fixed_display, approx = design_activities(rng, year, agency, fs)
    inds = activity_columns(rng, agency, fs)
    labels = activity_labels(fs)
    tbl = Table(activity_keys(fs, inds), lead=fs.get("lead", 0))
    sh = Sheet(fs.get("sheet", "Sheet1"))
    sh.blank(fs.get("top_blank", 0))
    put_title(sh, activity_title(agency, year, fs["title"]), tbl)
    if fs["title"] in (3, 5, 7):
        sh.blank()
    put_header(sh, tbl, labels, bool(fs.get("two_row")))
    if fs.get("colnum"):
        put_colnum(sh, tbl, fs["colnum"])
    cells = ActivityCells(rng, agency, fs, inds, fixed_display, approx)
    entries = activity_entries(rng, agency, fs, values, cells)
    totals_cells, disagree = activity_totals(rng, fs, inds, entries)
    manifest = dict(
        template="01",
        agency=agency,
        data_rows_accepted=0,
        rejected_rows=[],
        totals_rows=[],
        totals_disagree=disagree,
        sheet=sh.name,
        rows={},
        reasons={},
    )
    if totals_cells and fs["totals"][0] == "first":
        put_activity_totals(sh, tbl, fs, totals_cells, manifest)
    put_activity_rows(rng, sh, tbl, fs, entries, manifest, (year, agency))
    if totals_cells and fs["totals"][0] == "last":
        put_activity_totals(sh, tbl, fs, totals_cells, manifest)
    if fs.get("footer"):
        signers = [
            PEOPLE[(year + AGENCIES.index(agency) * 3) % len(PEOPLE)],
            PEOPLE[(year * 5 + AGENCIES.index(agency)) % len(PEOPLE)],
        ]
        put_footer(
            sh,
            tbl,
            year,
            "Số liệu cấp tỉnh là kết quả do cơ quan tỉnh trực tiếp thực hiện.",
            signers,
            date_in_unit_col=fs.get("date_in_unit_col", False),
        )
    if fs.get("pre_sheet"):
        return [instructions_sheet(fs["pre_sheet"]), sh], manifest
    return [sh], manifest


def activity_columns(rng, agency, fs):
    """The indicator columns of a Biểu 01 file, in the file's order (a "not applicable" column appended)."""
    inds = list(AGENCY_INDICATORS[agency])
    if fs.get("na_col"):
        inds.append(fs["na_col"])
    order = fs.get("order", "std")
    if order == "rev":
        inds = inds[:2] + inds[2:][::-1]
    elif order == "shuffle":
        head, tail = inds[:2], inds[2:]
        rng.shuffle(tail)
        inds = head + tail
    return inds


def activity_labels(fs):
    """The header label of every column of a Biểu 01 file, in the file's spelling (one or two header rows)."""
    labels = dict(LABELS[fs["labels"]])
    two_row = fs.get("two_row")
    if two_row:
        labels.update(TWO_ROW)
        labels["tech_transfer_attendance"] = TWO_ROW_TT[two_row]
    if fs.get("fmt") == "csv":
        labels = {k: v.replace("\n", " ") for k, v in labels.items()}
    labels.update({"stt": "STT", "unit": fs["unit_label"], "note": "Ghi chú"})
    return labels


def activity_keys(fs, inds):
    """The logical columns of a Biểu 01 table, left to right (``None``: a blank column)."""
    keys = (["stt"] if fs.get("stt") else []) + ["unit"]
    for ind in inds:
        keys.append(ind)
        if fs.get("blank_col_after") == ind:
            keys.append(None)
    if fs.get("note_col"):
        keys.append("note")
    return keys


class ActivityCells:
    """Writes the cells of one row of a Biểu 01 file as its agency would type them."""

    def __init__(self, rng, agency, fs, inds, fixed_display, approx):
        self.rng, self.agency, self.fs, self.inds = rng, agency, fs, inds
        self.fixed_display, self.approx = fixed_display, approx
        self.zero_tokens = fs.get("zero_tokens", [0])

    def row(self, unit, vals):
        """The cells of ``unit``'s row, ``vals`` its values: published figures as published, zeros and gaps typed."""
        return {ind: self.cell(unit, ind, vals.get(ind, 0)) for ind in self.inds}

    def cell(self, unit, ind, v):
        """One cell: "not applicable" for the file's empty column, else the value as the agency typed it."""
        if ind == self.fs.get("na_col"):
            return na_cell("-")
        key = (unit, ind)
        if unit == "TINH":
            in_scope = ind not in TINH_OUT_OF_SCOPE
        else:
            in_scope = ind != "newsletters_issued" or self.agency == "HND"
        if key in self.fixed_display:
            shown = self.fixed_display[key]
            return Cell(shown, plain_number(v), approx=isinstance(shown, str) and not shown[0].isdigit())
        if key in self.approx:
            return approx_cell(v, self.approx[key])
        if v == 0 and not in_scope:
            return na_cell(self.rng.choice(NA_TOKENS))
        if v == 0:
            tok = self.rng.choice(self.zero_tokens)
            return Cell(tok, 0) if tok == 0 else na_cell(tok)
        return num_cell(self.rng, v, self.fs)


def activity_entries(rng, agency, fs, values, cells):
    """The rows of a Biểu 01 table in order: ``(kind, label, cells, reason, unit)``, rejected rows among the data."""
    names = DISTRICT_STYLES[fs["names"]]
    units = [d for d in DISTRICTS if d in values]
    if fs.get("tinh"):
        units = (["TINH", *units]) if fs["tinh"][0] == "first" else ([*units, "TINH"])
    entries = []  # (kind, unit_label, cells, reason, unit)
    for u in units:
        label = fs["tinh"][1] if u == "TINH" else names[u]
        entries.append(("data", label, cells.row(u, values[u]), None, u))
    for rej in fs.get("rejects", []):
        inds_vals = {}
        for ind in AGENCY_INDICATORS[agency]:
            ref = sum(values[d].get(ind, 0) for d in values if d != "TINH") / max(1, len(values) - 1)
            inds_vals[ind] = int(round(ref * (0.15 if rej["kind"] == "unit" else rng.uniform(0.8, 1.2))))
        row_cells = cells.row("X", inds_vals)
        label, pos = rejected_place(rej, entries, names)
        if rej["kind"] == "cell":
            row_cells[rej["ind"]] = Cell(rej["token"], None, bad=True)
        entries.insert(pos, ("rejected", label, row_cells, rej["reason"], None))
    return entries


def rejected_place(rej, entries, names):
    """The label of a rejected Biểu 01 row and where it goes among ``entries`` (after the district it follows)."""
    if rej["kind"] == "cell":
        label = names[rej["unit"]]
        if rej["unit"] == "369":
            return label, 0
        previous = DISTRICTS[DISTRICTS.index(rej["unit"]) - 1]
        return label, next(i for i, e in enumerate(entries) if e[4] == previous) + 1
    if rej["kind"] == "typo":
        previous = DISTRICTS[DISTRICTS.index(rej["unit"]) - 1]
        return rej["label"], next(i for i, e in enumerate(entries) if e[4] == previous) + 1
    return rej["label"], next(i for i, e in enumerate(entries) if e[4] == rej["after"]) + 1


def activity_totals(rng, fs, inds, entries):
    """The totals row's cells (``None`` without one) and whether it deliberately disagrees with the rows."""
    if not fs.get("totals"):
        return None, False
    totals_cells = {}
    disagree = False
    for ind in inds:
        vals = [e[2][ind].value for e in entries if e[0] == "data" and e[2][ind].value is not None]
        if not vals:
            totals_cells[ind] = na_cell("")
            continue
        s = sum(vals)
        if fs.get("disagree") and fs["disagree"][0] == ind:
            s += fs["disagree"][1]
            disagree = True
        totals_cells[ind] = Cell(show_number(rng, s, fs), plain_number(s))
    return totals_cells, disagree


def put_activity_totals(sh, tbl, fs, totals_cells, manifest):
    """Write the totals row, in bold, and note its row in the manifest."""
    r = sh.add(tbl.row(dict({"unit": fs["totals"][1]}, **{k: c.show for k, c in totals_cells.items()})))
    sh.bold_rows.add(r)
    manifest["totals_rows"].append(r)


def put_activity_rows(rng, sh, tbl, fs, entries, manifest, where):
    """Write the data and rejected rows (numbered, a note now and then) and record each in the manifest."""
    for stt, (kind, label, cells, reason, unit) in enumerate(entries, start=1):
        row = {"unit": label}
        if fs.get("stt"):
            row["stt"] = stt
        row.update({k: c.show for k, c in cells.items()})
        if fs.get("note_col") and kind == "data" and rng.random() < 0.3:
            row["note"] = rng.choice(["Số liệu ước tính", "Đã rà soát", "Gồm cả các xã"])
        r = sh.add(tbl.row(row))
        manifest["rows"][r] = (kind, unit, cells)
        if kind == "data":
            manifest["data_rows_accepted"] += 1
            assert any(c.value is not None for c in cells.values()), (*where, label)
        else:
            manifest["rejected_rows"].append(r)
            manifest["reasons"][r] = reason
        if fs.get("blank_row_after") == stt:
            sh.blank()


def instructions_sheet(name):
    """A sheet of filling instructions placed before the return's sheet (the reader must skip it)."""
    pre = Sheet(name)
    pre.add({1: "HƯỚNG DẪN GHI BIỂU"})
    pre.add({1: "1. Mỗi huyện, thành phố ghi một dòng; số liệu do cơ quan tỉnh thực hiện ghi ở dòng Cấp tỉnh."})
    pre.add({1: "2. Đơn vị không thực hiện chỉ tiêu nào thì để trống."})
    pre.add({1: "Ví dụ:", 2: 12, 3: 350})
    return pre


# --------------------------------------------------------------------------
# Biểu 02 — the register
# --------------------------------------------------------------------------


class HTX:
    """One cooperative of the simulated register: its fixed traits and its state (inactive, dissolved)."""

    def __init__(self, **kw):
        self.__dict__.update(kw)


def random_date(rng, year):
    """A random day of ``year``."""
    start = dt.date(year, 1, 1)
    return start + dt.timedelta(days=rng.randrange(365))


def simulate_register(rng):
    """One HTX population evolving 2017-2022; returns {year: [yearly records]}."""
    sim = RegisterSimulation(rng)
    sim.seed_population()
    new_by_year = sim.new_by_year()
    per_year = {}
    for y in YEARS:
        if y > 2017:
            sim.change_states(y)
        for d in sorted(new_by_year[y]):
            sim.pop.append(sim.make(d, random_date(rng, y), True))
        sim.date_dissolutions(y)
        recs = []
        for h in sim.pop:
            if h.founded.year > y or (h.dissolved is not None and h.dissolved < y):
                continue
            recs.append(year_record(rng, h, y))
        rate(rng, recs, y)
        per_year[y] = recs
    return per_year


class RegisterSimulation:
    """The HTX population of the sample province, drawn from one random generator (the draws' order is the data)."""

    def __init__(self, rng):
        self.rng = rng
        self.used_names = set()
        self.used_regs = set()
        self.pop = []

    def new_reg(self, founded_year):
        """A registration number not used yet (old cooperatives often keep the pre-2005 series)."""
        rng = self.rng
        while True:
            if founded_year < 2005 and rng.random() < 0.5:
                reg = "0907" + f"{rng.randrange(100, 999999):06d}"
            else:
                reg = "2707" + f"{rng.randrange(100, 999999):06d}"
            if reg not in self.used_regs:
                self.used_regs.add(reg)
                return reg

    def make(self, district, founded, new_style):
        """A new cooperative of ``district`` founded on ``founded`` (``new_style``: founded under the 2012 law)."""
        rng = self.rng
        sector = rng.choices([s for s, _ in SECTOR_P], [p for _, p in SECTOR_P])[0]
        if sector == "credit" and founded.year < 1994:
            founded = random_date(rng, rng.randint(1994, 2005))  # people's credit funds date from 1993
        communes = COMMUNES[district]
        commune = rng.choice(communes)
        key = "agriculture_new" if (sector == "agriculture" and new_style and rng.random() < 0.7) else sector
        name = self.unique_name(rng.choice(NAME_TEMPLATES[key]).format(c=commune), commune, key)
        self.used_names.add(name)
        is_ward = district in WARDS and communes.index(commune) >= len(communes) - WARDS[district]
        members, workers, rev = self.size(sector, new_style)
        return HTX(
            reg_no=self.new_reg(founded.year),
            name=name,
            district=district,
            commune=commune,
            is_ward=is_ward,
            sector=sector,
            founded=founded,
            q=rng.random(),
            members0=members,
            workers0=workers,
            rev0=min(rev, 19000.0),
            margin=rng.uniform(0.03, 0.12),
            capital=int(round(rng.uniform(100, 3000), -1)),
            inactive=False,
            inactive_text="",
            dissolved=None,
            dissolved_date=None,
            sector_variant=rng.random(),
        )

    def unique_name(self, name, commune, key):
        """``name``, or a variant of it not used yet (a hamlet added, else a number)."""
        if name not in self.used_names:
            return name
        for h in HAMLETS:
            cand = name.replace(commune, f"{h} {commune}", 1) if key.startswith("agri") else f"{name} {h}"
            if cand not in self.used_names:
                return cand
        n = 2
        while f"{name} {n}" in self.used_names:
            n += 1
        return f"{name} {n}"

    def size(self, sector, new_style):
        """Members, workers and revenue (million VND) of a new cooperative of ``sector``."""
        rng = self.rng
        agri = sector == "agriculture"
        if sector == "credit":
            members = rng.triangular(150, 600, 300)
        elif agri:
            members = rng.triangular(40, 200, 70) if new_style else rng.triangular(60, 380, 110)
        else:
            members = rng.triangular(7, 150, 20)
        workers = rng.triangular(3, 30, 8) if agri else rng.triangular(5, 60, 15)
        rev = math.exp(rng.gauss(math.log(1050 if agri else 1500), 0.95 if agri else 1.1))
        return members, workers, rev

    def old_founded(self):
        """A founding date before 2017, in the eras of the cooperative laws."""
        rng = self.rng
        era = rng.choices(["old", "law96", "mid", "law12"], [8, 45, 30, 17])[0]
        y = {
            "old": rng.randint(1959, 1979),
            "law96": rng.randint(1997, 2000),
            "mid": rng.randint(2001, 2013),
            "law12": rng.randint(2014, 2016),
        }[era]
        return random_date(rng, y)

    def seed_population(self):
        """The cooperatives alive at 1/1/2017, some inactive, and those dissolved in 2017."""
        rng, pop = self.rng, self.pop
        for d in DISTRICTS:
            n = HTX_2017[d] - NEW_2017[d] + DISSOLVED_2017_DISTRICTS.count(d)
            for _ in range(n):
                pop.append(self.make(d, self.old_founded(), False))
        for h in pop:
            if rng.random() < 0.09:
                h.inactive = True
                h.inactive_text = rng.choice(["Ngừng hoạt động", "Tạm ngừng"])
        for d in DISSOLVED_2017_DISTRICTS:
            cands = [h for h in pop if h.district == d and h.dissolved is None]
            cands.sort(key=lambda h: (not h.inactive, h.reg_no))
            h = cands[0]
            h.dissolved = 2017

    def new_by_year(self):
        """The districts of the cooperatives founded each year (year → one district per new cooperative)."""
        rng = self.rng
        new_by_year = {2017: [d for d in DISTRICTS for _ in range(NEW_2017[d])]}
        tokens = [d for d in DISTRICTS for _ in range(NEW_2018_2020.get(d, 0))]
        rng.shuffle(tokens)
        new_by_year[2018] = tokens[:17]
        new_by_year[2019] = tokens[17:35]
        new_by_year[2020] = tokens[35:]
        for y in (2021, 2022):
            new_by_year[y] = rng.choices(DISTRICTS, [NEW_WEIGHT_LATE[d] for d in DISTRICTS], k=NEW_TOTAL[y])
        assert [len(new_by_year[y]) for y in YEARS] == [22, 17, 18, 20, 43, 45]
        return new_by_year

    def change_states(self, y):
        """Year ``y`` after 2017: some cooperatives pause or resume, and ``DISSOLVED[y]`` of them are dissolved."""
        rng = self.rng
        alive = [h for h in self.pop if h.dissolved is None]
        for h in alive:
            if h.inactive and rng.random() < 0.15:
                h.inactive, h.inactive_text = False, ""
            elif not h.inactive and rng.random() < 0.025:
                h.inactive, h.inactive_text = True, rng.choice(["Ngừng hoạt động", "Tạm ngừng"])
        weights = [8.0 if h.inactive else 1.0 for h in alive]
        chosen = []
        while len(chosen) < DISSOLVED[y]:
            h = rng.choices(alive, weights)[0]
            if h not in chosen:
                chosen.append(h)
        for h in chosen:
            h.dissolved = y

    def date_dissolutions(self, y):
        """Give the cooperatives dissolved in ``y`` a date and the words their status is typed with."""
        for h in self.pop:
            if h.dissolved == y and h.dissolved_date is None:
                h.dissolved_date = random_date(self.rng, y)
                h.dissolved_text = self.rng.choice(["Giải thể", "Đã giải thể"])


def year_record(rng, h, y):
    """The register row of cooperative ``h`` in year ``y``: status, members, workers, revenue and profit."""
    is_new = h.founded.year == y
    dissolved = h.dissolved == y
    growth = 1.04 ** (y - 2017)
    members = int(round(h.members0 * (1.01 ** (y - 2017)) * rng.uniform(0.97, 1.03)))
    workers = int(round(h.workers0 * rng.uniform(0.9, 1.1)))
    revenue = profit = None
    if dissolved:
        status = h.dissolved_text
        if rng.random() < 0.5:
            revenue = 0
    elif h.inactive:
        status = h.inactive_text
        if rng.random() < 0.5:
            revenue = int(round(h.rev0 * 0.1))
            profit = -int(round(rng.uniform(5, 60)))
    else:
        status = "Đang hoạt động"
        if is_new:
            if rng.random() < 0.6:
                revenue = int(round(h.rev0 * rng.uniform(0.1, 0.4)))
                profit = int(round(max(2, revenue * h.margin)))
        elif rng.random() < 0.97:
            revenue = int(round(min(20000, h.rev0 * growth * math.exp(rng.gauss(0, 0.15)))))
            if rng.random() < 0.07:
                profit = -int(round(rng.uniform(10, 200)))
            else:
                profit = int(round(min(800, max(8, revenue * h.margin))))
            if rng.random() < 0.05 and revenue < 20000:
                revenue += 0.5
    return dict(
        htx=h,
        year=y,
        status=status,
        is_new=is_new,
        dissolved=dissolved,
        active=(status == "Đang hoạt động"),
        members=members,
        workers=workers,
        capital=h.capital,
        revenue=revenue,
        profit=profit,
        rating="",
    )


def rate(rng, recs, y):
    """Rate the cooperatives of year ``y``: the share rated Tốt or Khá is ``GOOD_SHARE[y]``, by a hidden quality."""
    rated = []
    n_inactive_rated = 0
    for r in recs:
        outcome = first_rating(rng, r)
        if outcome == "scored":
            rated.append(r)
        elif outcome == "inactive_rated":
            n_inactive_rated += 1
    n_good = int(round(GOOD_SHARE[y] * (len(rated) + n_inactive_rated)))
    rated.sort(key=lambda r: -r["score"])
    n_top = int(round(n_good * 0.4))
    rest = len(rated) - n_good
    n_avg = int(round(rest * 0.8))
    for i, r in enumerate(rated):
        if i < n_top:
            r["rating"] = "Tốt"
        elif i < n_good:
            r["rating"] = "Khá"
        elif i < n_good + n_avg:
            r["rating"] = "Trung bình"
        else:
            r["rating"] = "Yếu"


def first_rating(rng, r):
    """Rate a record that is new, dissolved, inactive or unrated at once; give the others a score.

    Returns:
        ``"scored"`` for a record to be graded by its score, ``"inactive_rated"``
        for an inactive one rated Yếu (it counts among the rated), else ``None``.
    """
    if r["is_new"]:
        r["rating"] = "Chưa xếp loại" if rng.random() < 0.85 else ""
    elif r["dissolved"]:
        r["rating"] = "Yếu" if rng.random() < 0.3 else ""
    elif not r["active"]:
        if rng.random() < 0.6:
            r["rating"] = "Yếu"
            return "inactive_rated"
        r["rating"] = ""
    elif rng.random() < 0.94:
        r["score"] = r["htx"].q + rng.gauss(0, 0.08)
        return "scored"
    else:
        r["rating"] = rng.choice(["", "Chưa xếp loại"])
    return None


def show_date(rng, d, forms, is_csv):
    """Date ``d`` as the file types it, one of ``forms`` by weight (an Excel date or a year number not in CSV)."""
    names = [f for f in forms if not (is_csv and f in ("date", "yint"))]
    f = rng.choices(names, [forms[n] for n in names])[0]
    return {
        "date": d,
        "dmy": d.strftime("%d/%m/%Y"),
        "dmy_dash": d.strftime("%d-%m-%Y"),
        "iso": d.strftime("%Y-%m-%d"),
        "my": d.strftime("%m/%Y"),
        "y": str(d.year),
        "yint": d.year,
    }[f]


REGISTER_TITLE_LINES = {2: [0, 2], 3: [0, 2, 4], 4: [0, 1, 2, 4], 5: [0, 1, 2, 3, 4], 6: [0, 1, 2, 3, 4, 5]}
"""The lines of the register's title block each file style uses (``fs["title"]`` → line indexes)."""
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


def build_register(rng, year, recs, fs, used_regs):
    """Build the sheet(s) of one Biểu 02 file (the register at 31/12) and its manifest."""
    keys = [k for k, _ in fs["cols"]]
    labels = dict(fs["cols"])
    if fs.get("fmt") == "csv":
        labels = {k: v.replace("\n", " ") for k, v in labels.items()}
    tbl = Table(keys, lead=fs.get("lead", 0))
    sh = Sheet(fs.get("sheet", "Sheet1"))
    sh.blank(fs.get("top_blank", 0))
    title = [
        [("left", "LIÊN MINH HỢP TÁC XÃ TỈNH NINH BÌNH"), ("right", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM")],
        [("left", "Biểu 02")],
        [("left", f"DANH SÁCH HỢP TÁC XÃ TRÊN ĐỊA BÀN TỈNH NINH BÌNH (ĐẾN 31/12/{year})")],
        [("left", f"(Kèm theo báo cáo tình hình phát triển kinh tế tập thể năm {year})")],
        [("right", "Đơn vị tính: người, triệu đồng")],
        [],
    ]
    put_title(sh, [title[i] for i in REGISTER_TITLE_LINES[fs["title"]]], tbl)
    put_header(sh, tbl, labels, False)
    if fs.get("colnum"):
        put_colnum(sh, tbl, fs["colnum"])
    recs = register_order(recs, fs)
    entries = [("data", r) for r in recs]
    add_extra_cooperatives(rng, year, fs, entries, used_regs)
    if fs.get("sectioned"):
        # section rows carry the district; rows must then be grouped by district
        order = {d: i for i, d in enumerate(DISTRICTS)}
        entries.sort(key=lambda e: order[e[1]["htx"].district])  # stable: keeps the order inside a district
    manifest = dict(
        template="02",
        agency=None,
        data_rows_accepted=0,
        rejected_rows=[],
        totals_rows=[],
        totals_disagree=False,
        sheet=sh.name,
        rows={},
        reasons={},
    )
    sums = put_register_rows(rng, sh, tbl, year, fs, labels, entries, manifest)
    if fs.get("totals"):
        rn = sh.add(tbl.row({"name": fs["totals"][1], **{f: plain_number(v) for f, v in sums.items()}}))
        sh.bold_rows.add(rn)
        manifest["totals_rows"].append(rn)
    if fs.get("footer"):
        put_footer(
            sh,
            tbl,
            year,
            "Danh sách gồm cả các HTX giải thể trong năm.",
            [PEOPLE[year % len(PEOPLE)], PEOPLE[(year + 4) % len(PEOPLE)]],
            unit_key="name",
        )
    if fs.get("pre_sheet"):
        return [register_summary_sheet(fs["pre_sheet"], year, recs), sh], manifest
    return [sh], manifest


def register_order(recs, fs):
    """The register's records in the file's order: by commune, district, registration number or name."""
    sort = fs["sort"]
    if sort == "commune":
        return sorted(recs, key=lambda r: (DISTRICTS.index(r["htx"].district), r["htx"].commune, r["htx"].name))
    if sort == "reg_no":
        return sorted(recs, key=lambda r: r["htx"].reg_no)
    if sort == "district" or fs.get("sectioned"):
        return sorted(recs, key=lambda r: (DISTRICTS.index(r["htx"].district), r["htx"].name))
    return sorted(recs, key=lambda r: r["htx"].name)


def add_extra_cooperatives(rng, year, fs, entries, used_regs):
    """Insert the file's deliberately rejected rows (extra cooperatives, not of the population) among ``entries``."""
    for kind in fs["extras"]:
        d = rng.choice(DISTRICTS)
        commune = rng.choice(COMMUNES[d])
        base = extra_cooperative(rng, year, d, commune, kind, used_regs)
        reason = EXTRA_REASON[kind].format(reg_no=base["htx"].reg_no)
        if kind == "dup":
            twin = dict(base)
            twin["htx"] = HTX(**dict(base["htx"].__dict__))
            other = rng.choice([c for c in COMMUNES[d] if c != commune])
            twin["htx"].name = f"HTX nông nghiệp sạch {other}"
            twin["htx"].commune = other
            pos1 = rng.randrange(1, len(entries))
            entries.insert(pos1, ("rejected", dict(base, reason=reason)))
            pos2 = rng.randrange(1, len(entries))
            entries.insert(pos2, ("rejected", dict(twin, reason=reason)))
            continue
        entries.insert(rng.randrange(1, len(entries)), ("rejected", dict(base, reason=reason)))


def extra_cooperative(rng, year, d, commune, kind, used_regs):
    """The record of an extra cooperative of ``d``/``commune`` whose row is made faulty as ``kind`` says."""
    while True:
        reg = "2707" + f"{rng.randrange(100, 999999):06d}"
        if reg not in used_regs:
            used_regs.add(reg)
            break
    return dict(
        htx=HTX(
            reg_no=reg,
            name=f"HTX dịch vụ nông nghiệp và thương mại {commune}",
            district=d,
            commune=commune,
            is_ward=False,
            sector="other",
            sector_variant=0.0,
            founded=random_date(rng, rng.randint(2005, year - 1)),
        ),
        year=year,
        status="Đang hoạt động",
        is_new=False,
        dissolved=False,
        active=True,
        members=int(rng.uniform(20, 120)),
        workers=int(rng.uniform(3, 15)),
        capital=int(round(rng.uniform(100, 800), -1)),
        revenue=int(rng.uniform(300, 1500)),
        profit=int(rng.uniform(10, 80)),
        rating="Trung bình",
        extra=kind,
    )


def put_register_rows(rng, sh, tbl, year, fs, labels, entries, manifest):
    """Write the register's rows (with district section rows when sectioned); return the sums of the data rows."""
    names = DISTRICT_STYLES.get(fs.get("names", "official"))
    current = None
    stt = 0
    sums = {"members": 0, "workers": 0, "revenue": 0, "profit": 0}
    for kind, r in entries:
        h = r["htx"]
        if fs.get("sectioned") and h.district != current:
            current = h.district
            put_section_row(sh, tbl, fs, current)
            stt = 0
        stt += 1
        rn = sh.add(tbl.row(register_row(rng, r, stt, year, fs, tbl.keys, labels, names)))
        if kind == "data":
            manifest["data_rows_accepted"] += 1
            manifest["rows"][rn] = ("data", r)
            for f in sums:
                if r[f] is not None:
                    sums[f] += r[f]
        else:
            manifest["rejected_rows"].append(rn)
            manifest["reasons"][rn] = r["reason"]
    return sums


def put_section_row(sh, tbl, fs, district):
    """Write the bold section row that opens a district's cooperatives (``I. Thành phố Ninh Bình`` or ``1.``)."""
    k = DISTRICTS.index(district)
    marker = ROMAN[k] if fs["sectioned"] == "roman" else f"{k + 1}."
    sec_name = (DISTRICT_STYLES["official"] if fs["section_names"] == "official" else SECTIONS_2020)[district]
    rr = sh.add(tbl.row({"stt": marker, "name": sec_name}))
    sh.bold_rows.add(rr)


def register_row(rng, r, stt, year, fs, keys, labels, names):
    """The cells of one cooperative's row, typed as the file's style says; an extra row gets its fault."""
    is_csv = fs.get("fmt") == "csv"
    h = r["htx"]
    row = {"stt": stt, "name": h.name, "reg_no": h.reg_no}
    if fs.get("reg_no_numeric") and not h.reg_no.startswith("0"):
        row["reg_no"] = int(h.reg_no)
    if "district" in keys:
        row["district"] = names[h.district]
    row["commune"] = commune_text(h, labels)
    variants = SECTOR_TEXT[h.sector]
    row["sector"] = variants[0] if h.sector_variant < 0.5 or len(variants) == 1 else variants[1]
    if h.sector == "industry" and year == 2019:
        row["sector"] = "Tiểu thủ công nghiệp"
    row["founded"] = show_date(rng, h.founded, fs["founded_forms"], is_csv)
    row["status"] = r["status"]
    if r["dissolved"]:
        row["dissolved"] = show_date(rng, h.dissolved_date, fs["dissolved_forms"], is_csv)
    for f in ("members", "workers", "capital", "revenue", "profit"):
        row[f] = register_number(rng, r[f], f, fs, is_csv)
    row["rating"] = r["rating"]
    if "note" in keys and rng.random() < 0.08:
        row["note"] = rng.choice(["Thành lập mới", "Chuyển đổi theo Luật HTX 2012", "Đang làm thủ tục"])
    if "director" in keys:
        row["director"] = PEOPLE[(hash_str(h.name)) % len(PEOPLE)]
    row.update(EXTRA_FAULTS.get(r.get("extra"), {}))
    return row


EXTRA_FAULTS = {
    "noname": {"name": ""},
    "badfounded": {"founded": "năm ngoái"},
    "baddistrict": {"district": "Huyện Ý Yên"},
    "negmembers": {"members": "-45"},
}
"""The cell an extra cooperative's fault overwrites (the other extras are faulty by their registration number)."""


def commune_text(h, labels):
    """The commune cell: the commune alone, or a full address when the column is headed "Địa chỉ"."""
    if not labels.get("commune", "").startswith(("Địa chỉ", "ĐỊA CHỈ")):
        return h.commune
    prefix = "Phường" if h.is_ward else "Xã"
    official = DISTRICT_STYLES["official"][h.district]
    where = (
        official.replace("Thành phố", "TP") if official.startswith("Thành phố") else official.replace("Huyện", "huyện")
    )
    return f"{prefix} {h.commune}, {where}"


def register_number(rng, v, f, fs, is_csv):
    """A number cell of the register: empty or ``-`` when not reported, a loss as text now and then."""
    if v is None:
        return rng.choice(["", "", "-"]) if f in ("revenue", "profit") else ""
    if v < 0:
        return str(int(v)) if is_csv or rng.random() < 0.3 else int(v)
    return show_number(rng, v, fs)


def register_summary_sheet(name, year, recs):
    """A summary sheet placed before the register (cooperatives by district): the reader must skip it."""
    pre = Sheet(name)
    pre.add({1: f"TỔNG HỢP SỐ LƯỢNG HTX NĂM {year}"})
    pre.add({1: "Đơn vị", 2: "Số HTX", 3: "Trong đó đang hoạt động"})
    for d in DISTRICTS:
        n = sum(1 for r in recs if r["htx"].district == d and not r["dissolved"])
        a = sum(1 for r in recs if r["htx"].district == d and r["active"])
        pre.add({1: DISTRICT_STYLES["short"][d], 2: n, 3: a})
    return pre


def hash_str(s):
    """A stable (not PYTHONHASHSEED-dependent) small hash."""
    return sum((i + 1) * ord(ch) for i, ch in enumerate(s))


# --------------------------------------------------------------------------
# Biểu 03 — groups
# --------------------------------------------------------------------------


def simulate_groups(rng):
    """THT by district and year, matching the province totals of each year; returns {year: {district: counts}}."""
    out = {}
    counts = dict(THT_2017)
    new = allocate(rng, THT_NEW[2017], DISTRICTS, counts, jitter=0.2)
    out[2017] = {d: dict(tht_count=counts[d], tht_new=new[d]) for d in DISTRICTS}
    for y in YEARS[1:]:
        new = allocate(rng, THT_NEW[y], DISTRICTS, counts, jitter=0.3)
        lost_total = sum(counts.values()) + THT_NEW[y] - THT_COUNT[y]
        lost = allocate(rng, lost_total, DISTRICTS, counts, jitter=0.3)
        counts = {d: counts[d] + new[d] - lost[d] for d in DISTRICTS}
        out[y] = {d: dict(tht_count=counts[d], tht_new=new[d]) for d in DISTRICTS}
        assert sum(counts.values()) == THT_COUNT[y]
    for y in YEARS:
        for d in DISTRICTS:
            c = out[y][d]
            c["tht_members"] = int(round(c["tht_count"] * rng.uniform(8, 15)))
    return out


GROUP_FIELDS = ["tht_count", "tht_new", "tht_members"]


def build_groups(rng, year, data, fs):
    """Build the sheet(s) of one Biểu 03 file (THT by district) and its manifest."""
    keys = (["stt"] if fs.get("stt") else []) + [k for k, _ in fs["cols"]]
    labels = dict(fs["cols"], stt="STT")
    if fs.get("fmt") == "csv":
        labels = {k: v.replace("\n", " ") for k, v in labels.items()}
    tbl = Table(keys, lead=fs.get("lead", 0))
    sh = Sheet(fs.get("sheet", "Sheet1"))
    title = [
        [("left", "LIÊN MINH HỢP TÁC XÃ TỈNH NINH BÌNH"), ("right", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM")],
        [("right", "Độc lập - Tự do - Hạnh phúc")],
        [("left", "Biểu 03")],
        [("left", f"TÌNH HÌNH PHÁT TRIỂN TỔ HỢP TÁC NĂM {year}")],
        [("right", "Đơn vị tính: tổ, người")],
    ]
    pick = {2: [0, 3], 3: [0, 3, 4], 4: [0, 1, 3, 4], 5: [0, 1, 2, 3, 4]}[fs["title"]]
    put_title(sh, [title[i] for i in pick], tbl)
    sh.blank()
    put_header(sh, tbl, labels, False)
    if fs.get("colnum"):
        put_colnum(sh, tbl, fs["colnum"])
    names = DISTRICT_STYLES[fs["names"]]
    fields = GROUP_FIELDS
    entries = [("data", names[d], {f: num_cell(rng, data[d][f], fs) for f in fields}, None) for d in DISTRICTS]
    for rej in fs.get("rejects", []):
        vals = {"tht_count": rng.randint(3, 9)}
        vals["tht_new"] = rng.randint(0, 3)
        vals["tht_members"] = vals["tht_count"] * rng.randint(8, 12)
        entries.insert(
            rng.randrange(2, len(entries)),
            ("rejected", rej["label"], {f: num_cell(rng, vals[f], fs) for f in fields}, rej["reason"]),
        )
    manifest = dict(
        template="03",
        agency=None,
        data_rows_accepted=0,
        rejected_rows=[],
        totals_rows=[],
        totals_disagree=False,
        sheet=sh.name,
        rows={},
        reasons={},
    )

    if fs.get("totals") and fs["totals"][0] == "first":
        put_group_totals(rng, sh, tbl, fs, entries, manifest)
    put_group_rows(sh, tbl, fs, entries, manifest)
    if fs.get("totals") and fs["totals"][0] == "last":
        put_group_totals(rng, sh, tbl, fs, entries, manifest)
    if fs.get("footer"):
        put_footer(
            sh,
            tbl,
            year,
            "Số THT thành lập mới gồm cả THT đăng ký lại.",
            [PEOPLE[(year + 2) % len(PEOPLE)], PEOPLE[(year + 7) % len(PEOPLE)]],
        )
    sheets = [sh]
    if fs.get("pre_sheet"):
        pre = Sheet(fs["pre_sheet"])
        pre.add({1: "Số liệu THT do Phòng Tài chính - Kế hoạch các huyện, thành phố cung cấp."})
        sheets = [pre, sh]
    return sheets, manifest


def put_group_totals(rng, sh, tbl, fs, entries, manifest):
    """Write the Biểu 03 totals row (sums of the data rows, in bold) and note it in the manifest."""
    sums = {f: sum(e[2][f].value for e in entries if e[0] == "data") for f in GROUP_FIELDS}
    r = sh.add(tbl.row(dict({"unit": fs["totals"][1]}, **{f: show_number(rng, v, fs) for f, v in sums.items()})))
    sh.bold_rows.add(r)
    manifest["totals_rows"].append(r)


def put_group_rows(sh, tbl, fs, entries, manifest):
    """Write the Biểu 03 rows (data and rejected, numbered, two with a note) and record each in the manifest."""
    for i, (kind, label, cells, reason) in enumerate(entries):
        row = {"unit": label, "stt": i + 1}
        row.update({f: c.show for f, c in cells.items()})
        if "note" in tbl.keys and i in (1, 5):
            row["note"] = "Có 2 THT chuyển thành HTX" if i == 1 else "Số liệu ước"
        r = sh.add(tbl.row(row))
        if kind == "data":
            manifest["data_rows_accepted"] += 1
            manifest["rows"][r] = ("data", cells)
        else:
            manifest["rejected_rows"].append(r)
            manifest["reasons"][r] = reason
        if fs.get("blank_row_after") == i + 1:
            sh.blank()


# --------------------------------------------------------------------------
# Expectations
# --------------------------------------------------------------------------


def number_out(v):
    """A sum as the expectations file writes it: an int when whole, else the float."""
    return int(v) if float(v).is_integer() else float(v)


def activity_sums(manifests):
    """Sums of the accepted Biểu 01 cells of a year: for the province, and by agency; approximate when any part is."""
    province = {}
    by_agency = {}
    for m in manifests:
        ag = by_agency.setdefault(m["agency"], {})
        for _row, (kind, _unit, cells) in sorted(m["rows"].items()):
            if kind != "data":
                continue
            for ind, c in cells.items():
                if c.value is None:
                    continue
                for target in (province, ag):
                    t = target.setdefault(ind, {"value": 0, "approximate": False})
                    t["value"] += c.value
                    t["approximate"] = t["approximate"] or c.approx
    for t in [province, *by_agency.values()]:
        for v in t.values():
            v["value"] = number_out(v["value"])
    return province, by_agency


def register_summary(manifest):
    """Counts of the accepted register rows (not dissolved, active, new, dissolved), by district and in all."""
    by = {d: {"htx_count": 0, "htx_new": 0, "htx_dissolved": 0} for d in DISTRICTS}
    tot = {"htx_count": 0, "htx_active": 0, "htx_new": 0, "htx_dissolved": 0}
    for _row, (_kind, r) in sorted(manifest["rows"].items()):
        d = r["htx"].district
        if not r["dissolved"]:
            by[d]["htx_count"] += 1
            tot["htx_count"] += 1
        if r["active"]:
            tot["htx_active"] += 1
        if r["is_new"]:
            by[d]["htx_new"] += 1
            tot["htx_new"] += 1
        if r["dissolved"]:
            by[d]["htx_dissolved"] += 1
            tot["htx_dissolved"] += 1
    tot["by_district"] = by
    return tot


def groups_summary(manifest):
    """Sums of the accepted Biểu 03 rows: THT, new THT and their members."""
    out = {"tht_count": 0, "tht_new": 0, "tht_members": 0}
    for _kind, cells in manifest["rows"].values():
        for f in out:
            out[f] += cells[f].value
    return out


def public_manifest(m):
    """The part of a file's manifest written to the expectations file (what the reader is tested against)."""
    return {
        k: m[k]
        for k in (
            "template",
            "agency",
            "data_rows_accepted",
            "rejected_rows",
            "totals_rows",
            "totals_disagree",
            "encoding",
            "nfd",
            "sheet",
        )
    }


# --------------------------------------------------------------------------
# README
# --------------------------------------------------------------------------


def variations_of(kind, fs):
    """The contract variations a file of template ``kind`` exercises, in words, for the README's table."""
    v = file_variations(fs)
    if kind == "01":
        v += activity_variations(fs)
    if kind == "02":
        v += register_variations(fs)
    if kind == "03" and any(k == "note" for k, _ in fs["cols"]):
        v.append("unknown column `Ghi chú`")
    return v + table_variations(kind, fs)


def file_variations(fs):
    """Variations of the file and its sheet: format, encoding, NFD, sheets, blank rows and columns, title block."""
    v = []
    if fs.get("fmt") == "csv":
        v.append(f"CSV {fs['enc']} `{fs['delim']}`-separated")
    if fs.get("nfd"):
        v.append("all text NFD")
    if fs.get("pre_sheet"):
        v.append(f"data on 2nd sheet `{fs['sheet']}` (1st `{fs['pre_sheet']}` ignored)")
    if fs.get("top_blank"):
        v.append(f"{fs['top_blank']} blank top rows")
    if fs.get("lead"):
        v.append("blank first column")
    n = fs.get("title", 0)
    v.append(
        "no title block (header on row 1)"
        if n == 0 and not fs.get("top_blank")
        else f"title block of {n} row{'s' if n != 1 else ''}"
    )
    return v


def activity_variations(fs):
    """Variations of a Biểu 01 file: header, columns, provincial row, approximate values."""
    v = [
        f"unit header `{fs['unit_label']}`",
        {"L1": "long labels", "L2": "short labels", "L3": "UPPER labels + line break + unit"}[fs["labels"]],
    ]
    if fs.get("two_row"):
        v.append("merged two-row header")
    if not fs.get("stt"):
        v.append("no STT")
    if fs.get("order", "std") != "std":
        v.append("columns reordered")
    if fs.get("blank_col_after"):
        v.append("blank column")
    if fs.get("note_col"):
        v.append("unknown column `Ghi chú`")
    if fs.get("na_col"):
        v.append(f"column `{fs['na_col']}` present but all not reported")
    v.append(f"provincial row `{fs['tinh'][1]}` {fs['tinh'][0]}" if fs.get("tinh") else "no provincial row")
    if fs.get("date_in_unit_col"):
        v.append("footer date in the unit column")
    v += [f"approx `{word} …` ({u} {ind})" for u, ind, word in fs.get("approx", [])]
    return v


def register_variations(fs):
    """Variations of a Biểu 02 file: sections or a district column, registration numbers, dates, extra columns."""
    v = [
        "sections by district, no district column"
        if fs.get("sectioned")
        else f"district column `{dict(fs['cols'])['district']}`"
    ]
    if fs.get("reg_no_numeric"):
        v.append("reg_no partly stored as Excel numbers")
    v.append("founded as " + ", ".join(sorted(fs["founded_forms"])))
    if any(k in ("note", "director") for k, _ in fs["cols"]):
        v.append("unknown column")
    return v


def table_variations(kind, fs):
    """Variations of the table's rows: district spellings, column numbers, totals, blank rows, footer, typed numbers."""
    v = []
    if fs.get("names"):
        v.append(f"district spelling `{fs['names']}`")
    if fs.get("colnum"):
        v.append(f"column-number row `{fs['colnum']}`")
    if fs.get("totals"):
        where = " (label in the name column)" if kind == "02" else ""
        v.append(f"totals `{fs['totals'][1]}` {fs['totals'][0]}{where}")
    if fs.get("disagree"):
        v.append("**totals row disagrees**")
    if fs.get("blank_row_after"):
        v.append("blank row inside data")
    if fs.get("footer"):
        v.append("footer + signatures")
    if fs.get("text_styles") and (fs.get("fmt") == "csv" or fs.get("text_p")):
        v.append("numbers typed as text (" + ", ".join(fs["text_styles"]) + ")")
    return v


def write_readme(path, table_rows, expectations):
    """Write ``data/raw/README.md``: what the sample is, its figures, and the variations and rejects of each file."""
    lines = [
        "# data/raw — SYNTHETIC sample returns",
        "",
        "**Everything in this folder is synthetic.** It was generated by",
        "`scripts/make_sample_returns.py` (fixed seed, byte-deterministic); these are *not* the real",
        "returns of the four bodies, which are not public. Only the **2017 province totals of Biểu 01**",
        'equal the figures published for the review conference of 24/1/2018 ("trên 4.730 buổi",',
        '273.219 lượt người, 5.207 tấn phân bón trả chậm, 39.880 lượt người chuyển giao KHKT, "gần',
        '10.000" cuốn bản tin, "trên 1000" tin bài, 9 mô hình, 2 cửa hàng NSAT, 9 HTX nhãn mác, 22 HTX,',
        "130 THT, 32 mô hình hiệu quả). The register and THT figures are only calibrated to be plausible",
        "against public facts (417 HTX and 468 THT at end 2020; 55 new HTX in 2018–2020, most in Nho Quan,",
        "Tam Điệp, Gia Viễn; about 500 HTX, ~80% agricultural, in 2022). Names of cooperatives and",
        "signatories are invented.",
        "",
        "`sample-files.csv` records every file written here with the sha256 of its bytes. A year of the",
        'review is labelled "dữ liệu mẫu" (synthetic sample data) when one of its files is one of these,',
        "byte for byte, and the label names the files; a file you add, or change and save again, is never",
        "labelled. Put your real returns in `data/raw/<year>/` beside (or instead of) the samples.",
        "",
        "Do not edit these files by hand: change the generator and run",
        "",
        "    python scripts/make_sample_returns.py          # rewrites data/raw/2017 … 2026 and this README",
        "",
        "It also writes `tests/data/sample_expectations.json`, the independent truth the reader is",
        "tested against (rows accepted / rejected / totals per file, province and agency sums, register",
        "and THT counts).",
        "",
        "## Layout (contract: `docs/contract.md`)",
        "",
        "```",
        "data/raw/<year>/",
        "  activities/<AGENCY>*.xlsx|.csv   Biểu 01 — programme activities, one file per agency",
        "                                   (LMHTX Liên minh HTX, HND Hội Nông dân, HCCB Hội Cựu chiến binh,",
        "                                    HLHPN Hội Liên hiệp Phụ nữ)",
        "  cooperatives.xlsx|.csv           Biểu 02 — danh sách HTX (the HTX register at 31/12)",
        "  groups.xlsx|.csv                 Biểu 03 — tổ hợp tác (THT) by district",
        "```",
        "",
        "## Figures of the sample (from the expectations file)",
        "",
        "| year | HTX (not dissolved) | active | new | dissolved | THT | new THT | training sessions | attendance |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for y in YEARS:
        e = expectations[str(y)]
        reg, gr, ap = e["register"], e["groups"], e["activities_province"]
        ts = ap["training_sessions"]
        lines.append(
            f"| {y} | {reg['htx_count']} | {reg['htx_active']} | {reg['htx_new']} | {reg['htx_dissolved']} "
            f"| {gr['tht_count']} | {gr['tht_new']} | {ts['value']}{' (approx.)' if ts['approximate'] else ''} "
            f"| {ap['training_attendance']['value']} |"
        )
    lines += [
        "",
        "## Contract variations exercised, and rows deliberately rejected",
        "",
        "Row numbers are 1-based spreadsheet rows (CSV: record number). Every rejected row must go to the",
        "rejects ledger; it is not part of any sum. Rows not listed are title, header, column numbers,",
        "section, totals, blank or footer rows — or accepted data rows.",
        "",
        "| year | file | variations | rejected rows (why) |",
        "|---|---|---|---|",
    ]
    lines += table_rows
    lines += [
        "",
        "Throughout: numbers as Excel numbers and as Vietnamese-typed text (`4.730`, `4 730`, `5.207,5`,",
        "`1207,5`, `4730.0` in CSV), not-reported cells (empty, `-`, `–`, `x`, `không báo cáo`), zeros,",
        "agencies reporting only the columns that concern them (only HND has the clean-food and",
        "safe-produce columns, only LMHTX the brand-support column), registers with HTX statuses `Đang hoạt",
        "động` / `Ngừng hoạt động` / `Tạm ngừng` / `Giải thể` / `Đã giải thể`, all sector and rating",
        "spellings of the contract, reg_no with leading zeros kept as text, negative profits.",
        "",
        "Register rejected rows are extra rows that are not part of the simulated HTX population, so the",
        "register counts of the expectations (and the year-to-year identity count = last year + new −",
        "dissolved) hold over the accepted rows.",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def generate(out: Path, expectations_path: Path):
    """Write every sample year to ``out`` with its README, and the expectations file the tests read."""
    rng = random.Random(2017)
    register = simulate_register(rng)
    used_regs = {r["htx"].reg_no for y in YEARS for r in register[y]}
    groups = simulate_groups(rng)
    expectations = {}
    readme_rows = []
    for year in YEARS:
        ydir = out / str(year)
        if ydir.exists():
            shutil.rmtree(ydir)
        (ydir / "activities").mkdir(parents=True)
        files = {}
        act_manifests = []
        for agency in AGENCIES:
            fs = ACTIVITIES[year][agency]
            assert fs["file"].upper().startswith(agency)
            sheets, m = build_activities(rng, year, agency, fs)
            rel = f"activities/{fs['file']}"
            write_sheets(ydir / rel, sheets, fs, m)
            files[rel] = m
            act_manifests.append(m)
            readme_rows.append(readme_row(year, rel, "01", fs, m))
        fs = REGISTER[year]
        sheets, m = build_register(rng, year, register[year], fs, used_regs)
        write_sheets(ydir / fs["file"], sheets, fs, m)
        files[fs["file"]] = m
        reg_m = m
        readme_rows.append(readme_row(year, fs["file"], "02", fs, m))
        fs = GROUPS[year]
        sheets, m = build_groups(rng, year, groups[year], fs)
        write_sheets(ydir / fs["file"], sheets, fs, m)
        files[fs["file"]] = m
        grp_m = m
        readme_rows.append(readme_row(year, fs["file"], "03", fs, m))

        province, by_agency = activity_sums(act_manifests)
        expectations[str(year)] = {
            "files": {k: public_manifest(v) for k, v in files.items()},
            "activities_province": province,
            "activities_by_agency": by_agency,
            "register": register_summary(reg_m),
            "groups": groups_summary(grp_m),
        }
        if year == 2017:
            for ind, (v, ap) in PUBLISHED_2017.items():
                got = province[ind]
                assert got == {"value": v, "approximate": ap}, (ind, got)
    # cross-year checks of the register
    prev = None
    for y in YEARS:
        reg = expectations[str(y)]["register"]
        if prev is not None:
            assert reg["htx_count"] == prev + reg["htx_new"] - reg["htx_dissolved"], y
        prev = reg["htx_count"]
    assert expectations["2017"]["register"]["htx_new"] == 22
    assert expectations["2020"]["register"]["htx_count"] == 417
    assert sum(expectations[str(y)]["register"]["htx_new"] for y in (2018, 2019, 2020)) == 55
    assert expectations["2020"]["groups"]["tht_count"] == 468
    assert sum(expectations[str(y)]["groups"]["tht_new"] for y in (2018, 2019, 2020)) == 99
    disagreeing = [(y, f) for y in expectations for f, m in expectations[y]["files"].items() if m["totals_disagree"]]
    assert len(disagreeing) == 1, disagreeing

    counts_2022 = {code: v["htx_count"] for code, v in expectations["2022"]["register"]["by_district"].items()}
    readme_rows += generate_successor(out, expectations, counts_2022)
    expectations_path.parent.mkdir(parents=True, exist_ok=True)
    expectations_path.write_text(
        json.dumps(expectations, sort_keys=True, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    write_readme(out / "README.md", readme_rows, expectations)
    write_sample_manifest(out, YEARS + SUCCESSOR_YEARS)
    return expectations


def write_sample_manifest(out, years):
    """Write ``out/sample-files.csv``: every file of the sample years (path under ``out``, ``/``-separated; sha256).

    Sorted, LF line endings: the same samples give the same bytes on every platform.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["path", "sha256"])
    for year in sorted(years):
        folder = out / str(year)
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            writer.writerow([path.relative_to(out).as_posix(), hashlib.sha256(path.read_bytes()).hexdigest()])
    (out / "sample-files.csv").write_bytes(buffer.getvalue().encode("utf-8"))


def readme_row(year, rel, kind, fs, m):
    """One line of the README's table of files: the year, the file, its variations and its rejected rows."""
    rej = "; ".join(f"row {r}: {m['reasons'][r]}" for r in m["rejected_rows"]) or "—"
    var = ", ".join(variations_of(kind, fs))
    return f"| {year} | `{rel}` | {var} | {rej} |"


# --------------------------------------------------------------------------
# The successor programme (hypothetical): 2023–2027, synthetic years 2023–2026
# --------------------------------------------------------------------------
# 2023 and 2024 are typed by the eight districts (TP Hoa Lư exists only from
# 1/1/2025: both TP Ninh Bình and Huyện Hoa Lư still report in 2024); 2025 and
# 2026 by the communes and wards of the new Ninh Bình province (1/7/2025; the
# list is the reference table communes.csv, read here as data). Names are typed
# as people type them; a few rows name a unit the year does not have and are
# rejected. Its own random sequence (seed 2023): the 2017–2022 files are
# unchanged byte for byte.

SUCCESSOR_YEARS = [2023, 2024, 2025, 2026]
SUCCESSOR_SEED = 2023
COMMUNES_CSV = REPO / "src" / "helpers" / "reference" / "data" / "communes.csv"
DISTRICT_SPELLINGS_2023 = {
    "369": ["TP Ninh Bình", "Thành phố Ninh Bình"],
    "370": ["TP Tam Điệp", "Tam Điệp"],
    "372": ["Huyện Nho Quan", "H. Nho Quan"],
    "373": ["Huyện Gia Viễn", "Gia Viễn"],
    "374": ["Huyện Hoa Lư", "H. Hoa Lư"],
    "375": ["Yên Khánh", "Huyện Yên Khánh"],
    "376": ["Kim Sơn", "H. Kim Sơn"],
    "377": ["Yên Mô", "Huyện Yên Mô"],
}
NAME_CARRIERS = ["14428", "14464", "14329", "14533", "14359", "14566", "14362", "14560", "14638", "14701", "14620"]
"""Communes and wards carrying an old district's name: every agency reports on them in 2025 and 2026."""
SUCCESSOR_INDICATORS = [
    "training_sessions",
    "training_attendance",
    "tech_transfer_attendance",
    "newsletters_issued",
    "web_articles",
    "new_htx_guided",
    "new_tht_guided",
    "effective_models",
]
SUCCESSOR_REJECTS = {
    # (year, agency): (typed unit, why it is rejected)
    (2024, "HND"): ("TP Hoa Lư", "TP Hoa Lư exists only from 1/1/2025: a 2024 return names TP Ninh Bình or Hoa Lư"),
    (2025, "HCCB"): ("Nho Quang", "'Nho Quang' names no commune or ward (typo of Nho Quan)"),
    (2026, "HND"): ("Huyện Nho Quan", "the district level ended on 1/7/2025 (candidate: Xã Nho Quan)"),
    (2026, "LMHTX"): ("TP Hoa Lư", "the district level ended on 1/7/2025 (candidates: the four Hoa Lư wards)"),
}


def successor_units():
    """The communes and wards of the new province: ``[(code, official name, kind)]`` from communes.csv."""
    with COMMUNES_CSV.open(encoding="utf-8", newline="") as handle:
        return [(row["unit_code"], row["name_vi"], row["kind"]) for row in csv.DictReader(handle)]


def typed_commune(rng, name, kind):
    """A commune or ward as people type it: the official name, lower case, unaccented, abbreviated or bare."""
    _, base = name.split(" ", 1)
    short = "X." if kind == "commune" else "P."
    style = rng.choice(["official", "official", "lower", "plain", "abbr", "bare"])
    if style == "lower":
        return name.lower()
    if style == "plain":
        return strip_marks(name).lower()
    if style == "abbr":
        return f"{short} {base}"
    if style == "bare":
        return base
    return name


def strip_marks(text):
    """Text without diacritics (``đ`` → ``d``), as typed on a keyboard without Vietnamese input."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in plain if not unicodedata.combining(ch))


def successor_unit_rows(rng, year, agency):
    """The units an agency reports on in ``year``: ``[(code, typed name)]`` (the provincial office first)."""
    rows = [("TINH", "Cấp tỉnh")]
    if year <= 2024:
        for code in DISTRICTS:
            rows.append((code, rng.choice(DISTRICT_SPELLINGS_2023[code])))
        return rows
    units = successor_units()
    names = {code: (name, kind) for code, name, kind in units}
    others = [code for code, _, _ in units if code not in NAME_CARRIERS]
    chosen = NAME_CARRIERS + sorted(rng.sample(others, 14 if year == 2025 else 19))
    for code in chosen:
        rows.append((code, typed_commune(rng, *names[code])))
    return rows


def build_successor_activities(rng, year, agency):
    """A Biểu 01 of the successor programme: one sheet, a title, the header, the unit rows, a totals row, a footer."""
    sh = Sheet("Biểu 01")
    sh.add({1: AGENCY_NAME[agency], 4: "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"})
    sh.add({1: f"BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH PHỐI HỢP NĂM {year}"})
    sh.add({1: "(Số liệu tổng hợp SYNTHETIC — dữ liệu mẫu)"})
    sh.blank()
    unit_label = "Đơn vị" if year <= 2024 else rng.choice(["Xã/phường", "Xã, phường", "Đơn vị hành chính"])
    header = {1: "STT", 2: unit_label}
    for index, ind in enumerate(SUCCESSOR_INDICATORS, start=3):
        header[index] = LABELS["L2"][ind]
    header_row = sh.add(header)
    sh.bold_rows.add(header_row)
    manifest = {"template": "01", "agency": agency, "sheet": "Biểu 01", "rejected_rows": [], "reasons": {}}
    sums = {ind: 0 for ind in SUCCESSOR_INDICATORS}
    units = successor_unit_rows(rng, year, agency)
    weight = {"LMHTX": 1.0, "HND": 1.6, "HCCB": 0.6, "HLHPN": 0.9}[agency]
    scale = 1.0 if year <= 2024 else 0.35  # a commune is smaller than a district
    accepted = 0
    for number, (code, typed) in enumerate(units, start=1):
        values = {
            "training_sessions": round(rng.randint(20, 60) * weight * scale) + 1,
            "training_attendance": round(rng.randint(1200, 3600) * weight * scale),
            "newsletters_issued": round(rng.randint(100, 400) * weight * scale),
            "new_htx_guided": rng.randint(0, 2) if code != "TINH" else 0,
            "tech_transfer_attendance": round(rng.randint(600, 2000) * weight * scale),
            "web_articles": rng.randint(2, 12) if code == "TINH" else rng.randint(0, 3),
            "new_tht_guided": rng.randint(0, 3) if code != "TINH" else 0,
            "effective_models": rng.randint(0, 2),
        }
        cells = {1: number, 2: typed}
        cells.update({i: values[ind] for i, ind in enumerate(SUCCESSOR_INDICATORS, start=3)})
        sh.add(cells)
        accepted += 1
        for ind in SUCCESSOR_INDICATORS:
            sums[ind] += values[ind]
    reject = SUCCESSOR_REJECTS.get((year, agency))
    if reject:
        row = sh.add({1: len(units) + 1, 2: reject[0], 3: 12, 4: 800, 5: 90, 6: 1})
        manifest["rejected_rows"].append(row)
        manifest["reasons"][row] = reject[1]
    totals = sh.add({2: "Tổng cộng", **{i: sums[ind] for i, ind in enumerate(SUCCESSOR_INDICATORS, start=3)}})
    sh.bold_rows.add(totals)
    manifest["totals_rows"] = [totals]
    manifest["totals_disagree"] = False  # the typed total is the sum of the accepted rows
    sh.blank()
    sh.add({4: f"Ninh Bình, ngày 10 tháng 01 năm {year + 1}"})
    sh.add({1: "Người lập biểu", 4: "Thủ trưởng đơn vị"})
    manifest["data_rows_accepted"] = accepted
    manifest["sums"] = sums
    return sh, manifest


def successor_register(rng, year, previous):
    """The register at 31/12 of ``year``: ``previous`` (the rows of the year before) moved on one year."""
    rows = []
    for record in previous:
        record = dict(record)
        if record["status"] != "dissolved" and rng.random() < 0.01:
            record["status"], record["dissolved"] = "dissolved", dt.date(year, rng.randint(1, 12), 15)
        elif record["status"] == "dissolved":
            continue  # a cooperative dissolved last year is no longer on the register
        rows.append(record)
    return rows


def new_cooperative(rng, serial, unit, commune, year, founded_year=None):
    """One invented cooperative of a unit (a district code with a commune name, or a commune code)."""
    founded_year = founded_year or rng.randint(1997, year - 1)
    return {
        "name": f"HTX {rng.choice(['dịch vụ nông nghiệp', 'nông nghiệp', 'thủy sản', 'vận tải', 'môi trường'])} "
        f"{rng.choice(HAMLETS)} {serial}",
        "reg_no": f"27{serial:08d}",
        "unit": unit,
        "commune": commune,
        "sector": rng.choice(["Nông nghiệp"] * 6 + ["Thương mại - dịch vụ", "Vận tải", "Xây dựng"]),
        "founded": dt.date(founded_year, rng.randint(1, 12), rng.randint(1, 28)),
        "status": "active" if rng.random() < 0.92 else "suspended",
        "dissolved": None,
        "members": rng.randint(7, 400),
        "workers": rng.randint(2, 40),
        "revenue": round(rng.uniform(300, 6000), 1),
        "profit": round(rng.uniform(-40, 300), 1),
        "rating": rng.choice(["Tốt", "Khá", "Khá", "Trung bình", "Yếu", "Chưa xếp loại"]),
    }


STATUS_TEXT = {"active": "Đang hoạt động", "suspended": "Tạm ngừng hoạt động", "dissolved": "Đã giải thể"}


def build_successor_register(rng, year, records):
    """A Biểu 02 of the successor programme; in 2025 and 2026 the unit is the commune or ward (no district column)."""
    sh = Sheet("Biểu 02")
    sh.add({1: "LIÊN MINH HỢP TÁC XÃ TỈNH NINH BÌNH"})
    sh.add({1: f"DANH SÁCH HỢP TÁC XÃ ĐẾN NGÀY 31/12/{year} (SYNTHETIC — dữ liệu mẫu)"})
    sh.blank()
    by_district = year <= 2024
    cols = ["STT", "Tên hợp tác xã", "Mã số HTX"] + (["Huyện/thành phố"] if by_district else [])
    cols += ["Xã/phường", "Lĩnh vực", "Ngày thành lập", "Tình trạng hoạt động", "Ngày giải thể", "Số thành viên"]
    cols += ["Số lao động thường xuyên", "Doanh thu (triệu đồng)", "Lãi (lỗ)", "Kết quả xếp loại"]
    sh.bold_rows.add(sh.add(dict(enumerate(cols, start=1))))
    units = {code: (name, kind) for code, name, kind in successor_units()}
    for number, r in enumerate(records, start=1):
        unit_cell = (
            [rng.choice(DISTRICT_SPELLINGS_2023[r["unit"]]), r["commune"]]
            if by_district
            else [typed_commune(rng, *units[r["unit"]])]
        )
        values = [number, r["name"], r["reg_no"], *unit_cell, r["sector"], r["founded"], STATUS_TEXT[r["status"]]]
        values += [r["dissolved"], r["members"], r["workers"], r["revenue"], r["profit"], r["rating"]]
        sh.add({c: v for c, v in enumerate(values, start=1) if v is not None})
    sh.blank()
    sh.add({2: f"Ninh Bình, ngày 12 tháng 01 năm {year + 1}"})
    not_dissolved = [r for r in records if r["status"] != "dissolved"]
    summary = {
        "htx_count": len(not_dissolved),
        "htx_active": sum(r["status"] == "active" for r in records),
        "htx_new": sum(r["founded"].year == year for r in records),
        "htx_dissolved": sum(r["status"] == "dissolved" for r in records),
        "by_district": {},
    }
    for code in sorted({r["unit"] for r in records}):
        mine = [r for r in records if r["unit"] == code]
        summary["by_district"][code] = {
            "htx_count": sum(r["status"] != "dissolved" for r in mine),
            "htx_new": sum(r["founded"].year == year for r in mine),
            "htx_dissolved": sum(r["status"] == "dissolved" for r in mine),
        }
    manifest = {"template": "02", "agency": None, "sheet": "Biểu 02", "rejected_rows": [], "reasons": {}}
    manifest.update(data_rows_accepted=len(records), totals_rows=[], totals_disagree=False)
    return sh, manifest, summary


def build_successor_groups(rng, year):
    """A Biểu 03 of the successor programme: THT by unit (every unit of the year), a totals row."""
    sh = Sheet("Biểu 03")
    sh.add({1: "LIÊN MINH HỢP TÁC XÃ TỈNH NINH BÌNH"})
    sh.add({1: f"TỔ HỢP TÁC NĂM {year} (SYNTHETIC — dữ liệu mẫu)"})
    sh.blank()
    label = "Huyện/thành phố" if year <= 2024 else "Xã/phường"
    sh.bold_rows.add(sh.add({1: "STT", 2: label, 3: "Số THT", 4: "Số THT thành lập mới", 5: "Số thành viên THT"}))
    if year <= 2024:
        units = [(code, rng.choice(DISTRICT_SPELLINGS_2023[code]), 60) for code in DISTRICTS]
    else:
        units = [(code, typed_commune(rng, name, kind), 8) for code, name, kind in successor_units()]
    totals = {"tht_count": 0, "tht_new": 0, "tht_members": 0}
    for number, (_code, typed, size) in enumerate(units, start=1):
        count = rng.randint(size // 2, size)
        new = rng.randint(0, max(1, count // 8))
        members = count * rng.randint(6, 12)
        sh.add({1: number, 2: typed, 3: count, 4: new, 5: members})
        totals["tht_count"] += count
        totals["tht_new"] += new
        totals["tht_members"] += members
    row = sh.add({2: "Toàn tỉnh", 3: totals["tht_count"], 4: totals["tht_new"], 5: totals["tht_members"]})
    manifest = {"template": "03", "agency": None, "sheet": "Biểu 03", "rejected_rows": [], "reasons": {}}
    manifest.update(data_rows_accepted=len(units), totals_rows=[row], totals_disagree=False)
    return sh, manifest, totals


def move_to_new_province(rng, records, units, serial, year):
    """The register in the new province: every cooperative placed in a commune or ward.

    The old Ninh Bình ones go among the communes with codes from 14300, and Hà Nam's and Nam Định's
    cooperatives (invented) join in the others.
    """
    old_area = [code for code, _, _ in units if int(code) >= 14300]
    moved = [{**r, "unit": rng.choice(old_area), "commune": ""} for r in records]
    for code, _, _ in units:
        if int(code) < 14300:
            for _ in range(rng.randint(2, 4)):
                serial += 1
                moved.append(new_cooperative(rng, serial, code, "", year))
    return moved, serial


def readme_rows_of(year, files):
    """The README lines of a successor year's files."""
    where = "eight districts" if year <= 2024 else "communes and wards of the new province"
    return [
        f"| {year} | `{rel}` | successor programme (hypothetical), {where} | "
        + ("; ".join(f"row {r}: {m['reasons'][r]}" for r in m["rejected_rows"]) or "—")
        + " |"
        for rel, m in files.items()
    ]


def generate_successor(out, expectations, previous_counts):
    """Write the synthetic years of the hypothetical successor programme; add their expectations.

    ``previous_counts``: the 2022 register's HTX by district (the 2023 register continues from it).
    """
    rng = random.Random(SUCCESSOR_SEED)
    serial = 90000
    records = []
    for code in DISTRICTS:
        for _ in range(previous_counts[code]):
            serial += 1
            records.append(new_cooperative(rng, serial, code, f"Xã {rng.choice(HAMLETS)}", 2022))
    units = successor_units()
    rows = []
    for year in SUCCESSOR_YEARS:
        if year == 2025:
            records, serial = move_to_new_province(rng, records, units, serial, year)
        records = successor_register(rng, year, records)
        places = DISTRICTS if year <= 2024 else [code for code, _, _ in units]
        for _ in range(rng.randint(20, 26)):
            serial += 1
            unit = rng.choice(places)
            commune = f"Xã {rng.choice(HAMLETS)}" if year <= 2024 else ""
            records.append(new_cooperative(rng, serial, unit, commune, year, founded_year=year))
        ydir = out / str(year)
        if ydir.exists():
            shutil.rmtree(ydir)
        (ydir / "activities").mkdir(parents=True)
        files, sums = {}, []
        for agency in AGENCIES:
            sheet, manifest = build_successor_activities(rng, year, agency)
            rel = f"activities/{agency}.xlsx"
            write_sheets(ydir / rel, [sheet], {}, manifest)
            files[rel] = manifest
            sums.append(manifest)
        sheet, reg_manifest, register = build_successor_register(rng, year, records)
        write_sheets(ydir / "cooperatives.xlsx", [sheet], {}, reg_manifest)
        files["cooperatives.xlsx"] = reg_manifest
        sheet, grp_manifest, groups = build_successor_groups(rng, year)
        write_sheets(ydir / "groups.xlsx", [sheet], {}, grp_manifest)
        files["groups.xlsx"] = grp_manifest
        province = {
            ind: {"value": sum(m["sums"][ind] for m in sums), "approximate": False} for ind in SUCCESSOR_INDICATORS
        }
        by_agency = {
            m["agency"]: {ind: {"value": m["sums"][ind], "approximate": False} for ind in SUCCESSOR_INDICATORS}
            for m in sums
        }
        expectations[str(year)] = {
            "files": {k: public_manifest(v) for k, v in files.items()},
            "activities_province": province,
            "activities_by_agency": by_agency,
            "register": register,
            "groups": groups,
        }
        rows += readme_rows_of(year, files)
        prev = expectations.get(str(year - 1), {}).get("register")
        if prev is not None and year != 2025:  # 2025: another territory, the count does not flow
            assert register["htx_count"] == prev["htx_count"] + register["htx_new"] - register["htx_dissolved"], year
    return rows


def main(argv=None):
    """Parse the command line and generate the sample returns."""
    parser = argparse.ArgumentParser(description="Generate the SYNTHETIC sample returns (data/raw/2017-2026).")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output folder (default: data/raw of the repository)"
    )
    parser.add_argument(
        "--expectations",
        type=Path,
        default=DEFAULT_EXPECTATIONS,
        help="where to write the expectations JSON (default: tests/data/sample_expectations.json)",
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    exp = generate(args.out, args.expectations)
    for y in YEARS:
        e = exp[str(y)]
        print(
            f"{y}: {len(e['files'])} files, HTX {e['register']['htx_count']}, THT {e['groups']['tht_count']}, "
            f"training sessions {e['activities_province']['training_sessions']['value']}"
        )
    print(f"wrote {args.out} and {args.expectations}")


if __name__ == "__main__":
    main()
