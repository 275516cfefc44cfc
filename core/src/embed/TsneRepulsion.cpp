#include "TsneRepulsion.h"

#include "neurolens/jobs/Parallel.h"

#include <fftw3.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <mutex>

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

struct FftwFloatBuffer {
    float* data = nullptr;
    FftwFloatBuffer() = default;
    FftwFloatBuffer(const FftwFloatBuffer&) = delete;
    FftwFloatBuffer& operator=(const FftwFloatBuffer&) = delete;
    ~FftwFloatBuffer() { fftwf_free(data); }
    void resize(std::size_t n)
    {
        fftwf_free(data);
        data = static_cast<float*>(fftwf_malloc(sizeof(float) * n));
    }
};

// FIt-SNE's interpolation in 2D. The layout's bounding square is cut into boxes (at least minBoxes per
// axis, of width 1 once the layout is wider than that), each with `nodes` x `nodes` interpolation
// nodes at the centres of equal sub-intervals, so all nodes form one equispaced m x m grid. Four charge
// vectors per point (1, y_x, y_y, |y|^2) are spread onto the grid with Lagrange weights, convolved with
// the kernel w^2 = 1 / (1 + d^2)^2 through zero-padded 2m x 2m real FFTs, and read back at the points:
//     phi_1 = sum_j w_ij^2,  phi_y = sum_j w_ij^2 y_j,  phi_yy = sum_j w_ij^2 |y_j|^2   (self terms included)
// so rep_i = y_i phi_1 - phi_y and Z = sum_i [(1 + |y_i|^2) phi_1 - 2 y_i . phi_y + phi_yy] - N.
class FftRepulsion2D : public Repulsion {
public:
    FftRepulsion2D(int threads, int nodes, int minBoxes) : threads_(threads), p_(nodes), minBoxes_(minBoxes)
    {
        // Lagrange denominators for nodes at local positions (k + 1/2) / p in a unit box.
        for (int k = 0; k < p_; ++k) {
            double den = 1;
            for (int l = 0; l < p_; ++l)
                if (l != k) den *= (local(k) - local(l));
            denominators_.push_back(den);
        }
    }

    ~FftRepulsion2D() override
    {
        std::lock_guard<std::mutex> lock(plannerMutex());
        if (forward_) fftwf_destroy_plan(forward_);
        if (backward_) fftwf_destroy_plan(backward_);
    }

