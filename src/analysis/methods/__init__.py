"""Methods: the statistics that turn tidy data into results (benchmark, robustness, screening, dispersion).

Pure functions: DataFrames in, DataFrames, numbers or result objects out; no words for readers
(those live in :mod:`analysis.text`) and no writing of files. They import only :mod:`analysis.data`
and the base modules.
"""
