"""Kielce Smart City Benchmarks: clean, benchmark and publish the 2018 Kielce smart-city diagnosis."""

__version__ = "0.1.0"
