"""coop-review helpers: the shared logic behind the annual-review notebooks.

The notebooks under ``notebooks/`` only call into this package:

* :mod:`helpers.paths` — where raw returns, processed tables and reports live;
* :mod:`helpers.text`, :mod:`helpers.values`, :mod:`helpers.reference` — the
  reading rules of ``raw-data.md`` (label folding, numbers, dates, districts);
* :mod:`helpers.sheets`, :mod:`helpers.layout`, :mod:`helpers.returns` — reading
  one return file into accepted rows, rejects and its ledger;
* :mod:`helpers.clean` — cleaning a whole year folder;
* :mod:`helpers.catalogue`, :mod:`helpers.indicators` — the indicator catalogue
  and sections A and B of ``indicators.md``;
* :mod:`helpers.figures`, :mod:`helpers.review` — figures and review tables;
* :mod:`helpers.runner`, :mod:`helpers.cli` — the ``coop-review`` command.
"""

__version__ = "0.1.0"
