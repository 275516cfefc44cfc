#include "neurolens/embed/Tsne.h"

#include "neurolens/embed/FeatureInput.h"

#include "TsneRepulsion.h"
#include "TsneSimd.h"
#include "linalg/Blas.h"
#include "linalg/SparseCounts.h"
#include "linalg/SparseRows.h"
#include "neurolens/data/Error.h"
#include "neurolens/embed/Pca.h"
#include "neurolens/jobs/Parallel.h"
#include "neurolens/sim/Random.h"

#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <numeric>
#include <string>
#include <thread>

namespace neurolens {
namespace {

// The k nearest neighbours of every row (itself excluded), by squared euclidean distance,
// ascending.
struct Neighbours {
    int k = 0;
    std::vector<int> index;       // n x k
    std::vector<float> distance;  // n x k, squared
};

// Each row's k nearest: the candidates no farther than the k-th nearest so far are kept, and when
// 2k are kept the k nearest of them are selected (the k-th's distance the new bound). Per candidate
// that is a comparison, and for the few kept a constant share of a selection (a heap's insertions
// cost a sift each). The k smallest (distance, index) pairs do not depend on the order in which the
// candidates come.
struct Nearest {
    std::vector<std::pair<float, int>> kept;
    float bound = std::numeric_limits<float>::infinity();

