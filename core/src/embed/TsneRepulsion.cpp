#include "TsneRepulsion.h"

#include "TsneSimd.h"

#include "neurolens/jobs/Parallel.h"

#include <fftw3.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <cstddef>
#include <functional>
#include <limits>
#include <mutex>
#include <thread>

namespace neurolens::tsne {
namespace {

// FFTW's planner is not thread-safe; executing plans is.
std::mutex& plannerMutex()
{
    static std::mutex m;
    return m;
}

// The smallest n' >= n whose prime factors are 2, 3, 5 and 7 (FFTW is fastest on those).
int smoothSize(int n)
{
    for (int m = std::max(1, n);; ++m) {
        int r = m;
        for (int f : {2, 3, 5, 7})
            while (r % f == 0) r /= f;
        if (r == 1) return m;
    }
}

// An FFTW-aligned array (fftwf_malloc: the plans are made on one buffer and executed on others).
template <class T>
struct FftwBuffer {
    T* data = nullptr;
    FftwBuffer() = default;
    FftwBuffer(const FftwBuffer&) = delete;
    FftwBuffer& operator=(const FftwBuffer&) = delete;
    ~FftwBuffer() { fftwf_free(data); }
    void resize(std::size_t n)
    {
        fftwf_free(data);
        data = static_cast<T*>(fftwf_malloc(sizeof(T) * n));
    }
};

// FIt-SNE's interpolation in 2D. The layout's bounding square is cut into boxes (at least minBoxes
// per axis, of width 1 once the layout is wider than that), each with `nodes` x `nodes`
// interpolation nodes at the centres of equal sub-intervals, so all nodes form one equispaced m x m
// grid. One unit charge per point is spread onto the grid with Lagrange weights, convolved with
// three kernels (a circular convolution of size M = 2m over the zero-padded grid) and read back at
// the points:
//     rep_i = sum_j K(y_i - y_j),  K(d) = d / (1 + |d|^2)^2   (two kernels, one per axis; K(0) = 0)
//     Z = sum_i sum_j w(y_i - y_j) - N,  w(d) = 1 / (1 + |d|^2)
// FIt-SNE and openTSNE instead convolve four charges (1, y_x, y_y, |y|^2) with w^2 and form
// rep_i = y_i phi_1 - phi_y: that needs four forward and four inverse transforms where this needs
// one and three, and its difference of two large terms multiplies the interpolation error by |y_i|
// / |rep_i| (measured on a 1 500-point layout 120 units wide: 18 % RMS error in the forces against
// 1 % here).
//
// The 2D FFTs are batches of contiguous 1D FFTs, pruned to what is not zero or not read: the
// forward transform of the m nonzero rows (length M, real to complex: m x H, H = m + 1), a blocked
// transpose, the M-point transforms of the H columns; per kernel, the product with its spectrum,
// the inverse column transforms, the transpose back and the inverse transforms of the m rows that
// are read. Each batch is split among the threads. Measured against FFTW's 2D plans (FFTW_ESTIMATE,
// as here: FFTW_MEASURE costs most of a second per grid size, and the size changes as the layout
// grows): a convolution 1.5 vs 3.7 ms at M = 600, 2.2 vs 4.3 ms at M = 768.
class FftRepulsion2D : public Repulsion {
public:
    FftRepulsion2D(int threads, int nodes, int minBoxes)
        : threads_(threads <= 0 ? int(std::max(1u, std::thread::hardware_concurrency())) : threads),
          p_(std::clamp(nodes, 2, 8)),
          minBoxes_(minBoxes)
    {
        // Lagrange denominators for nodes at 0, 1, ..., p - 1.
        for (int k = 0; k < p_; ++k) {
            double den = 1;
            for (int l = 0; l < p_; ++l)
                if (l != k) den *= double(k - l);
            inverseDenominators_[std::size_t(k)] = float(1.0 / den);
        }
    }

    ~FftRepulsion2D() override { destroyPlans(); }

    void allowCoarse(bool allow) override { coarse_ = allow; }

