"""Streamlit helpers shared by pages (not pages: Streamlit lists every file in pages/ as one)."""
