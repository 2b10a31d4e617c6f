"""The format-free plan stage: document model -> plan structure (annex task tables, header ->
column mapping, section rows, continuation rows, statistics forms set aside).

- `columns`: the column vocabulary (parsers/data/columns.toml) and its matching.
- `table_header`: a table's header rows -> which column holds which role.
- `structure`: the whole document -> `PlanStructure` (`analyse`).
"""
