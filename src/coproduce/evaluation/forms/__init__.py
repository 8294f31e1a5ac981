"""The evaluation forms, one module per part."""
