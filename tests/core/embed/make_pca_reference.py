#!/usr/bin/env python3
"""Makes pca_reference.json: a small correlated data set and scikit-learn's PCA of it.

Run once with Debian's python3-sklearn (1.2.1 when this was committed):
    /usr/bin/python3 tests/core/embed/make_pca_reference.py > tests/core/embed/pca_reference.json
PcaTest.cpp checks neurolens' PCA against these numbers.
"""
import json

import numpy as np
import sklearn
from sklearn.decomposition import PCA

rng = np.random.default_rng(2026)
n, d = 60, 8
latent = rng.normal(size=(n, 3)) * np.array([3.0, 1.5, 0.5])
mixing = rng.normal(size=(3, d))
X = (latent @ mixing + 0.2 * rng.normal(size=(n, d)) + 5.0).astype(np.float32)

X64 = X.astype(np.float64)  # the float32 values exactly, analysed in double precision
pca = PCA(svd_solver="full").fit(X64)
print(json.dumps({
    "sklearn_version": sklearn.__version__,
    "X": X.astype(float).tolist(),
    "mean": pca.mean_.astype(float).tolist(),
    "explained_variance": pca.explained_variance_.astype(float).tolist(),
    "explained_variance_ratio": pca.explained_variance_ratio_.astype(float).tolist(),
    "components": pca.components_.astype(float).tolist(),
    "transform3": pca.transform(X64)[:, :3].astype(float).tolist(),
}, indent=1))
