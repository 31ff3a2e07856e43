# The two commands of the README: `make report` and `make test`. Both set up first.
.PHONY: setup report test lint golden bench clean

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

# Regenerate the golden Markdown/HTML/JSON files and the published JSON Schemas after an
# intended change in the output.
golden: setup
	.venv/bin/sitrep schema > docs/record.schema.json
	.venv/bin/sitrep schema --report > docs/report.schema.json
	SITREP_UPDATE_GOLDEN=1 .venv/bin/pytest -q tests/test_golden.py

bench: setup
	.venv/bin/python bench/bench_load.py
	.venv/bin/python bench/bench_report.py
	.venv/bin/python bench/bench_reconcile.py
	.venv/bin/python bench/bench_delivery.py
	.venv/bin/python bench/bench_store.py

clean:
	rm -rf output build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