    double compute(const float* Y, int n, float* rep) override
    {
        // The few points far out (in early exaggeration 99 % of a 9 000-point layout lies within
        // 0.1 of its centre and a handful of points up to 300 away) interact with every point
        // directly; the grid covers the rest.
        selectFar(Y, n);
        float lo = std::numeric_limits<float>::max(), hi = std::numeric_limits<float>::lowest();
        for (int i = 0; i < n; ++i)
            if (!far_[std::size_t(i)])
                for (int a = 0; a < 2; ++a) {
                    lo = std::min(lo, Y[2 * i + a]);
                    hi = std::max(hi, Y[2 * i + a]);
                }
        const double span = std::max(double(hi - lo), 1e-6);
        int boxes = 0;
        double width = 0, origin = 0;
        const int maxBoxes = coarse_ ? kMaxCoarseBoxes : kMaxBoxes;
        if (span < minBoxes_ - 1 || span > maxBoxes - 1) {
            // Small layouts get minBoxes boxes; wide ones maxBoxes, wider than 1, so the grid does
            // not grow without bounds (boxes of width 2 make 65 % RMS errors in the forces). The
            // width is rounded up to a power of 2^(1/8), so the kernels' spectra change only when
            // the layout has grown or shrunk by 9 %.
            boxes = span < minBoxes_ - 1 ? minBoxes_ : maxBoxes;
            width = std::exp2(std::ceil(8.0 * std::log2(span * (1 + 1e-4) / boxes)) / 8.0);
            origin = double(lo) - 0.5 * (boxes * width - span);
        } else {
            // Boxes of width 1 on an integer origin: the node spacing stays 1 / p, so the kernels'
            // spectra only change with the grid size.
            width = 1.0;
            origin = std::floor(double(lo)) - 0.5;
            boxes = int(std::ceil(double(hi) - origin + 0.5));
        }
        // A grid size FFTW likes: 2 * boxes * p smooth.
        while (smoothSize(2 * boxes * p_) != 2 * boxes * p_) ++boxes;
        const int m = boxes * p_;
        prepare(m, width / p_);

        // Each point's interpolation stencil: the p nodes nearest to it (in node units, node b p +
        // k is box b's k-th node), and their Lagrange weights. Centring the stencil on the point,
        // rather than taking its box's nodes, keeps it within half a spacing of the middle node:
        // for p = 3 the error factor
        // |(s + 1) s (s - 1)| is at most 0.375 instead of 1.875 at a box's edge (measured: RMS
        // force error 3.1 -> 1.3 % at 90 units, 5.8 -> 2.5 % at 260; RepulsionsMatchTheExactSums).
        box_.resize(std::size_t(n) * 2);
        weights_.resize(std::size_t(n) * 2 * std::size_t(p_));
        const float originF = float(origin), nodesPerUnit = float(p_ / width),
                    centre = 0.5f * float(p_ - 1);
        parallelFor(
            n,
            [&](int i) {
                for (int a = 0; a < 2; ++a) {
                    const float v = (Y[2 * i + a] - originF) * nodesPerUnit - 0.5f;
                    const int first = std::clamp(int(std::lround(v - centre)), 0, m - p_);
                    const float s = v - float(first);
                    box_[2 * std::size_t(i) + std::size_t(a)] = first;
                    float* w = &weights_[(std::size_t(i) * 2 + std::size_t(a)) * std::size_t(p_)];
                    for (int k = 0; k < p_; ++k) {
                        float num = inverseDenominators_[std::size_t(k)];
                        for (int l = 0; l < p_; ++l)
                            if (l != k) num *= s - float(l);
                        w[k] = num;
                    }
                }
            },
            threads_);

        // Spread the unit charges (in point order: the sums do not depend on the threads).
        const std::size_t M = 2 * std::size_t(m), H = std::size_t(m) + 1, rows = std::size_t(m);
        float* grid = rows_.data;  // m rows of M (the right half stays zero)
        std::fill(grid, grid + rows * M, 0.0f);
        for (int i = 0; i < n; ++i) {
            if (far_[std::size_t(i)]) continue;
            const float* wx = &weights_[std::size_t(i) * 2 * std::size_t(p_)];
            const float* wy = wx + p_;
            const int gx = box_[2 * std::size_t(i)], gy = box_[2 * std::size_t(i) + 1];
            for (int k = 0; k < p_; ++k) {
                float* row = grid + std::size_t(gx + k) * M + std::size_t(gy);
                for (int l = 0; l < p_; ++l) row[l] += wx[k] * wy[l];
            }
        }

        // Its spectrum, transposed (H columns of M).
        auto* spec = reinterpret_cast<std::complex<float>*>(spectra_.data);
        auto* charge = reinterpret_cast<std::complex<float>*>(charge_.data);
        auto* work = reinterpret_cast<std::complex<float>*>(work_.data);
        split(rowsForward_, [&](fftwf_plan plan, std::size_t first) {
            fftwf_execute_dft_r2c(plan, grid + first * M, spectra_.data + first * H);
        });
        split(columnsForward_, [&](fftwf_plan, std::size_t first) {
            const std::size_t last = std::min(H, first + columnsForward_.chunk);
            transpose(spec + first, rows, last - first, H, charge + first * M, M);
            for (std::size_t c = first; c < last; ++c)
                std::fill(charge + c * M + rows, charge + (c + 1) * M, std::complex<float>(0, 0));
        });
        split(columnsForward_, [&](fftwf_plan plan, std::size_t first) {
            fftwf_execute_dft(plan, charge_.data + first * M, charge_.data + first * M);
        });

        // Per kernel: the product and the inverse transforms into its own grid of potentials.
        for (std::size_t s = 0; s < 3; ++s) {
            const std::complex<float>* kern = kernels_[s].data();
            float* potential = potentialGrids_.data + s * gridStride_;
            split(columnsBackward_, [&](fftwf_plan plan, std::size_t first) {
                const std::size_t last = std::min(H, first + columnsBackward_.chunk);
                for (std::size_t e = first * M; e < last * M; ++e) work[e] = charge[e] * kern[e];
                fftwf_execute_dft(plan, work_.data + first * M, work_.data + first * M);
            });
            split(rowsBackward_, [&](fftwf_plan plan, std::size_t first) {
                const std::size_t last = std::min(rows, first + rowsBackward_.chunk);
                transpose(work + first, H, last - first, M, spec + first * H, H);
                fftwf_execute_dft_c2r(plan, spectra_.data + first * H, potential + first * M);
            });
        }
        // The three potentials at the points, read back in one pass over the stencils.
        potentials_.resize(std::size_t(n) * 3);
        parallelFor(
            n,
            [&](int i) {
                float* out = &potentials_[std::size_t(i) * 3];
                if (far_[std::size_t(i)]) {
                    out[0] = out[1] = out[2] = 0;
                    return;
                }
                const float* wx = &weights_[std::size_t(i) * 2 * std::size_t(p_)];
                const float* wy = wx + p_;
                const int gx = box_[2 * std::size_t(i)], gy = box_[2 * std::size_t(i) + 1];
                for (std::size_t s = 0; s < 3; ++s) {
                    const float* potential = potentialGrids_.data + s * gridStride_;
                    float phi = 0;
                    for (int k = 0; k < p_; ++k) {
                        const float* row = potential + std::size_t(gx + k) * M + std::size_t(gy);
                        float sum = 0;
                        for (int l = 0; l < p_; ++l) sum += row[l] * wy[l];
                        phi += wx[k] * sum;
                    }
                    out[s] = phi;
                }
            },
            threads_);
        // The far points' interactions, directly: a far point with every other point, a near point
        // with the far points.
        zParts_.resize(std::size_t(n));
        farX_.clear();
        farY_.clear();
        for (int j : farList_) {
            farX_.push_back(Y[2 * std::ptrdiff_t(j)]);
            farY_.push_back(Y[2 * std::ptrdiff_t(j) + 1]);
        }
        if (!farList_.empty()) {
            allX_.resize(std::size_t(n));
            allY_.resize(std::size_t(n));
            for (int j = 0; j < n; ++j) {
                allX_[std::size_t(j)] = Y[2 * std::ptrdiff_t(j)];
                allY_[std::size_t(j)] = Y[2 * std::ptrdiff_t(j) + 1];
            }
        }
        parallelFor(
            n,
            [&](int i) {
                double r0 = potentials_[std::size_t(i) * 3],
                       r1 = potentials_[std::size_t(i) * 3 + 1];
                double z = far_[std::size_t(i)] ? 0.0 : double(potentials_[std::size_t(i) * 3 + 2]);
                if (far_[std::size_t(i)])
                    pairSums2D(Y[2 * std::ptrdiff_t(i)], Y[2 * std::ptrdiff_t(i) + 1], allX_.data(),
                               allY_.data(), n, r0, r1, z);
                else
                    pairSums2D(Y[2 * std::ptrdiff_t(i)], Y[2 * std::ptrdiff_t(i) + 1], farX_.data(),
                               farY_.data(), int(farX_.size()), r0, r1, z);
                rep[2 * std::ptrdiff_t(i)] = float(r0);
                rep[2 * std::ptrdiff_t(i) + 1] = float(r1);
                zParts_[std::size_t(i)] = z - 1.0;  // less the self term
            },
            threads_);
        double z = 0;
        for (double v : zParts_) z += v;
        return std::max(z, std::numeric_limits<double>::min());
    }

