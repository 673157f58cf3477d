# The two commands: `make demo` (set up, run the main job on the sample data) and `make test`.
.PHONY: setup demo test eval bench

setup:
	@bash scripts/setup.sh

demo: setup
	.venv/bin/crosstrack demo

test: setup
	.venv/bin/python -m pytest -q -p no:cacheprovider

eval: setup
	.venv/bin/crosstrack eval ocr

bench: setup
	.venv/bin/crosstrack bench ocr
