"""Decisions made together: proposals decided by consent, yes/no, scores, dots, a time poll or ranked choice
(one winner, or several seats by STV), with quorum and an optional double majority of members and staff,
amendments kept as versions, and outcomes with an owner, a due date and a review date."""
