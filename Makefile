# The two commands of the README: `make run` (set up, then build the warehouse from the sample inbox)
# and `make test` (set up, then run the tests). Both create .venv on first use.
PYTHON ?= python3
VENV   := .venv
STAMP  := $(VENV)/.installed

.PHONY: setup run test clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/fazhi run

test: $(STAMP)
	$(VENV)/bin/pytest -q

clean:
	rm -rf $(VENV) var
