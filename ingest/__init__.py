"""Batch runner and command line: discover files, detect formats, convert, validate, write."""
__version__ = "0.2.0"   # 0.2: contract v1.1 (responsibilities): reruns reconvert
