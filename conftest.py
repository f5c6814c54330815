"""Run-wide test set-up: notebooks executed by nbval (``make nbval``) work on a scratch copy of the sample data."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

SAMPLE_RAW = Path(__file__).parent / "data" / "raw"


def pytest_configure(config: pytest.Config) -> None:
    """Point notebooks run by nbval at a scratch copy of the sample data.

    The stage notebooks take their roots from ``COOP_REVIEW_DATA`` and
    ``COOP_REVIEW_REPORTS`` when their parameters are empty, so the test run
    never writes into the project's ``data/processed`` or ``reports``.
    """
    scratch = Path(tempfile.mkdtemp(prefix="coop-review-nbval-"))
    (scratch / "data").mkdir()
    if SAMPLE_RAW.is_dir():
        shutil.copytree(SAMPLE_RAW, scratch / "data" / "raw")
    os.environ["COOP_REVIEW_DATA"] = str(scratch / "data")
    os.environ["COOP_REVIEW_REPORTS"] = str(scratch / "reports")
    config._coop_review_scratch = scratch  # type: ignore[attr-defined]


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the scratch copy made by :func:`pytest_configure`, so that test runs leave no data behind.

    A file still held open (a kernel on Windows) must not fail the run at its
    very end: what cannot be removed stays in the system's temporary folder.
    """
    scratch = getattr(config, "_coop_review_scratch", None)
    if scratch is not None:
        shutil.rmtree(scratch, ignore_errors=True)