    double compute(const float* Y, int n, float* rep) override
    {
        // The grid: a square over the layout.
        float lo = std::numeric_limits<float>::max(), hi = std::numeric_limits<float>::lowest();
        for (int i = 0; i < 2 * n; ++i) {
            lo = std::min(lo, Y[i]);
            hi = std::max(hi, Y[i]);
        }
        double span = std::max(double(hi - lo), 1e-6);
        int boxes = 0;
        double width = 0, origin = 0;
        if (span <= minBoxes_ || span > kMaxBoxes) {
            // Small layouts get minBoxes boxes; huge ones (a few points flung far away during early
            // exaggeration) at most kMaxBoxes, wider than 1, so the grid does not grow with the outliers.
            boxes = span <= minBoxes_ ? minBoxes_ : kMaxBoxes;
            span *= 1.0 + 1e-4;  // every point strictly inside
            width = span / boxes;
            origin = lo - 0.5e-4 * span;
        } else {
            // Boxes of width 1 on an integer origin: the node spacing stays 1 / p, so the kernel's spectrum
            // only changes with the grid size and is reused between iterations.
            width = 1.0;
            origin = std::floor(double(lo)) - 0.5;
            boxes = int(std::ceil(double(hi) - origin + 0.5));
        }
        // A grid size FFTW likes: 2 * boxes * p smooth.
        while (smoothSize(2 * boxes * p_) != 2 * boxes * p_) ++boxes;
        const int m = boxes * p_, M = 2 * m;
        const double spacing = width / p_;
        prepare(M, m, spacing);

        // Each point's box and Lagrange weights.
        box_.resize(std::size_t(n) * 2);
        weights_.resize(std::size_t(n) * 2 * std::size_t(p_));
        parallelFor(n, [&](int i) {
            for (int a = 0; a < 2; ++a) {
                const double u = (double(Y[2 * i + a]) - origin) / width;
                const int b = std::clamp(int(std::floor(u)), 0, boxes - 1);
                const double t = u - b;
                box_[std::size_t(2 * i + a)] = b;
                for (int k = 0; k < p_; ++k) {
                    double num = 1;
                    for (int l = 0; l < p_; ++l)
                        if (l != k) num *= (t - local(l));
                    weights_[(std::size_t(i) * 2 + std::size_t(a)) * std::size_t(p_) + std::size_t(k)] = float(num / denominators_[std::size_t(k)]);
                }
            }
        }, threads_);

        // Spread, convolve and gather each charge vector; one term per task.
        const std::size_t cells = std::size_t(M) * std::size_t(M);
        const std::size_t spectrum = std::size_t(M) * std::size_t(M / 2 + 1);
        potentials_.assign(std::size_t(n) * 4, 0.0f);
        parallelFor(4, [&](int term) {
            float* grid = grids_[std::size_t(term)].data;
            std::fill(grid, grid + cells, 0.0f);
            for (int i = 0; i < n; ++i) {
                const float y0 = Y[2 * i], y1 = Y[2 * i + 1];
                const float q = term == 0 ? 1.0f : term == 1 ? y0 : term == 2 ? y1 : y0 * y0 + y1 * y1;
                const float* wx = &weights_[std::size_t(i) * 2 * std::size_t(p_)];
                const float* wy = wx + p_;
                const int gx = box_[std::size_t(2 * i)] * p_, gy = box_[std::size_t(2 * i + 1)] * p_;
                for (int k = 0; k < p_; ++k) {
                    float* row = grid + std::size_t(gx + k) * std::size_t(M) + std::size_t(gy);
                    const float qk = q * wx[k];
                    for (int l = 0; l < p_; ++l) row[l] += qk * wy[l];
                }
            }
            auto* spec = reinterpret_cast<fftwf_complex*>(spectra_[std::size_t(term)].data);
            fftwf_execute_dft_r2c(forward_, grid, spec);
            const auto* kern = reinterpret_cast<const fftwf_complex*>(kernelSpectrum_.data);
            const float scale = 1.0f / float(cells);
            for (std::size_t c = 0; c < spectrum; ++c) {
                const float re = spec[c][0] * kern[c][0] - spec[c][1] * kern[c][1];
                const float im = spec[c][0] * kern[c][1] + spec[c][1] * kern[c][0];
                spec[c][0] = re * scale;
                spec[c][1] = im * scale;
            }
            fftwf_execute_dft_c2r(backward_, spec, grid);
            for (int i = 0; i < n; ++i) {
                const float* wx = &weights_[std::size_t(i) * 2 * std::size_t(p_)];
                const float* wy = wx + p_;
                const int gx = box_[std::size_t(2 * i)] * p_, gy = box_[std::size_t(2 * i + 1)] * p_;
                float phi = 0;
                for (int k = 0; k < p_; ++k) {
                    const float* row = grid + std::size_t(gx + k) * std::size_t(M) + std::size_t(gy);
                    float s = 0;
                    for (int l = 0; l < p_; ++l) s += row[l] * wy[l];
                    phi += wx[k] * s;
                }
                potentials_[std::size_t(i) * 4 + std::size_t(term)] = phi;
            }
        }, threads_);

        // rep_i and the per-point parts of Z, summed in order.
        zParts_.resize(std::size_t(n));
        parallelFor(n, [&](int i) {
            const double y0 = Y[2 * i], y1 = Y[2 * i + 1];
            const float* phi = &potentials_[std::size_t(i) * 4];
            rep[2 * i] = float(y0 * phi[0] - phi[1]);
            rep[2 * i + 1] = float(y1 * phi[0] - phi[2]);
            zParts_[std::size_t(i)] = (1 + y0 * y0 + y1 * y1) * phi[0] - 2 * (y0 * phi[1] + y1 * phi[2]) + phi[3];
        }, threads_);
        double z = -double(n);
        for (double v : zParts_) z += v;
        return std::max(z, std::numeric_limits<double>::min());
    }

private:
    static constexpr int kMaxBoxes = 128;

    double local(int k) const { return (k + 0.5) / p_; }

