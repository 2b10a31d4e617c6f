"""Batch runner and command line: discover files, detect formats, convert, validate, write."""
__version__ = "0.1.0"
