"""Text: every word a reader sees, in Polish or English (translations, number formats, report prose).

Reads results of :mod:`analysis.methods`; never computes them.
"""
