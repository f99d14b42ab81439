"""The Python half of `cargo xtask bench`: the same EM iterations with scikit-learn and with plain numpy.

Usage: python compare.py IMPL CASE ITERATIONS DIR, where IMPL is `sklearn` or `numpy`. It reads the data
and the starting parameters that `emlab-bench` wrote (DIR/CASE.f64, DIR/CASE.start), runs ITERATIONS
iterations (E-step then M-step) from that start, timing each, and prints one `key=value` line: the median
ms per iteration, the log-likelihood of the final parameters (for k-means: minus the within-cluster sum
of squares) and the process's peak resident set. Run one case per process, single-threaded
(OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1, set by the caller).

scikit-learn is timed through the two calls its `fit` makes per iteration (`_e_step`, `_m_step` of
GaussianMixture; `lloyd_iter_chunked_dense` of KMeans with n_threads=1), so its set-up and the final
E-step of `fit` are not counted. There is no scikit-learn model of coin mixtures.
"""

import os
import resource
import sys
import time

import numpy as np

REG = 1e-6  # EM Lab's default variance floor, scikit-learn's default reg_covar


def vm_kib(field):
    """VmHWM or VmRSS of this process in KiB, from /proc (0 where it is missing)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def read_case(directory, case):
    """The data (N×d, or heads/tosses for coins) and the start {name: array} that emlab-bench wrote."""
    values = np.fromfile(os.path.join(directory, case + ".f64"), dtype="<f8")
    start = {}
    with open(os.path.join(directory, case + ".start")) as text:
        for line in text:
            name, *numbers = line.split()
            start[name] = np.array([float(v) for v in numbers])
    model = case.rsplit("-", 1)[0]
    data = values.reshape(-1, 1) if model == "gmm1d" else values.reshape(-1, 2)
    return model, np.ascontiguousarray(data), start


def gmm_start(model, start):
    """(weights K, means K×d, covariances K×d×d) of a Gaussian-mixture start."""
    k = len(start["weights"])
    if model == "gmm1d":
        return start["weights"], start["means"].reshape(k, 1), start["variances"].reshape(k, 1, 1)
    return start["weights"], start["means"].reshape(k, 2), start["covariances"].reshape(k, 2, 2)


def timed(iterations, step):
    """Calls step() `iterations` times; the median of the times in ms."""
    times = []
    for _ in range(iterations):
        t = time.perf_counter()
        step()
        times.append((time.perf_counter() - t) * 1e3)
    return float(np.median(times))


def kmeans_objective(x, centres):
    """Minus J: minus the sum over points of the squared distance to the nearest centre."""
    d2 = ((x[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    return -float(d2.min(axis=1).sum())


# ---------------------------------------------------------------- scikit-learn


def sklearn_gmm(model, x, start, iterations):
    from sklearn.mixture import GaussianMixture
    from sklearn.mixture._gaussian_mixture import _compute_precision_cholesky

    weights, means, covariances = gmm_start(model, start)
    gm = GaussianMixture(n_components=len(weights), covariance_type="full", reg_covar=REG)
    gm.weights_, gm.means_, gm.covariances_ = weights.copy(), means.copy(), covariances.copy()
    gm.precisions_cholesky_ = _compute_precision_cholesky(covariances, "full")

    def step():
        _, log_resp = gm._e_step(x)
        gm._m_step(x, log_resp)

    ms = timed(iterations, step)
    return ms, float(gm.score_samples(x).sum())


def sklearn_kmeans(x, start, iterations):
    from sklearn.cluster._k_means_lloyd import lloyd_iter_chunked_dense

    centres = start["centres"].reshape(-1, 2).copy()
    k = len(centres)
    state = {
        "old": centres,
        "new": np.zeros_like(centres),
        "weight": np.zeros(k),
        "labels": np.full(x.shape[0], -1, dtype=np.int32),
        "shift": np.zeros(k),
    }
    sample_weight = np.ones(x.shape[0])

    def step():
        s = state
        lloyd_iter_chunked_dense(
            x, sample_weight, s["old"], s["new"], s["weight"], s["labels"], s["shift"], 1
        )
        s["old"], s["new"] = s["new"], s["old"]

    ms = timed(iterations, step)
    return ms, kmeans_objective(x, state["old"])


# ---------------------------------------------------------------- plain numpy


def numpy_gmm(x, start, model, iterations):
    weights, means, covariances = gmm_start(model, start)
    state = {"w": weights.copy(), "mu": means.copy(), "cov": covariances.copy()}
    n, d = x.shape

    def log_joint():
        s = state
        out = np.empty((n, len(s["w"])))
        for k in range(len(s["w"])):
            inv = np.linalg.inv(s["cov"][k])
            diff = x - s["mu"][k]
            maha = ((diff @ inv) * diff).sum(axis=1)
            _, logdet = np.linalg.slogdet(s["cov"][k])
            out[:, k] = np.log(s["w"][k]) - 0.5 * (d * np.log(2 * np.pi) + logdet + maha)
        return out

    def log_likelihood():
        lj = log_joint()
        top = lj.max(axis=1, keepdims=True)
        return float((top[:, 0] + np.log(np.exp(lj - top).sum(axis=1))).sum())

    def step():
        lj = log_joint()
        top = lj.max(axis=1, keepdims=True)
        resp = np.exp(lj - top)
        resp /= resp.sum(axis=1, keepdims=True)
        nk = resp.sum(axis=0)
        mu = (resp.T @ x) / nk[:, None]
        cov = np.empty((len(nk), d, d))
        for k in range(len(nk)):
            diff = x - mu[k]
            cov[k] = (resp[:, k, None] * diff).T @ diff / nk[k] + REG * np.eye(d)
        state.update(w=nk / n, mu=mu, cov=cov)

    ms = timed(iterations, step)
    return ms, log_likelihood()


def numpy_kmeans(x, start, iterations):
    state = {"c": start["centres"].reshape(-1, 2).copy()}

    def step():
        c = state["c"]
        d2 = ((x[:, None, :] - c[None, :, :]) ** 2).sum(axis=2)
        labels = d2.argmin(axis=1)
        counts = np.bincount(labels, minlength=len(c))
        new = c.copy()
        for j in range(x.shape[1]):
            sums = np.bincount(labels, weights=x[:, j], minlength=len(c))
            new[:, j] = np.where(counts > 0, sums / np.maximum(counts, 1), c[:, j])
        state["c"] = new

    ms = timed(iterations, step)
    return ms, kmeans_objective(x, state["c"])


def numpy_coins(data, start, iterations):
    heads, tosses = data[:, 0].copy(), data[:, 1].copy()
    tails = tosses - heads
    state = {"w": start["weights"].copy(), "t": start["heads"].copy()}

    def log_joint():
        w, t = state["w"], state["t"]
        return np.log(w) + heads[:, None] * np.log(t) + tails[:, None] * np.log1p(-t)

    def step():
        lj = log_joint()
        top = lj.max(axis=1, keepdims=True)
        resp = np.exp(lj - top)
        resp /= resp.sum(axis=1, keepdims=True)
        nk = resp.sum(axis=0)
        state.update(w=nk / len(heads), t=(resp.T @ heads) / (resp.T @ tosses))

    def log_likelihood():
        lj = log_joint()
        top = lj.max(axis=1, keepdims=True)
        return float((top[:, 0] + np.log(np.exp(lj - top).sum(axis=1))).sum())

    ms = timed(iterations, step)
    return ms, log_likelihood()


def blas():
    """The BLAS numpy calls and its thread count, e.g. `openblas:Haswell:1`, when threadpoolctl is there."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown"
    pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
    return ",".join(
        f"{p.get('internal_api')}:{p.get('architecture')}:{p.get('num_threads')}" for p in pools
    ) or "none"


