"""Opinion maps: the Pol.is method, plain data in and out.

People vote agree / disagree / pass on short statements. From the votes this module computes what
Pol.is computes (see ``docs/opinion-method.md``):

1. the vote matrix, one cell per participant and statement holding the **latest** vote, with the
   columns of moderated-out (and meta) statements set to 0 for everyone;
2. a 2-component PCA of that matrix with missing votes replaced by the statement's mean, found by
   power iteration (warm-started from the previous update), and the "sparsity-aware" projection of
   every participant and statement onto it;
3. the participants in the map ("in-conv"): everyone who has cast ``min(7, statements)`` votes,
   sticky across updates, topped up to 15 with the most active voters;
4. 100 base clusters of those participants (k-means on their projections), then group clusters for
   k = 2..min(5, 2 + base/12) (weighted k-means on the base-cluster centres), k chosen by silhouette
   and smoothed across updates;
5. representative statements per group, consensus statements, group-aware consensus and the
   priority with which each statement should be shown next.

Vote signs: in **this API** agree = +1, disagree = -1, pass = 0. Pol.is stores and computes with the
opposite sign (agree = -1). Every count and statistic here is identical; the geometric outputs (PCA
centre, projections) are the Pol.is ones multiplied by -1, which is the same map rotated by 180
degrees (principal components are defined only up to sign anyway).

Pol.is computes a conversation as a long run of such updates, each starting from the last, so its
groups depend on the order the votes came in; :func:`replay` rebuilds a map that way from
timestamped votes. Everything here is plain Python and numpy; results and state convert to
JSON-ready dictionaries.

The package holds one module per stage; :mod:`.pipeline` calls them in order and lists them.
This module gives the public API: import it as ``from coproduce.methods import opinion``. Besides
``__all__``, the Pol.is constants, the tests ``prop_test`` and ``two_prop_test`` and the array types
``FloatArray`` and ``IntArray`` are importable from here.
"""

from coproduce.methods.opinion.agreement import adjusted_rand_index
from coproduce.methods.opinion.constants import BASE_ITERS as BASE_ITERS
from coproduce.methods.opinion.constants import BASE_K as BASE_K
from coproduce.methods.opinion.constants import CONSENSUS_COUNT as CONSENSUS_COUNT
from coproduce.methods.opinion.constants import GREEDY_N as GREEDY_N
from coproduce.methods.opinion.constants import GROUP_ITERS as GROUP_ITERS
from coproduce.methods.opinion.constants import GROUP_K_BUFFER as GROUP_K_BUFFER
from coproduce.methods.opinion.constants import LARGE_PCA_ITERS as LARGE_PCA_ITERS
from coproduce.methods.opinion.constants import MAX_K as MAX_K
from coproduce.methods.opinion.constants import META_PRIORITY as META_PRIORITY
from coproduce.methods.opinion.constants import MIN_VOTES as MIN_VOTES
from coproduce.methods.opinion.constants import PCA_ITERS as PCA_ITERS
from coproduce.methods.opinion.constants import REP_COUNT as REP_COUNT
from coproduce.methods.opinion.constants import SAME_CLUSTERING as SAME_CLUSTERING
from coproduce.methods.opinion.constants import Z_90 as Z_90
from coproduce.methods.opinion.history import replay, replay_interval, replay_updates
from coproduce.methods.opinion.results import (
    BaseCluster,
    ClusterState,
    ConsensusStatement,
    Group,
    Pca,
    RepStatement,
    Result,
    State,
)
from coproduce.methods.opinion.stats import prop_test as prop_test
from coproduce.methods.opinion.stats import two_prop_test as two_prop_test
from coproduce.methods.opinion.types import FloatArray as FloatArray
from coproduce.methods.opinion.types import IntArray as IntArray
from coproduce.methods.opinion.types import TimedVote, Vote
from coproduce.methods.opinion.updates import update, update_arrays

__all__ = [
    "BaseCluster",
    "ClusterState",
    "ConsensusStatement",
    "Group",
    "Pca",
    "RepStatement",
    "Result",
    "State",
    "TimedVote",
    "Vote",
    "adjusted_rand_index",
    "replay",
    "replay_interval",
    "replay_updates",
    "update",
    "update_arrays",
]
