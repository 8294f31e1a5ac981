"""The one commitments board: everything the partnership has promised, gathered from the sources each
capability registers in ``partnerships.commitments``, with overdue items flagged and reviews recorded."""