def main():
    impl, case, iterations, directory = sys.argv[1:5]
    iterations = int(iterations)
    if impl == "sklearn":
        import sklearn  # noqa: F401  (imported before the baseline, as numpy is)
    base_kib = vm_kib("VmRSS")
    model, x, start = read_case(directory, case)
    if impl == "sklearn":
        if model in ("gmm1d", "gmm2d"):
            ms, loglik = sklearn_gmm(model, x, start, iterations)
        elif model == "kmeans":
            ms, loglik = sklearn_kmeans(x, start, iterations)
        else:
            print(f"skip=no-scikit-learn-model-of-{model}")
            return
    elif impl == "numpy":
        if model in ("gmm1d", "gmm2d"):
            ms, loglik = numpy_gmm(x, start, model, iterations)
        elif model == "kmeans":
            ms, loglik = numpy_kmeans(x, start, iterations)
        else:
            ms, loglik = numpy_coins(x, start, iterations)
    else:
        sys.exit(f"unknown implementation {impl!r}: use sklearn or numpy")
    peak_kib = max(vm_kib("VmHWM"), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    print(
        f"impl={impl} case={case} iterations={iterations} ms={ms:.4f} loglik={loglik!r} "
        f"vmhwm_kib={peak_kib} base_kib={base_kib} blas={blas()}"
    )


if __name__ == "__main__":
    main()