    // far_ and farList_: the points outside the square that holds all but about kFar of them, when
    // that square is under half as wide as the layout; none otherwise.
    void selectFar(const float* Y, int n)
    {
        far_.assign(std::size_t(n), 0);
        farList_.clear();
        const int tail = kFar / 4;
        if (n < 8 * kFar) return;
        // Per axis, the tail + 1 lowest and highest coordinates in one pass (small sorted arrays).
        double inner = 0, outer = 0;
        float bounds[2][2];
        for (int a = 0; a < 2; ++a) {
            std::array<float, kFar / 4 + 1> low, high;
            low.fill(std::numeric_limits<float>::max());
            high.fill(std::numeric_limits<float>::lowest());
            for (int i = 0; i < n; ++i) {
                const float v = Y[2 * i + a];
                if (v < low.back()) {
                    std::size_t at = low.size() - 1;
                    for (; at > 0 && low[at - 1] > v; --at) low[at] = low[at - 1];
                    low[at] = v;
                }
                if (v > high.back()) {
                    std::size_t at = high.size() - 1;
                    for (; at > 0 && high[at - 1] < v; --at) high[at] = high[at - 1];
                    high[at] = v;
                }
            }
            bounds[a][0] = low[std::size_t(tail)];
            bounds[a][1] = high[std::size_t(tail)];
            outer = std::max(outer, double(high[0] - low[0]));
            inner = std::max(inner, double(bounds[a][1] - bounds[a][0]));
        }
        if (!(inner < 0.5 * outer)) return;
        for (int i = 0; i < n; ++i) {
            bool out = false;
            for (int a = 0; a < 2; ++a)
                out = out || Y[2 * i + a] < bounds[a][0] || Y[2 * i + a] > bounds[a][1];
            if (out) {
                far_[std::size_t(i)] = 1;
                farList_.push_back(i);
            }
        }
    }

private:
    static constexpr int kMaxCoarseBoxes = 128, kMaxBoxes = 512;
    static constexpr int kFar = 32;            // at most this many points interact directly
    static constexpr std::size_t kBlock = 16;  // transpose tiles

