"""Figures: the charts of the reports, drawn from results with labels from :mod:`analysis.text`."""
