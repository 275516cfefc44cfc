#!/usr/bin/env python3
"""Makes decode_reference.json: small frame-decoding problems solved by scikit-learn.

Run once with Debian's python3-sklearn (1.2.1 when this was committed):
    /usr/bin/python3 tests/core/decode/make_decode_reference.py > tests/core/decode/decode_reference.json
LassoTest.cpp and KnnDecoderTest.cpp check neurolens against these numbers.
"""
import json

import numpy as np
import sklearn
from sklearn.linear_model import Lasso, LogisticRegression, Ridge
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import r2_score
from sklearn.neighbors import KNeighborsClassifier

rng = np.random.default_rng(7)
frames, repeats, units = 30, 5, 12
tuning = rng.normal(size=(frames, units))
y = np.tile(np.arange(frames), repeats)
X = (np.maximum(tuning[y] + 0.8 * rng.normal(size=(y.size, units)), 0) * 2.0).astype(np.float32)
Xtr, ytr, Xte, yte = X[: 4 * frames], y[: 4 * frames], X[4 * frames:], y[4 * frames:]

out = {"sklearn_version": sklearn.__version__, "X": X.astype(float).tolist(), "y": y.tolist(),
       "train_rows": 4 * frames, "lasso": []}
for alpha in (0.08, 0.5):
    m = Lasso(alpha=alpha, tol=1e-12, max_iter=1000000).fit(Xtr.astype(np.float64), ytr)
    out["lasso"].append({"alpha": alpha, "coef": m.coef_.tolist(), "intercept": float(m.intercept_),
                         "train_r2": float(r2_score(ytr, m.predict(Xtr.astype(np.float64)))),
                         "test_r2": float(r2_score(yte, m.predict(Xte.astype(np.float64))))})
for metric in ("cosine", "euclidean"):
    for weights in ("uniform", "distance"):
        knn = KNeighborsClassifier(n_neighbors=5, metric=metric, weights=weights, algorithm="brute").fit(Xtr, ytr)
        out["knn_%s_%s" % (metric, weights)] = knn.predict(Xte).tolist()
scaler = StandardScaler().fit(Xtr.astype(np.float64))
for C in (1.0, 0.05):
    lr = LogisticRegression(C=C, max_iter=100000, tol=1e-12, multi_class="multinomial").fit(
        scaler.transform(Xtr.astype(np.float64)), ytr)
    p = lr.predict_proba(scaler.transform(Xte.astype(np.float64)))
    out.setdefault("logistic", []).append({"C": C, "test_predictions": lr.predict(scaler.transform(Xte.astype(np.float64))).tolist(),
                                           "test_probabilities": p.tolist(),
                                           "train_accuracy": float(lr.score(scaler.transform(Xtr.astype(np.float64)), ytr))})
B = rng.normal(size=(units, 4))
Y = (X.astype(np.float64) @ B + 0.5 * rng.normal(size=(X.shape[0], 4))).astype(np.float32)
ridge = Ridge(alpha=5.0).fit(Xtr.astype(np.float64), Y[: 4 * frames].astype(np.float64))
pred = ridge.predict(Xte.astype(np.float64))
out["ridge"] = {"alpha": 5.0, "Y": Y.astype(float).tolist(), "coef": ridge.coef_.tolist(),
                "intercept": ridge.intercept_.tolist(),
                "test_r2": [float(r2_score(Y[4 * frames:, j], pred[:, j])) for j in range(4)]}
# Spike-count-like features, mostly zeros (neurolens then fits from the nonzeros).
Xs = np.floor(np.maximum(tuning[y] + 0.8 * rng.normal(size=(y.size, units)) - 1.0, 0) * 3.0).astype(np.float32)
out["X_sparse"] = Xs.astype(float).tolist()
out["X_sparse_density"] = float((Xs != 0).mean())
scaler = StandardScaler().fit(Xs[: 4 * frames].astype(np.float64))
for C in (1.0, 0.05):
    lr = LogisticRegression(C=C, max_iter=100000, tol=1e-12, multi_class="multinomial").fit(
        scaler.transform(Xs[: 4 * frames].astype(np.float64)), ytr)
    te = scaler.transform(Xs[4 * frames:].astype(np.float64))
    out.setdefault("logistic_sparse", []).append({"C": C, "test_predictions": lr.predict(te).tolist(),
                                                  "test_probabilities": lr.predict_proba(te).tolist()})
print(json.dumps(out))
