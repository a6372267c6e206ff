"""The columns of the documents table the run-level suite reads (expectations.run_level counts them per batch)."""

from __future__ import annotations

import pyarrow as pa

from warehouse.schemas import SCHEMAS

# the columns of the warehouse's documents table the suite reads, and their schema (taken from it)
COLUMNS = ("doc_id", "source_file", "articles_extracted")
SCHEMA = pa.schema([SCHEMAS["documents"].field(name) for name in COLUMNS])