    // A batch of `count` 1D transforms split into chunks of `chunk` (a multiple of 4, so every
    // chunk starts as aligned as the first): `full` for the full chunks, `tail` for the last one.
    struct Batch {
        std::size_t count = 0, chunk = 0;
        fftwf_plan full = nullptr, tail = nullptr;
    };

    // body(plan, first) for each chunk of the batch, on the threads.
    template <class Body>
    void split(const Batch& batch, const Body& body) const
    {
        const int chunks = int((batch.count + batch.chunk - 1) / batch.chunk);
        parallelFor(
            chunks,
            [&](int c) {
                const std::size_t first = std::size_t(c) * batch.chunk;
                body(first + batch.chunk <= batch.count ? batch.full : batch.tail, first);
            },
            threads_);
    }

    // to[c * toStride + a] = from[a * fromStride + c] for a < rows, c < columns, in tiles that stay
    // in L1.
    static void transpose(const std::complex<float>* from, std::size_t rows, std::size_t columns,
                          std::size_t fromStride, std::complex<float>* to, std::size_t toStride)
    {
        for (std::size_t a0 = 0; a0 < rows; a0 += kBlock)
            for (std::size_t c0 = 0; c0 < columns; c0 += kBlock) {
                const std::size_t a1 = std::min(rows, a0 + kBlock),
                                  c1 = std::min(columns, c0 + kBlock);
                for (std::size_t a = a0; a < a1; ++a) {
                    const std::complex<float>* src = from + a * fromStride;
                    for (std::size_t c = c0; c < c1; ++c) to[c * toStride + a] = src[c];
                }
            }
    }

