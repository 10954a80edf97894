"""Streamlit helpers shared by the pages (the only part of rnnviz that imports streamlit)."""
