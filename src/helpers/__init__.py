"""coop-review helpers: the shared logic behind the annual-review notebooks.

The notebooks under ``notebooks/`` only call into this package:

* :mod:`helpers.paths` — where raw returns, processed tables and reports live;
* :mod:`helpers.text`, :mod:`helpers.read.values`, :mod:`helpers.reference` — the
  reading rules of ``raw-data.md`` (label folding, numbers, dates, districts);
* :mod:`helpers.read.sheets`, :mod:`helpers.read.layout`, :mod:`helpers.read.returns` — reading
  one return file into accepted rows, rejects and its ledger;
* :mod:`helpers.read.corrections` — declared corrections of source returns;
* :mod:`helpers.clean.year` — cleaning a whole year folder (with a parse cache);
* :mod:`helpers.reference.catalogue`, :mod:`helpers.compute.indicators` — the indicator catalogue
  and sections A and B of ``indicators.md``;
* :mod:`helpers.compute.years`, :mod:`helpers.compute.targets` — section C: across years, targets;
* :mod:`helpers.publish.figure_style`, :mod:`helpers.publish.figures` — the house style and the figures;
* :mod:`helpers.publish.review` (with :mod:`~helpers.publish.review_data`,
  :mod:`~helpers.publish.review_html`, :mod:`~helpers.publish.review_quality`),
  :mod:`helpers.publish.workbook`, :mod:`helpers.publish.index_page` — the
  rendered review, the appendix workbook, the index of years;
* :mod:`helpers.outputs` — atomic, deterministic, formula-safe output files;
* :mod:`helpers.pipeline.plan`, :mod:`helpers.pipeline.runner`, :mod:`helpers.pipeline.cli` — what to
  rebuild, running the stages, the ``coop-review`` command;
* :mod:`helpers.pipeline.kernels`, :mod:`helpers.pipeline.staging`, :mod:`helpers.pipeline.processes`,
  :mod:`helpers.faults` — the runner's plumbing: kernel transport, staging
  swaps, worker processes, write failures told apart from bugs.
"""

__version__ = "0.1.0"