    void destroyPlans()
    {
        std::lock_guard<std::mutex> lock(plannerMutex());
        if (kernelPlan_) {
            fftwf_destroy_plan(kernelPlan_);
            kernelPlan_ = nullptr;
        }
        for (Batch* b : {&rowsForward_, &rowsBackward_, &columnsForward_, &columnsBackward_})
            for (fftwf_plan* plan : {&b->full, &b->tail})
                if (*plan) {
                    fftwf_destroy_plan(*plan);
                    *plan = nullptr;
                }
    }

    // Plans and buffers for an m x m grid, and the kernels' spectra for this node spacing.
    void prepare(int m, double spacing)
    {
        const std::size_t M = 2 * std::size_t(m), H = std::size_t(m) + 1, rows = std::size_t(m);
        if (m != size_) {
            destroyPlans();
            rows_.resize(rows * M);
            // Three grids, each starting on a 64-byte boundary like rows_ (FFTW's new-array
            // execution needs the planned alignment).
            gridStride_ = (rows * M + 15) / 16 * 16;
            potentialGrids_.resize(3 * gridStride_);
            spectra_.resize(rows * H);
            charge_.resize(H * M);
            work_.resize(H * M);
            kernelGrid_.resize(M * M);
            kernelSpectrum_.resize(M * H);
            std::lock_guard<std::mutex> lock(plannerMutex());
            const int length[1] = {int(M)};
            auto batch = [&](Batch& b, std::size_t count,
                             const std::function<fftwf_plan(int)>& make) {
                b.count = count;
                b.chunk = std::max<std::size_t>(
                              4, (count + std::size_t(threads_) - 1) / std::size_t(threads_) + 3) /
                          4 * 4;
                b.chunk = std::min(b.chunk, (count + 3) / 4 * 4);
                b.full = make(int(std::min(b.chunk, count)));
                const std::size_t tail = count % b.chunk;
                b.tail = tail ? make(int(tail)) : nullptr;
            };
            batch(rowsForward_, rows, [&](int k) {
                return fftwf_plan_many_dft_r2c(1, length, k, rows_.data, nullptr, 1, int(M),
                                               spectra_.data, nullptr, 1, int(H), FFTW_ESTIMATE);
            });
            batch(rowsBackward_, rows, [&](int k) {
                return fftwf_plan_many_dft_c2r(1, length, k, spectra_.data, nullptr, 1, int(H),
                                               rows_.data, nullptr, 1, int(M), FFTW_ESTIMATE);
            });
            batch(columnsForward_, H, [&](int k) {
                return fftwf_plan_many_dft(1, length, k, charge_.data, nullptr, 1, int(M),
                                           charge_.data, nullptr, 1, int(M), FFTW_FORWARD,
                                           FFTW_ESTIMATE);
            });
            batch(columnsBackward_, H, [&](int k) {
                return fftwf_plan_many_dft(1, length, k, work_.data, nullptr, 1, int(M), work_.data,
                                           nullptr, 1, int(M), FFTW_BACKWARD, FFTW_ESTIMATE);
            });
            size_ = m;
            kernelSpacing_ = -1;
        }
        if (spacing == kernelSpacing_) return;
        // The kernels at every lattice offset, wrapped for a circular convolution of size M,
        // through one full 2D transform each (once per grid size and spacing); stored transposed
        // like the charge's spectrum, with the inverse transforms' 1 / M^2. The offsets' values are
        // computed once for |da|, |dc| < m and mirrored (w is even in both; the force kernels odd
        // in their own axis).
        if (!kernelPlan_) {
            std::lock_guard<std::mutex> lock(plannerMutex());
            kernelPlan_ = fftwf_plan_dft_r2c_2d(int(M), int(M), kernelGrid_.data,
                                                kernelSpectrum_.data, FFTW_ESTIMATE);
        }
        offsets_.resize(rows * rows);
        for (std::size_t a = 0; a < rows; ++a)
            for (std::size_t c = 0; c < rows; ++c)
                offsets_[a * rows + c] =
                    float(1.0 / (1.0 + (double(a) * double(a) + double(c) * double(c)) * spacing *
                                           spacing));
        const float scale = 1.0f / (float(M) * float(M)), step = float(spacing);
        for (std::size_t s = 0; s < 3; ++s) {
            float* k = kernelGrid_.data;
            for (std::size_t a = 0; a < M; ++a) {
                float* row = k + a * M;
                if (a == rows) {
                    std::fill(row, row + M, 0.0f);
                    continue;
                }
                const std::size_t ua = a < rows ? a : M - a;  // |da|
                const float sa = a < rows ? 1.0f : -1.0f;
                const float* w = &offsets_[ua * rows];
                for (std::size_t c = 0; c < rows; ++c) {
                    const float v = s == 2   ? w[c]
                                    : s == 0 ? sa * float(ua) * step * w[c] * w[c]
                                             : float(c) * step * w[c] * w[c];
                    row[c] = v;
                    if (c > 0) row[M - c] = s == 1 ? -v : v;
                }
                row[rows] = 0.0f;
            }
            fftwf_execute(kernelPlan_);
            kernels_[s].resize(H * M);
            const fftwf_complex* spectrum = kernelSpectrum_.data;
            std::complex<float>* out = kernels_[s].data();
            for (std::size_t a = 0; a < M; ++a)
                for (std::size_t c = 0; c < H; ++c)
                    out[c * M + a] =
                        std::complex<float>(spectrum[a * H + c][0], spectrum[a * H + c][1]) * scale;
        }
        kernelSpacing_ = spacing;
    }

    int threads_, p_, minBoxes_;
    bool coarse_ = false;
    std::array<float, 8> inverseDenominators_{};
    int size_ = 0;
    double kernelSpacing_ = -1;
    Batch rowsForward_, rowsBackward_, columnsForward_, columnsBackward_;
    FftwBuffer<float> rows_;
    FftwBuffer<float> potentialGrids_;  // the three kernels' potentials, gridStride_ floats apart
    std::size_t gridStride_ = 0;
    FftwBuffer<fftwf_complex> spectra_, charge_, work_, kernelSpectrum_;
    FftwBuffer<float> kernelGrid_;
    fftwf_plan kernelPlan_ = nullptr;
    std::vector<float> offsets_;
    std::array<std::vector<std::complex<float>>, 3> kernels_;
    std::vector<int> box_, farList_;
    std::vector<char> far_;
    std::vector<float> weights_, potentials_, farX_, farY_, allX_, allY_;
    std::vector<double> zParts_;
};

}  // namespace

std::unique_ptr<Repulsion> makeFftRepulsion2D(int threads, int nodes, int minBoxes)
{
    return std::make_unique<FftRepulsion2D>(threads, nodes, minBoxes);
}

}  // namespace neurolens::tsne