    void offer(float distance, int j, int k)
    {
        if (distance > bound) return;
        kept.emplace_back(distance, j);
        if (int(kept.size()) >= 2 * k) select(k);
    }
    void select(int k)
    {
        if (int(kept.size()) <= k) return;
        std::nth_element(kept.begin(), kept.begin() + (k - 1), kept.end());
        kept.resize(std::size_t(k));
        bound = kept.back().first;
    }
};

// Exact neighbours by GEMM over pairs of row blocks (I, J >= I): each product serves the rows of I
// and, read by columns, the rows of J, so the 9 000 x 9 000 x 765 distance products cost half a
// full GEMM.
Neighbours exactNeighbours(const RowMatrixXf& X, int k, int threads, Progress& progress)
{
    const int n = int(X.rows()), d = int(X.cols());
    Neighbours nb;
    nb.k = k;
    nb.index.resize(std::size_t(n) * std::size_t(k));
    nb.distance.resize(std::size_t(n) * std::size_t(k));
    const Eigen::VectorXf norms = X.rowwise().squaredNorm();
    const int block = std::min(n, 2048);
    const int blocks = (n + block - 1) / block;
    std::vector<Nearest> nearest(static_cast<std::size_t>(n));
    for (auto& h : nearest) h.kept.reserve(2 * std::size_t(k));
    RowMatrixXf dots(block, block);
    const std::int64_t pairs = std::int64_t(blocks) * (blocks + 1) / 2;
    std::int64_t done = 0;
    // Mostly-zero rows (spike counts in short bins: 87 % zeros at 30 Hz) give their products from
    // their nonzeros (SparseRows.h): each block of rows in compressed form times the other block
    // transposed. Counts (whole numbers over a common factor, none above 127 times it) multiply in
    // integers instead, each block transposed into bytes once (SparseCounts.h): exact products, the
    // same floats as the float product of counts over a power of two.
    std::vector<SparseProduct> sparseBlocks;
    std::vector<SparseCounts> countBlocks;
    std::vector<Int8Columns> countsTransposed;
    RowMatrixXf blockTransposed;
    {
        SparseRows all = SparseRows::fromDense(X.data(), n, d);
        const std::optional<SparseCounts> counts =
            all.density() < kSparseProductsBelow ? SparseCounts::of(all) : std::nullopt;
        for (int b = 0; counts && b < blocks; ++b) {
            const int first = b * block, last = std::min(n, first + block);
            blockTransposed = X.middleRows(first, last - first).transpose();
            countsTransposed.emplace_back();
            std::optional<SparseCounts> rows = SparseCounts::of(all.rowRange(first, last));
            if (!rows ||
                !countsTransposed.back().assignWhole(
                    blockTransposed.data(), d, int(blockTransposed.cols()), counts->factor())) {
                countBlocks.clear();
                countsTransposed.clear();
                break;
            }
            countBlocks.push_back(std::move(*rows));
        }
        if (countBlocks.empty() && all.density() < kSparseProductsBelow)
            for (int b = 0; b < blocks; ++b)
                sparseBlocks.emplace_back(all.rowRange(b * block, std::min(n, (b + 1) * block)));
    }
    const std::vector<double> noOffset(std::size_t(block), 0.0);
    for (int bi = 0; bi < blocks; ++bi)
        for (int bj = bi; bj < blocks; ++bj) {
            progress.checkCancelled();
            const int i0 = bi * block, mi = std::min(block, n - i0), j0 = bj * block,
                      mj = std::min(block, n - j0);
            // dots (mi x mj, row-major, leading dimension mj) = X[I] X[J]^T: column-major dots^T
            // (mj x mi).
            if (!countBlocks.empty()) {
                countBlocks[std::size_t(bi)].times(countsTransposed[std::size_t(bj)],
                                                   noOffset.data(), dots.data(), threads);
            } else if (!sparseBlocks.empty()) {
                blockTransposed = X.middleRows(j0, mj).transpose();  // d x mj
                sparseBlocks[std::size_t(bi)].times(blockTransposed.data(), mj, dots.data(),
                                                    nullptr, threads);
            } else {
                const float one = 1.0f, zero = 0.0f;
                sgemm_("T", "N", &mj, &mi, &d, &one, X.data() + std::size_t(j0) * std::size_t(d),
                       &d, X.data() + std::size_t(i0) * std::size_t(d), &d, &zero, dots.data(), &mj,
                       1, 1);
            }
            // Squared distances in place, then the rows of I read their rows of it.
            float* D = dots.data();
            parallelFor(
                mi,
                [&](int r) {
                    float* row = D + std::size_t(r) * std::size_t(mj);
                    const float ni = norms[i0 + r];
                    const float* nj = norms.data() + j0;
                    for (int c = 0; c < mj; ++c) row[c] = std::max(0.0f, ni + nj[c] - 2 * row[c]);
                    Nearest& h = nearest[std::size_t(i0) + std::size_t(r)];
                    const int self = i0 + r - j0;  // the row's own column, when in this block
                    // Eight at a time past the bound (almost all, after the first blocks).
                    for (int c0 = 0; c0 < mj; c0 += 8) {
                        const int c1 = std::min(mj, c0 + 8);
                        bool any = false;
                        for (int c = c0; c < c1; ++c) any |= row[c] <= h.bound;
                        if (any)
                            for (int c = c0; c < c1; ++c)
                                if (c != self) h.offer(row[c], j0 + c, k);
                    }
                },
                threads);
            // The rows of J (another block) read its columns, 16 at a time: each row of it is read
            // a cache line at a time, and the 16 rows' candidates stay in L1.
            if (bj != bi) {
                constexpr int kColumns = 16;
                parallelFor((mj + kColumns - 1) / kColumns,
                            [&](int t) {
                                const int c0 = t * kColumns, w = std::min(kColumns, mj - c0);
                                Nearest* h = nearest.data() + j0 + c0;
                                std::array<float, kColumns> bound{};
                                for (int c = 0; c < w; ++c) bound[std::size_t(c)] = h[c].bound;
                                for (int r = 0; r < mi; ++r) {
                                    const float* row = D + std::size_t(r) * std::size_t(mj) + c0;
                                    bool any = w < kColumns;  // a narrower last group: one by one
                                    if (!any)
                                        for (int c = 0; c < kColumns; ++c)
                                            any |= row[c] <= bound[std::size_t(c)];
                                    if (!any) continue;
                                    for (int c = 0; c < w; ++c)
                                        if (row[c] <= bound[std::size_t(c)]) {
                                            h[c].offer(row[c], i0 + r, k);
                                            bound[std::size_t(c)] = h[c].bound;
                                        }
                                }
                            },
                            threads);
            }
            progress.report(int(++done), int(pairs), "t-SNE: nearest neighbours");
        }
    parallelFor(
        n,
        [&](int i) {
            Nearest& h = nearest[std::size_t(i)];
            h.select(k);
            auto& best = h.kept;
            std::sort(best.begin(), best.end());
            for (int a = 0; a < k; ++a) {
                nb.index[std::size_t(i) * std::size_t(k) + std::size_t(a)] =
                    best[std::size_t(a)].second;
                nb.distance[std::size_t(i) * std::size_t(k) + std::size_t(a)] =
                    best[std::size_t(a)].first;
            }
        },
        threads);
    return nb;
}

// An HNSW graph (hnswlib), built single-threaded in row order with a fixed seed so the neighbours
// are reproducible, then queried in parallel (queries do not change the graph). M = 16,
// construction and search breadths 64 and 4k/3: on 20 000 samples x 50 PCs of a simulated session
// 95 % of the exact neighbours (L1 distance of the affinities 0.04), and 100 000 samples in 14 s on
// 2 cores (breadths 100 and 2k: 98.6 % in 21 s).
Neighbours approximateNeighbours(const RowMatrixXf& X, int k, int threads, Progress& progress)
{
    const int n = int(X.rows()), d = int(X.cols());
    hnswlib::L2Space space(static_cast<std::size_t>(d));
    hnswlib::HierarchicalNSW<float> graph(&space, std::size_t(n), 16, 64, 42);
    for (int i = 0; i < n; ++i) {
        if (i % 1024 == 0) {
            progress.checkCancelled();
            progress.report(i, 2 * n, "t-SNE: neighbour graph");
        }
        graph.addPoint(X.data() + std::size_t(i) * std::size_t(d), std::size_t(i));
    }
    graph.setEf(std::size_t(std::max(k + 1, 4 * k / 3)));
    Neighbours nb;
    nb.k = k;
    nb.index.resize(std::size_t(n) * std::size_t(k));
    nb.distance.resize(std::size_t(n) * std::size_t(k));
    const int chunk = 1024;
    for (int start = 0; start < n; start += chunk) {
        progress.checkCancelled();
        const int m = std::min(chunk, n - start);
        parallelFor(
            m,
            [&](int r) {
                const int i = start + r;
                auto found =
                    graph.searchKnn(X.data() + std::size_t(i) * std::size_t(d), std::size_t(k) + 1);
                std::vector<std::pair<float, int>> cand;
                while (!found.empty()) {
                    if (int(found.top().second) != i)
                        cand.emplace_back(found.top().first, int(found.top().second));
                    found.pop();
                }
                std::sort(cand.begin(), cand.end());
                cand.resize(std::size_t(k), {std::numeric_limits<float>::max(), i});
                for (int a = 0; a < k; ++a) {
                    nb.index[std::size_t(i) * std::size_t(k) + std::size_t(a)] =
                        cand[std::size_t(a)].second;
                    nb.distance[std::size_t(i) * std::size_t(k) + std::size_t(a)] =
                        cand[std::size_t(a)].first;
                }
            },
            threads);
        progress.report(n + start + m, 2 * n, "t-SNE: nearest neighbours");
    }
    return nb;
}

// Symmetric sparse affinities in CSR, rows sorted by column.
struct Csr {
    std::vector<std::int64_t> start;  // n + 1
    std::vector<int> column;
    std::vector<float> value;
};

// Conditional probabilities by binary search on each point's precision (scikit-learn's
// _binary_search_perplexity: entropy in nats within 1e-5 of log(perplexity), at most 100 steps),
// then P = (P + P^T) / sum.
Csr affinities(const Neighbours& nb, int n, double perplexity, int threads)
{
    const int k = nb.k;
    std::vector<float> cond(std::size_t(n) * std::size_t(k));
    const double target = std::log(perplexity);
    parallelFor(
        n,
        [&](int i) {
            const float* dist = &nb.distance[std::size_t(i) * std::size_t(k)];
            double beta = 1, lo = -std::numeric_limits<double>::infinity(),
                   hi = std::numeric_limits<double>::infinity();
            std::vector<double> p(static_cast<std::size_t>(k));
            for (int step = 0; step < 100; ++step) {
                double sum = 0;
                for (int a = 0; a < k; ++a)
                    sum += (p[std::size_t(a)] = std::exp(-double(dist[a]) * beta));
                if (sum == 0) sum = 1e-8;
                double dp = 0;
                for (int a = 0; a < k; ++a) {
                    p[std::size_t(a)] /= sum;
                    dp += double(dist[a]) * p[std::size_t(a)];
                }
                const double entropy = std::log(sum) + beta * dp;
                const double diff = entropy - target;
                if (std::abs(diff) <= 1e-5) break;
                if (diff > 0) {
                    lo = beta;
                    beta = std::isinf(hi) ? beta * 2 : (beta + hi) / 2;
                } else {
                    hi = beta;
                    beta = std::isinf(lo) ? beta / 2 : (beta + lo) / 2;
                }
            }
            for (int a = 0; a < k; ++a)
                cond[std::size_t(i) * std::size_t(k) + std::size_t(a)] = float(p[std::size_t(a)]);
        },
        threads);

    // A (row i: its neighbours) and A^T, both in CSR; P = A + A^T merged row by row.
    std::vector<std::int64_t> tStart(std::size_t(n) + 1, 0);
    for (int j : nb.index) ++tStart[std::size_t(j) + 1];
    for (int i = 0; i < n; ++i) tStart[std::size_t(i) + 1] += tStart[std::size_t(i)];
    std::vector<int> tCol(nb.index.size());
    std::vector<float> tVal(nb.index.size());
    {
        std::vector<std::int64_t> fill(tStart.begin(), tStart.end() - 1);
        for (int i = 0; i < n; ++i)  // rows of A^T come out sorted by column (i ascending)
            for (int a = 0; a < k; ++a) {
                const std::size_t e = std::size_t(i) * std::size_t(k) + std::size_t(a);
                const std::int64_t at = fill[std::size_t(nb.index[e])]++;
                tCol[std::size_t(at)] = i;
                tVal[std::size_t(at)] = cond[e];
            }
    }
    std::vector<std::vector<std::pair<int, float>>> rows(static_cast<std::size_t>(n));
    parallelFor(
        n,
        [&](int i) {
            std::vector<std::pair<int, float>> a;
            a.reserve(std::size_t(k));
            for (int b = 0; b < k; ++b) {
                const std::size_t e = std::size_t(i) * std::size_t(k) + std::size_t(b);
                a.emplace_back(nb.index[e], cond[e]);
            }
            std::sort(a.begin(), a.end());
            auto& out = rows[std::size_t(i)];
            std::size_t x = 0;
            std::int64_t y = tStart[std::size_t(i)];
            const std::int64_t yEnd = tStart[std::size_t(i) + 1];
            while (x < a.size() || y < yEnd) {
                if (y >= yEnd || (x < a.size() && a[x].first < tCol[std::size_t(y)])) {
                    out.push_back(a[x++]);
                } else if (x >= a.size() || tCol[std::size_t(y)] < a[x].first) {
                    out.emplace_back(tCol[std::size_t(y)], tVal[std::size_t(y)]);
                    ++y;
                } else {
                    out.emplace_back(a[x].first, a[x].second + tVal[std::size_t(y)]);
                    ++x;
                    ++y;
                }
            }
        },
        threads);
    Csr P;
    P.start.assign(std::size_t(n) + 1, 0);
    double total = 0;
    for (int i = 0; i < n; ++i) {
        P.start[std::size_t(i) + 1] =
            P.start[std::size_t(i)] + std::int64_t(rows[std::size_t(i)].size());
        for (const auto& e : rows[std::size_t(i)]) total += e.second;
    }
    P.column.resize(std::size_t(P.start.back()));
    P.value.resize(std::size_t(P.start.back()));
    const double scale = 1.0 / std::max(total, std::numeric_limits<double>::min());
    for (int i = 0; i < n; ++i) {
        std::int64_t at = P.start[std::size_t(i)];
        for (const auto& e : rows[std::size_t(i)]) {
            P.column[std::size_t(at)] = e.first;
            P.value[std::size_t(at)] = float(e.second * scale);
            ++at;
        }
    }
    return P;
}

void checkInput(const Eigen::Ref<const RowMatrixXf>& rows, double perplexity)
{
    if (rows.rows() < 4)
        throw UsageError("t-SNE needs at least 4 samples, got " + std::to_string(rows.rows()));
    if (!(perplexity > 0)) throw UsageError("t-SNE: the perplexity must be positive");
    if (3 * perplexity + 1 > double(rows.rows() - 1))
        throw UsageError("t-SNE: perplexity " + std::to_string(perplexity) + " needs more than " +
                         std::to_string(int(3 * perplexity + 1)) + " samples; this input has " +
                         std::to_string(rows.rows()));
    if (!rows.allFinite()) throw UsageError("t-SNE: the input holds NaN or infinite values");
}

Csr computeAffinities(const RowMatrixXf& X, double perplexity, int neighbours, int exactUpTo,
                      int threads, Progress& progress)
{
    const int n = int(X.rows());
    const int k =
        neighbours > 0 ? std::min(neighbours, n - 1) : std::min(n - 1, int(3 * perplexity + 1));
    SubProgress knnProgress(progress, 0.0, 0.9);
    const Neighbours nb = n <= exactUpTo ? exactNeighbours(X, k, threads, knnProgress)
                                         : approximateNeighbours(X, k, threads, knnProgress);
    progress.checkCancelled();
    return affinities(nb, n, perplexity, threads);
}

// Below this many points the FFT's fixed grid costs more than Barnes-Hut (measured: 200 points take
// 1.5 ms an iteration on the grid, 0.2 ms with the tree).
constexpr int kFftFrom = 2000;

int resolveThreads(int threads)
{
    return threads > 0 ? threads : int(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace

RowMatrixXf embeddingInput(const Recording& rec, const std::string& input, Progress& progress)
{
    return featureRows(rec, FeatureInput::parse(input), {}, progress);
}

Eigen::SparseMatrix<double, Eigen::RowMajor> tsneAffinities(
    const Eigen::Ref<const RowMatrixXf>& rows, double perplexity, int neighbours, int exactUpTo,
    int threads)
{
    checkInput(rows, perplexity);
    const RowMatrixXf X = rows;
    const Csr P = computeAffinities(X, perplexity, neighbours, exactUpTo, resolveThreads(threads),
                                    Progress::null());
    const int n = int(X.rows());
    Eigen::SparseMatrix<double, Eigen::RowMajor> S(n, n);
    std::vector<Eigen::Triplet<double>> t;
    t.reserve(P.column.size());
    for (int i = 0; i < n; ++i)
        for (std::int64_t e = P.start[std::size_t(i)]; e < P.start[std::size_t(i) + 1]; ++e)
            t.emplace_back(i, P.column[std::size_t(e)], double(P.value[std::size_t(e)]));
    S.setFromTriplets(t.begin(), t.end());
    return S;
}

TsneResult runTsne(const Eigen::Ref<const RowMatrixXf>& rows, const TsneOptions& o,
                   Progress& progress, const TsneLayoutCallback& onLayout)
{
    if (o.dims != 2 && o.dims != 3)
        throw UsageError("t-SNE: dims must be 2 or 3, got " + std::to_string(o.dims));
    if (o.iterations < 1) throw UsageError("t-SNE: at least one iteration");
    if (o.repulsion == TsneOptions::Repulsion::Fft && o.dims != 2)
        throw UsageError("t-SNE: the FFT-accelerated repulsion is 2D only; use Barnes-Hut in 3D");
    checkInput(rows, o.perplexity);
    if (o.initial.size() > 0 && (o.initial.rows() != rows.rows() || o.initial.cols() != o.dims))
        throw UsageError("t-SNE: the starting layout is " + std::to_string(o.initial.rows()) +
                         " x " + std::to_string(o.initial.cols()) + " but there are " +
                         std::to_string(rows.rows()) + " samples in " + std::to_string(o.dims) +
                         "D");
    if (o.initial.size() > 0 && !o.initial.allFinite())
        throw UsageError("t-SNE: the starting layout has values that are not finite");
    const auto clock = std::chrono::steady_clock::now();
    const int threads = resolveThreads(o.threads);
    const int n = int(rows.rows()), D = o.dims;
    const RowMatrixXf X = rows;

    SubProgress affinityProgress(progress, 0.0, 0.15);
    const Csr P =
        computeAffinities(X, o.perplexity, 0, o.exactNeighboursUpTo, threads, affinityProgress);

    // Initial layout, first column with standard deviation 1e-4.
    RowMatrixXf Y(n, D);
    if (o.initial.size() > 0) {
        Y = o.initial;
    } else if (o.init == TsneOptions::Init::Pca) {
        const PcaResult pca = fitPca(X, D);
        Y = pca.transform(X, D);
    } else {
        Random rng(o.seed);
        for (int i = 0; i < n; ++i)
            for (int a = 0; a < D; ++a) Y(i, a) = float(rng.normal());
    }
    {
        const double mean = Y.col(0).cast<double>().mean();
        const double sd = std::sqrt((Y.col(0).cast<double>().array() - mean).square().sum() / n);
        Y *= float(1e-4 / std::max(sd, 1e-30));
    }

    const bool fft = o.repulsion == TsneOptions::Repulsion::Fft ||
                     (o.repulsion == TsneOptions::Repulsion::Auto && D == 2 && n >= kFftFrom);
    const auto repulsion =
        fft ? tsne::makeFftRepulsion2D(threads) : tsne::makeBarnesHut(D, o.theta, threads);
    const double lr = o.learningRate > 0 ? o.learningRate : std::max(n / o.exaggeration / 4, 50.0);
    RowMatrixXf rep(n, D), grad(n, D), update = RowMatrixXf::Zero(n, D),
                                       gains = RowMatrixXf::Ones(n, D);

    // The attractive forces sum_j p_ij w_ij (y_i - y_j), into grad (float: the sums are short).
    auto attract = [&](float scale) {
        const std::int64_t* start = P.start.data();
        const int* column = P.column.data();
        const float* value = P.value.data();
        const float* y = Y.data();
        float* g = grad.data();
        const int chunks = 64;
        parallelFor(
            chunks,
            [&](int c) {
                const int begin = int(std::int64_t(n) * c / chunks),
                          end = int(std::int64_t(n) * (c + 1) / chunks);
                if (D == 2) {
                    tsne::attraction2D(start, column, value, y, g, begin, end, scale);
                } else {
                    for (int i = begin; i < end; ++i) {
                        const float* yi = y + 3 * std::size_t(i);
                        float f0 = 0, f1 = 0, f2 = 0;
                        for (std::int64_t e = start[i]; e < start[i + 1]; ++e) {
                            const float* yj = y + 3 * std::size_t(column[e]);
                            const float d0 = yi[0] - yj[0], d1 = yi[1] - yj[1], d2 = yi[2] - yj[2];
                            const float pw = value[e] / (1.0f + d0 * d0 + d1 * d1 + d2 * d2);
                            f0 += pw * d0;
                            f1 += pw * d1;
                            f2 += pw * d2;
                        }
                        g[3 * std::size_t(i)] = scale * f0;
                        g[3 * std::size_t(i) + 1] = scale * f1;
                        g[3 * std::size_t(i) + 2] = scale * f2;
                    }
                }
            },
            threads);
    };

    TsneResult result;
    result.repulsion = fft ? "fft" : "barnes-hut";
    const int total = o.iterations;
    int it = 0;
    bool stopped = false;
    for (; it < total && !stopped; ++it) {
        progress.checkCancelled();
        const bool early = it < o.exaggerationIterations;
        if (it ==
            o.exaggerationIterations) {  // scikit-learn restarts the optimiser for the second phase
            update.setZero();
            gains.setOnes();
        }
        const double momentum = early ? 0.5 : 0.8;
        repulsion->allowCoarse(early);
        attract(float(early ? o.exaggeration : 1.0));
        const double Z = repulsion->compute(Y.data(), n, rep.data());
        const float invZ = float(1.0 / Z);
        parallelFor(
            n,
            [&](int i) {
                for (int a = 0; a < D; ++a) {
                    const float g = 4.0f * (grad(i, a) - rep(i, a) * invZ);
                    float& gain = gains(i, a);
                    float& u = update(i, a);
                    gain = (u * g < 0.0f) ? gain + 0.2f : std::max(gain * 0.8f, 0.01f);
                    u = float(momentum) * u - float(lr) * gain * g;
                    Y(i, a) += u;
                }
            },
            threads);
        Y.rowwise() -= Y.colwise().mean();
        progress.report(it + 1, total, "t-SNE: optimising");
        if (onLayout && o.reportEvery > 0 && (it + 1) % o.reportEvery == 0 && it + 1 < total)
            stopped = !onLayout(Y, it + 1);
    }
    result.iterations = it;

    // KL(P || Q) of the final layout: sum p log p - sum p log w + log Z (P sums to one).
    const double Z = repulsion->compute(Y.data(), n, rep.data());
    std::vector<double> parts(std::size_t(n), 0.0);
    parallelFor(
        n,
        [&](int i) {
            double s = 0;
            const float* yi = Y.data() + std::size_t(i) * std::size_t(D);
            for (std::int64_t e = P.start[std::size_t(i)]; e < P.start[std::size_t(i) + 1]; ++e) {
                const double p = P.value[std::size_t(e)];
                if (!(p > 0)) continue;
                const float* yj = Y.data() + std::size_t(P.column[std::size_t(e)]) * std::size_t(D);
                double d2 = 0;
                for (int a = 0; a < D; ++a) d2 += (double(yi[a]) - yj[a]) * (double(yi[a]) - yj[a]);
                s += p * (std::log(p) + std::log1p(d2));
            }
            parts[std::size_t(i)] = s;
        },
        threads);
    result.klDivergence = std::accumulate(parts.begin(), parts.end(), 0.0) + std::log(Z);
    result.layout = std::move(Y);
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - clock).count();
    if (onLayout && o.reportEvery > 0) onLayout(result.layout, result.iterations);
    progress.report(total, total, "t-SNE done");
    return result;
}

}  // namespace neurolens
