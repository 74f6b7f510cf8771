run:
	bash dev.sh run

test:
	bash dev.sh test

lint:
	bash dev.sh lint

bench:
	.venv/bin/python -m bench

.PHONY: run test lint bench
