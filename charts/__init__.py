"""Plotly figure builders (DataFrame -> Figure) and export helpers (PNG, CSV)."""
