#!/usr/bin/env python3
"""Makes fa_reference.json: a factor analysis solved by scikit-learn.

Run once with Debian's python3-sklearn (1.2.1 when this was committed):
    /usr/bin/python3 tests/core/embed/make_fa_reference.py > tests/core/embed/fa_reference.json
EmbeddingMethodTest.cpp checks the "fa" embedding method against these numbers.
"""
import json

import numpy as np
import sklearn
from sklearn.decomposition import FactorAnalysis

rng = np.random.default_rng(11)
samples, features, factors = 150, 12, 3
loadings = rng.normal(size=(factors, features))
noise = rng.uniform(0.2, 2.0, size=features)
z = rng.normal(size=(samples, factors))
X = (z @ loadings + rng.normal(size=(samples, features)) * np.sqrt(noise) + 3.0).astype(np.float32)

fa = FactorAnalysis(n_components=factors, svd_method="lapack", tol=1e-10, max_iter=100000).fit(X.astype(np.float64))
print(json.dumps({"sklearn_version": sklearn.__version__, "factors": factors, "X": X.astype(float).tolist(),
                  "transform": fa.transform(X.astype(np.float64)).tolist(),
                  "noise_variance": fa.noise_variance_.tolist(), "log_likelihood": float(fa.loglike_[-1])}))
