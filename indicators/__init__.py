"""Pure domain core: catalog, regions, periods, targets and the gap engine.

Nothing in this package imports streamlit or sqlalchemy.
"""
