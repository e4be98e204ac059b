# The two commands of the README:
#   make up    install, prepare models + demo index, start Ray + Serve, print the URL
#   make test  install, run the test suite (what CI runs)
.PHONY: up test down eval bench setup

setup:
	./cluster/setup.sh

up: setup
	.venv/bin/python -m cluster.up

test: setup
	.venv/bin/python -m pytest -q

down:
	.venv/bin/python -m cluster.down

eval: setup
	.venv/bin/python -m training.evaluate

bench: setup
	.venv/bin/python -m bench.run_all