    // Plans and buffers for an M x M grid, and the kernel's spectrum for this node spacing.
    void prepare(int M, int m, double spacing)
    {
        const std::size_t cells = std::size_t(M) * std::size_t(M), spectrum = std::size_t(M) * std::size_t(M / 2 + 1);
        if (M != size_) {
            for (auto& g : grids_) g.resize(cells);
            for (auto& s : spectra_) s.resize(2 * spectrum);
            kernelGrid_.resize(cells);
            kernelSpectrum_.resize(2 * spectrum);
            std::lock_guard<std::mutex> lock(plannerMutex());
            if (forward_) fftwf_destroy_plan(forward_);
            if (backward_) fftwf_destroy_plan(backward_);
            auto* spec = reinterpret_cast<fftwf_complex*>(spectra_[0].data);
            forward_ = fftwf_plan_dft_r2c_2d(M, M, grids_[0].data, spec, FFTW_ESTIMATE);
            backward_ = fftwf_plan_dft_c2r_2d(M, M, spec, grids_[0].data, FFTW_ESTIMATE);
            size_ = M;
            kernelSpacing_ = -1;
        }
        if (spacing == kernelSpacing_) return;
        // The kernel at every lattice offset, wrapped for a circular convolution of size M = 2m.
        float* k = kernelGrid_.data;
        for (int a = 0; a < M; ++a) {
            const int da = a < m ? a : a > m ? a - M : 0;
            for (int b = 0; b < M; ++b) {
                const int db = b < m ? b : b > m ? b - M : 0;
                const double d2 = (double(da) * da + double(db) * db) * spacing * spacing;
                const double w = 1.0 / (1.0 + d2);
                k[std::size_t(a) * std::size_t(M) + std::size_t(b)] = (a == m || b == m) ? 0.0f : float(w * w);
            }
        }
        fftwf_execute_dft_r2c(forward_, k, reinterpret_cast<fftwf_complex*>(kernelSpectrum_.data));
        kernelSpacing_ = spacing;
    }

    int threads_, p_, minBoxes_;
    std::vector<double> denominators_;
    int size_ = 0;
    double kernelSpacing_ = -1;
    fftwf_plan forward_ = nullptr, backward_ = nullptr;
    std::array<FftwFloatBuffer, 4> grids_, spectra_;
    FftwFloatBuffer kernelGrid_, kernelSpectrum_;
    std::vector<int> box_;
    std::vector<float> weights_, potentials_;
    std::vector<double> zParts_;
};

// Barnes-Hut on a 2^D-ary tree with leaves of up to kLeaf points. Nodes are compact (28 bytes, float)
// and children of a node are contiguous; a traversal per point on the worker threads.
class BarnesHut : public Repulsion {
public:
    BarnesHut(int dims, double theta, int threads) : D_(dims), theta2_(float(theta * theta)), threads_(threads) {}

    double compute(const float* Y, int n, float* rep) override
    {
        build(Y, n);
        zParts_.resize(std::size_t(n));
        const int children = 1 << D_;
        parallelFor(n, [&](int i) {
            float r[3] = {0, 0, 0};
            double z = 0;
            float yi[3] = {0, 0, 0};
            for (int a = 0; a < D_; ++a) yi[a] = Y[std::size_t(i) * std::size_t(D_) + std::size_t(a)];
            int stack[64 * 8];
            int top = 0;
            stack[top++] = 0;
            while (top > 0) {
                const Node& node = nodes_[std::size_t(stack[--top])];
                float diff[3] = {0, 0, 0}, d2 = 0;
                for (int a = 0; a < D_; ++a) {
                    diff[a] = yi[a] - node.com[a];
                    d2 += diff[a] * diff[a];
                }
                if (node.child >= 0 && !(node.size2 < theta2_ * d2)) {
                    for (int c = 0; c < children; ++c)
                        if (nodes_[std::size_t(node.child + c)].count > 0) stack[top++] = node.child + c;
                    continue;
                }
                if (node.child >= 0 || node.count == 1 || node.size2 < theta2_ * d2) {
                    // Summarised (or a single point): the cell acts as count points at its centre of mass.
                    if (node.child < 0 && node.count == 1 && order_[std::size_t(node.begin)] == i) continue;
                    const float w = 1.0f / (1.0f + d2);
                    z += double(node.count) * w;
                    const float cw2 = float(node.count) * w * w;
                    for (int a = 0; a < D_; ++a) r[a] += cw2 * diff[a];
                    continue;
                }
                for (int k = node.begin; k < node.begin + node.count; ++k) {
                    const int j = order_[std::size_t(k)];
                    if (j == i) continue;
                    const float* yj = &sorted_[std::size_t(k) * 3];
                    float e[3] = {0, 0, 0}, e2 = 0;
                    for (int a = 0; a < D_; ++a) {
                        e[a] = yi[a] - yj[a];
                        e2 += e[a] * e[a];
                    }
                    const float w = 1.0f / (1.0f + e2);
                    z += w;
                    for (int a = 0; a < D_; ++a) r[a] += w * w * e[a];
                }
            }
            for (int a = 0; a < D_; ++a) rep[std::size_t(i) * std::size_t(D_) + std::size_t(a)] = r[a];
            zParts_[std::size_t(i)] = z;
        }, threads_);
        double z = 0;
        for (double v : zParts_) z += v;
        return std::max(z, std::numeric_limits<double>::min());
    }

private:
    static constexpr int kLeaf = 8;
    static constexpr int kMaxDepth = 48;

    struct Node {
        float com[3] = {0, 0, 0};
        float size2 = 0;  // squared width of the cell
        int begin = 0, count = 0;
        int child = -1;   // index of the first of 2^D children, -1 for a leaf
    };

