"""Domain normalizers: text, departments, deadlines, targets, plan metadata, validation."""
