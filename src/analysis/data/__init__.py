"""Raw → tidy: parse printed cells, clean the raw tables, validate them, and read and write the processed data.

The lowest layer above :mod:`analysis.config` and :mod:`analysis.errors`: nothing here imports
the methods, the text, the figures or the publisher (``tests/test_layers.py``).
"""
