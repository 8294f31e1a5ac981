"""The reports pages, one module per part: open_data, outcomes, builder."""
