"""One update of the opinion map: the steps in order, each a function of plain data.

:func:`compute` is the whole method. Each step lives in its own module, whose docstring names it by
its number in ``docs/opinion-method.md`` ("Step 2, the PCA"). The steps pass frozen dataclasses
(:class:`LatestVotes`, :class:`RatingMatrix`, :class:`Projection`, :class:`GroupChoice`,
:class:`GroupTallies`) and numpy arrays to each other, and :mod:`.assemble` turns them into the
:class:`Result` and :class:`State` given back, by id.
"""

from __future__ import annotations

from collections.abc import Hashable

from coproduce.methods.opinion.assemble import make_result, make_state
from coproduce.methods.opinion.clusters import base_clusters, group_clusterings
from coproduce.methods.opinion.consensus import consensus_statements, group_aware_consensus
from coproduce.methods.opinion.groups import choose_k, group_of_rows
from coproduce.methods.opinion.in_conv import in_conv
from coproduce.methods.opinion.matrix import rating_matrix
from coproduce.methods.opinion.pca import principal_components
from coproduce.methods.opinion.priorities import priorities
from coproduce.methods.opinion.projection import project
from coproduce.methods.opinion.repness import representative_statements
from coproduce.methods.opinion.results import Result, State
from coproduce.methods.opinion.tallies import group_tallies
from coproduce.methods.opinion.votes import LatestVotes


def compute(
    votes: LatestVotes, moderated_out: set[Hashable], meta: set[Hashable], previous: State
) -> tuple[Result, State]:
    """The opinion map of ``votes``, starting from ``previous`` (``State()`` for a fresh start).

    ``moderated_out`` holds the statements whose column is zeroed (meta statements included);
    ``meta`` the statements with Pol.is's fixed priority.
    """
    statements = votes.statements
    matrix = rating_matrix(votes, moderated_out)
    comps = principal_components(matrix, statements, previous)
    projection = project(matrix, comps)
    in_idx = in_conv(votes, matrix.n_cmts, previous)
    base = base_clusters(projection.participants[in_idx], in_idx, votes, previous)
    clusterings, silhouettes = group_clusterings(base, previous)
    choice = choose_k(clusterings, silhouettes, previous)
    group_of_row = group_of_rows(matrix.n_rows, in_idx, base, choice.groups)
    tallies = group_tallies(votes, group_of_row, len(choice.groups))
    group_ids = [g.id for g in choice.groups]
    result = make_result(
        votes=votes,
        matrix=matrix,
        comps=comps,
        projection=projection,
        in_idx=in_idx,
        base=base,
        choice=choice,
        silhouettes=silhouettes,
        group_of_row=group_of_row,
        tallies=tallies,
        repness=representative_statements(tallies, group_of_row, matrix, statements, group_ids),
        consensus=consensus_statements(votes, matrix),
        group_aware_consensus=group_aware_consensus(tallies, matrix.has_col, statements),
        priorities=priorities(tallies, projection.extremity, statements, meta),
    )
    state = make_state(votes=votes, comps=comps, in_idx=in_idx, base=base, clusterings=clusterings, choice=choice)
    return result, state
