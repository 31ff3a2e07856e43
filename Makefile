# The two commands of the README: `make report` and `make test`. Both set up first.
.PHONY: setup report test test-fast lint golden pages bench clean i18n

setup:
	@bash scripts/setup.sh

# The main job: the 2 June 2025 report from the bundled example data, into output/.
report: setup
	.venv/bin/sitrep generate --data examples/sahel-2025-06 --date 2025-06-02 --out output

# The whole test suite, with the linters and the type checker.
test: setup
	.venv/bin/ruff check sitrep tests bench scripts
	.venv/bin/mypy
	.venv/bin/pytest -q

# The core alone, in under 15 s: no process, PDF, SMTP server or database (see the markers in
# pyproject.toml and tests/conftest.py), on every core (pytest-xdist). Not a substitute for
# `make test` (serial, the whole suite, what CI runs) before a commit.
test-fast: .venv/setup.stamp
	.venv/bin/pytest -q -n auto -m "not slow and not pdf and not smtp and not db"

# For test-fast: set up again only when the dependencies or the setup script changed.
.venv/setup.stamp: pyproject.toml scripts/setup.sh
	@bash scripts/setup.sh
	@touch $@

# Regenerate the golden Markdown/HTML/JSON files and the published JSON Schemas after an
# intended change in the output.
golden: setup
	.venv/bin/python scripts/write_schemas.py
	SITREP_UPDATE_GOLDEN=1 .venv/bin/pytest -q tests/test_golden.py

# The documentation's images of the example report: every PDF page, English and French,
# at 100 dpi (docs/img/report-page*.png).
pages: setup
	.venv/bin/python scripts/report_pages.py

# The gettext catalogs of the template strings: extract the English strings into
# sitrep/locale/sitrep.pot, update every language's .po from it, compile the .mo files.
i18n: setup
	.venv/bin/pybabel extract -F babel.cfg --no-location --omit-header --sort-output -o sitrep/locale/sitrep.pot templates
	.venv/bin/pybabel update -D sitrep -i sitrep/locale/sitrep.pot -d sitrep/locale --no-fuzzy-matching --ignore-obsolete
	.venv/bin/pybabel compile -D sitrep -d sitrep/locale --statistics

bench: setup
	.venv/bin/python bench/bench_load.py
	.venv/bin/python bench/bench_report.py
	.venv/bin/python bench/bench_reconcile.py
	.venv/bin/python bench/bench_delivery.py
	.venv/bin/python bench/bench_charts.py
	.venv/bin/python bench/bench_store.py
	.venv/bin/python bench/bench_pdf.py

clean:
	rm -rf output build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
