#include "TsneRepulsion.h"

#include "neurolens/jobs/Parallel.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <vector>

namespace neurolens::tsne {
namespace {

// Barnes-Hut on a 2^D-ary tree with leaves of up to kLeaf points. Nodes are compact (28 bytes,
// float) and children of a node are contiguous; a traversal per point on the worker threads.
class BarnesHut : public Repulsion {
public:
    BarnesHut(int dims, double theta, int threads)
        : D_(dims), theta2_(float(theta * theta)), threads_(threads)
    {
    }

    double compute(const float* Y, int n, float* rep) override
    {
        build(Y, n);
        zParts_.resize(std::size_t(n));
        const int children = 1 << D_;
        parallelFor(
            n,
            [&](int i) {
                float r[3] = {0, 0, 0};
                double z = 0;
                float yi[3] = {0, 0, 0};
                for (int a = 0; a < D_; ++a)
                    yi[a] = Y[std::size_t(i) * std::size_t(D_) + std::size_t(a)];
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
                            if (nodes_[std::size_t(node.child) + std::size_t(c)].count > 0)
                                stack[top++] = node.child + c;
                        continue;
                    }
                    if (node.child >= 0 || node.count == 1 || node.size2 < theta2_ * d2) {
                        // Summarised (or a single point): the cell acts as count points at its
                        // centre of mass.
                        if (node.child < 0 && node.count == 1 &&
                            order_[std::size_t(node.begin)] == i)
                            continue;
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
                for (int a = 0; a < D_; ++a)
                    rep[std::size_t(i) * std::size_t(D_) + std::size_t(a)] = r[a];
                zParts_[std::size_t(i)] = z;
            },
            threads_);
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
        int child = -1;  // index of the first of 2^D children, -1 for a leaf
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
                lo[a] =
                    std::min(lo[a], double(Y[std::size_t(i) * std::size_t(D_) + std::size_t(a)]));
                hi[a] =
                    std::max(hi[a], double(Y[std::size_t(i) * std::size_t(D_) + std::size_t(a)]));
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
                sorted_[std::size_t(k) * 3 + std::size_t(a)] =
                    Y[std::size_t(order_[std::size_t(k)]) * std::size_t(D_) + std::size_t(a)];
    }

    void split(int index, const float* Y, const double* centre, double half, int depth)
    {
        const int begin = nodes_[std::size_t(index)].begin,
                  count = nodes_[std::size_t(index)].count;
        double com[3] = {0, 0, 0};
        for (int k = begin; k < begin + count; ++k)
            for (int a = 0; a < D_; ++a)
                com[a] += Y[std::size_t(order_[std::size_t(k)]) * std::size_t(D_) + std::size_t(a)];
        for (int a = 0; a < D_; ++a)
            nodes_[std::size_t(index)].com[a] = float(count ? com[a] / count : centre[a]);
        nodes_[std::size_t(index)].size2 = float(4 * half * half);
        if (count <= kLeaf || depth >= kMaxDepth) return;
        // Partition the points among the 2^D children: child c takes bit a set when coordinate a >=
        // centre.
        const int children = 1 << D_;
        int bounds[9];
        bounds[0] = begin;
        bounds[children] = begin + count;
        auto coord = [&](int i, int a) {
            return double(Y[std::size_t(i) * std::size_t(D_) + std::size_t(a)]);
        };
        std::function<void(int, int, int, int)> part = [&](int from, int to, int bit,
                                                           int firstChild) {
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
            if (nodes_[std::size_t(first) + std::size_t(c)].count > 0)
                split(first + c, Y, sub, half / 2, depth + 1);
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

std::unique_ptr<Repulsion> makeBarnesHut(int dims, double theta, int threads)
{
    return std::make_unique<BarnesHut>(dims, theta, threads);
}

}  // namespace neurolens::tsne
