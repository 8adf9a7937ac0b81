"""One GX ephemeral context per process: pandas data source, suites run as validation definitions, Data Docs.

Building the context costs time (GX's import alone is seconds), so it is made once and reused by every
gate run of the process. Only the latest run's validation results are kept in memory; the Data Docs
site (a folder from the config) is rebuilt from them after each run.
"""
from __future__ import annotations

import functools
import hashlib
import logging
from pathlib import Path
from typing import Any

import pandas as pd

DATASOURCE = "fazhi"


@functools.cache
def _context() -> Any:
    import great_expectations as gx
    from great_expectations.data_context.types.base import (DataContextConfig, InMemoryStoreBackendDefaults,
                                                            ProgressBarsConfig)

    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    # no default docs site (GX would make a temporary folder for one in every process), no usage statistics
    config = DataContextConfig(store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
                               analytics_enabled=False)
    ctx = gx.get_context(project_config=config, mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    ctx.data_sources.add_pandas(DATASOURCE)
    return ctx


def _batch_definition(ctx: Any, name: str) -> Any:
    source = ctx.data_sources.get(DATASOURCE)
    try:
        asset = source.get_asset(name)
    except LookupError:
        asset = source.add_dataframe_asset(name)
    try:
        return asset.get_batch_definition(name)
    except KeyError:
        return asset.add_batch_definition_whole_dataframe(name)


def validate(name: str, frame: pd.DataFrame, expectations: list, key_columns: list[str]) -> Any:
    """Run the suite `name` (these expectations) on `frame`; unexpected rows are reported by `key_columns`."""
    import great_expectations as gx

    ctx = _context()
    suite = ctx.suites.add_or_update(gx.ExpectationSuite(name=name, expectations=expectations))
    definition = ctx.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=name, data=_batch_definition(ctx, name), suite=suite))
    return definition.run(batch_parameters={"dataframe": frame},
                          result_format={"result_format": "COMPLETE", "unexpected_index_column_names": key_columns,
                                         "partial_unexpected_count": 5})


def forget_results() -> None:
    """Drop the validation results of earlier runs of this process, so Data Docs show the latest run."""
    store = _context().validation_results_store
    for key in store.list_keys():
        store.remove_key(key)


def build_docs(docs_dir: Path) -> Path:
    """Render the Data Docs site into docs_dir; return its index.html."""
    ctx = _context()
    site = "site_" + hashlib.sha256(str(docs_dir.resolve()).encode()).hexdigest()[:12]
    if site not in (ctx.get_config().data_docs_sites or {}):
        ctx.add_data_docs_site(site, {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        })
    docs_dir.mkdir(parents=True, exist_ok=True)
    ctx.build_data_docs(site_names=[site])
    return docs_dir / "index.html"
