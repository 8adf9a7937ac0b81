"""The operators' overrides (`overrides` table): metadata supplied for a file content, or "ignore this file"."""
from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from transforms.settle import Override


@dataclass(frozen=True)
class Overrides:
    metadata: dict[str, Override] = field(default_factory=dict)   # sha256 -> the metadata to apply
    ignore: frozenset[str] = frozenset()                            # sha256 of files not to read again

    def ignored(self, sha256: str) -> bool:
        return sha256 in self.ignore


def read_overrides(con: duckdb.DuckDBPyConnection) -> Overrides:
    rows = con.execute("SELECT sha256, township, county, city, year, ignore FROM overrides").fetchall()
    return Overrides({sha: Override(township, county, city, year) for sha, township, county, city, year, ignore
                      in rows if not ignore},
                     frozenset(sha for sha, *_, ignore in rows if ignore))
