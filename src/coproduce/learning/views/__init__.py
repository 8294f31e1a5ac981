"""The learning pages (one module per part; urls.py names the views by module)."""
