# coop-review: two commands take a fresh clone to a result.
#   make review   set up (runtime packages only, if needed), then regenerate the review of every year in data/raw/
#   make test     set up (+ test tools, if needed), then run all tests
# Every target goes through scripts/bootstrap.py, which Windows users run
# directly (README, "Windows"): one route to set up, on every platform.
PYTHON ?= python3
BOOTSTRAP := $(PYTHON) scripts/bootstrap.py

.PHONY: setup review test test-fast nbval lab sample-data golden lock clean-outputs

setup:        # the developer's environment: runtime, test tools and JupyterLab
	$(BOOTSTRAP) setup

review:
	$(BOOTSTRAP) review

test:
	$(BOOTSTRAP) test

test-fast:
	$(BOOTSTRAP) test -m "not slow" tests

nbval:        # the source notebooks run in place, as in JupyterLab (make test reads the notebooks its build executed instead)
	$(BOOTSTRAP) test -n 0 --nbval-lax notebooks

lab:
	$(BOOTSTRAP) lab

sample-data:
	$(BOOTSTRAP) python scripts/make_sample_returns.py

golden:       # rewrite tests/golden deliberately; read `git diff tests/golden` before committing
	$(BOOTSTRAP) python scripts/update_golden.py

lock:         # re-resolve requirements/lock.txt (network); then `make test`
	$(BOOTSTRAP) lock

clean-outputs:
	rm -rf data/processed reports
