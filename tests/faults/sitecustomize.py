"""Faults the tests inject into the `fazhi` processes they start; never part of the product.

A test puts this folder first on PYTHONPATH (`tests.helpers.fault_env`) and names the faults in
FAZHI_TEST_FAULTS. Python imports `sitecustomize` at start-up in every process of the run (the CLI, the flow-run
processes Prefect starts, the pool's spawned workers), so the patch reaches code no monkeypatch can:

- `hold_commit=SECONDS`: the load has written the whole run but not committed; print HOLD_MARKER and wait.
- `extract_raise=MARKER` / `extract_exit=MARKER` / `extract_sleep=MARKER` / `extract_hog=MARKER`: the extractor
  raises, ends its process with `os._exit`, hangs, or asks for 4 GB of memory, on a report whose text
  contains MARKER.
- `extract_pids=FOLDER`: every extraction leaves an empty file named for its process id in FOLDER.
"""
from __future__ import annotations

import importlib.abc
import importlib.util
import os
import sys
import time

FAULTS_ENV = "FAZHI_TEST_FAULTS"
HOLD_MARKER = "holding the load transaction open"


def _faults() -> dict[str, str]:
    pairs = (item.split("=", 1) for item in os.environ.get(FAULTS_ENV, "").split(";") if "=" in item)
    return {k.strip(): v for k, v in pairs}


def _patch_load(module) -> None:
    seconds = float(_faults()["hold_commit"])
    record_run = module.record_run

    def holding(con, run, status, *args, **kwargs):
        record_run(con, run, status, *args, **kwargs)
        if status == "completed":
            print(f"{HOLD_MARKER} for {seconds:g} s", file=sys.stderr, flush=True)
            time.sleep(seconds)

    module.record_run = holding


def _patch_extract(module) -> None:
    faults = _faults()
    extract = module.Extractor.extract

    def faulty(self, text, *args, **kwargs):
        if faults.get("extract_raise") and faults["extract_raise"] in text:
            raise RuntimeError("injected fault: the extractor failed on this report")
        if faults.get("extract_exit") and faults["extract_exit"] in text:
            os._exit(3)
        if faults.get("extract_sleep") and faults["extract_sleep"] in text:
            time.sleep(3600)
        if faults.get("extract_hog") and faults["extract_hog"] in text:
            hog = bytearray(4 * 2**30)
            del hog
        if faults.get("extract_pids"):
            open(os.path.join(faults["extract_pids"], f"{os.getpid()}-{time.monotonic_ns()}"), "w").close()
        return extract(self, text, *args, **kwargs)

    module.Extractor.extract = faulty


PATCHES = {"warehouse.load": ("hold_commit", _patch_load),
           "transforms.extract": (("extract_raise", "extract_exit", "extract_sleep", "extract_hog",
                                                "extract_pids"), _patch_extract)}


class _PatchAfterImport(importlib.abc.MetaPathFinder):
    """Lets the normal finders load a patched module, then applies its patch."""

    def find_spec(self, name, path=None, target=None):
        if name not in PATCHES:
            return None
        keys, patch = PATCHES[name]
        keys = (keys,) if isinstance(keys, str) else keys
        if not any(k in _faults() for k in keys):
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return None
        exec_module = spec.loader.exec_module

        def exec_and_patch(module):
            exec_module(module)
            patch(module)

        spec.loader.exec_module = exec_and_patch
        return spec


if os.environ.get(FAULTS_ENV):
    sys.meta_path.insert(0, _PatchAfterImport())
