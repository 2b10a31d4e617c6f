"""Format parsers: each reads one file format into the shared document model."""
