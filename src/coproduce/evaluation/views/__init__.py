"""The evaluation pages, one module per part; this module names what urls.py may use."""