    void build(const float* Y, int n)
    {
        order_.resize(std::size_t(n));
        for (int i = 0; i < n; ++i) order_[std::size_t(i)] = i;
        nodes_.clear();
        double lo[3] = {0, 0, 0}, hi[3] = {0, 0, 0}, centre[3] = {0, 0, 0};
        for (int a = 0; a < D_; ++a) {
            lo[a] = std::numeric_limits<double>::max();
            hi[a] = std::numeric_limits<double>::lowest();
        }
        for (int i = 0; i < n; ++i)
            for (int a = 0; a < D_; ++a) {
                lo[a] = std::min(lo[a], double(Y[std::size_t(i) * std::size_t(D_) + std::size_t(a)]));
                hi[a] = std::max(hi[a], double(Y[std::size_t(i) * std::size_t(D_) + std::size_t(a)]));
            }
        double half = 0;
        for (int a = 0; a < D_; ++a) {
            centre[a] = 0.5 * (lo[a] + hi[a]);
            half = std::max(half, 0.5 * (hi[a] - lo[a]));
        }
        half = half * (1 + 1e-6) + 1e-12;
        nodes_.reserve(std::size_t(n) / 2 + 16);
        nodes_.emplace_back();
        nodes_[0].count = n;
        split(0, Y, centre, half, 0);
        // Point coordinates in tree order, for the leaves' direct sums.
        sorted_.assign(std::size_t(n) * 3, 0.0f);
        for (int k = 0; k < n; ++k)
            for (int a = 0; a < D_; ++a)
                sorted_[std::size_t(k) * 3 + std::size_t(a)] = Y[std::size_t(order_[std::size_t(k)]) * std::size_t(D_) + std::size_t(a)];
    }

    void split(int index, const float* Y, const double* centre, double half, int depth)
    {
        const int begin = nodes_[std::size_t(index)].begin, count = nodes_[std::size_t(index)].count;
        double com[3] = {0, 0, 0};
        for (int k = begin; k < begin + count; ++k)
            for (int a = 0; a < D_; ++a) com[a] += Y[std::size_t(order_[std::size_t(k)]) * std::size_t(D_) + std::size_t(a)];
        for (int a = 0; a < D_; ++a) nodes_[std::size_t(index)].com[a] = float(count ? com[a] / count : centre[a]);
        nodes_[std::size_t(index)].size2 = float(4 * half * half);
        if (count <= kLeaf || depth >= kMaxDepth) return;
        // Partition the points among the 2^D children: child c takes bit a set when coordinate a >= centre.
        const int children = 1 << D_;
        int bounds[9];
        bounds[0] = begin;
        bounds[children] = begin + count;
        auto coord = [&](int i, int a) { return double(Y[std::size_t(i) * std::size_t(D_) + std::size_t(a)]); };
        std::function<void(int, int, int, int)> part = [&](int from, int to, int bit, int firstChild) {
            if (bit < 0) return;
            auto mid = std::stable_partition(order_.begin() + from, order_.begin() + to,
                                             [&](int i) { return coord(i, bit) < centre[bit]; });
            const int m = int(mid - order_.begin());
            bounds[firstChild + (1 << bit)] = m;
            part(from, m, bit - 1, firstChild);
            part(m, to, bit - 1, firstChild + (1 << bit));
        };
        part(begin, begin + count, D_ - 1, 0);
        const int first = int(nodes_.size());
        nodes_[std::size_t(index)].child = first;
        for (int c = 0; c < children; ++c) {
            Node child;
            child.begin = bounds[c];
            child.count = bounds[c + 1] - bounds[c];
            nodes_.push_back(child);
        }
        for (int c = 0; c < children; ++c) {
            double sub[3] = {0, 0, 0};
            for (int a = 0; a < D_; ++a) sub[a] = centre[a] + ((c >> a) & 1 ? half / 2 : -half / 2);
            if (nodes_[std::size_t(first + c)].count > 0) split(first + c, Y, sub, half / 2, depth + 1);
        }
    }

    int D_;
    float theta2_;
    int threads_;
    std::vector<Node> nodes_;
    std::vector<int> order_;
    std::vector<float> sorted_;
    std::vector<double> zParts_;
};

}  // namespace

std::unique_ptr<Repulsion> makeFftRepulsion2D(int threads, int nodes, int minBoxes)
{
    return std::make_unique<FftRepulsion2D>(threads, nodes, minBoxes);
}

std::unique_ptr<Repulsion> makeBarnesHut(int dims, double theta, int threads)
{
    return std::make_unique<BarnesHut>(dims, theta, threads);
}

}  // namespace neurolens::tsne
