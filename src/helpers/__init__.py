"""coop-review helpers: the shared logic behind the annual-review notebooks.

The notebooks under ``notebooks/`` only call into this package:

* :mod:`helpers.paths` — where raw returns, processed tables and reports live;
* :mod:`helpers.text`, :mod:`helpers.values`, :mod:`helpers.reference` — the
  reading rules of ``raw-data.md`` (label folding, numbers, dates, districts);
* :mod:`helpers.sheets`, :mod:`helpers.layout`, :mod:`helpers.returns` — reading
  one return file into accepted rows, rejects and its ledger;
* :mod:`helpers.corrections` — declared corrections of source returns;
* :mod:`helpers.clean` — cleaning a whole year folder (with a parse cache);
* :mod:`helpers.catalogue`, :mod:`helpers.indicators` — the indicator catalogue
  and sections A and B of ``indicators.md``;
* :mod:`helpers.years`, :mod:`helpers.targets` — section C: across years, targets;
* :mod:`helpers.figures`, :mod:`helpers.review`, :mod:`helpers.workbook`,
  :mod:`helpers.index_page` — figures, the rendered review, the appendix
  workbook, the index of years;
* :mod:`helpers.outputs` — atomic, deterministic, formula-safe output files;
* :mod:`helpers.plan`, :mod:`helpers.runner`, :mod:`helpers.cli` — what to
  rebuild, running the stages, the ``coop-review`` command;
* :mod:`helpers.kernels`, :mod:`helpers.staging`, :mod:`helpers.processes`,
  :mod:`helpers.faults` — the runner's plumbing: kernel transport, staging
  swaps, worker processes, write failures told apart from bugs.
"""

__version__ = "0.1.0"
