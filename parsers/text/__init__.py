"""Text renditions (.txt, .md): plain text, HTML and markdown tables (plain.py,
html_tables.py), and flattened PDF text, read by the flattened-text reader (flattext/) and,
for interleaved tables whose cells are centred vertically, by the older layout_* modules."""
