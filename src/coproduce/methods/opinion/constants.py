"""The Pol.is constants (conversation.clj base-conv-update-graph, repness.clj, stats.clj)."""

MIN_VOTES = 7
GREEDY_N = 15
BASE_K = 100
BASE_ITERS = 100
MAX_K = 5
GROUP_ITERS = 20  # Pol.is passes :cluster-iters, which kmeans ignores: its default of 20 applies.
GROUP_K_BUFFER = 4
PCA_ITERS = 1000  # Pol.is does 100 per update from the last components; we iterate to convergence.
LARGE_PCA_ITERS = 30  # sweeps over all votes in a large conversation, after a start from a sample
Z_90 = 1.2816
REP_COUNT = 5
CONSENSUS_COUNT = 5
META_PRIORITY = 7.0
SAME_CLUSTERING = 0.01
