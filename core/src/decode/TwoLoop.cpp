#include "TwoLoop.h"

#include "linalg/HugePages.h"

#include "neurolens/jobs/Parallel.h"

#include <algorithm>
#include <array>
#include <numeric>
#include <stdexcept>

namespace neurolens {
namespace {

// body(a, b) over fixed chunks [a, b) of [0, n), on the threads.
template <class Body>
void chunked(Eigen::Index n, const Body& body)
{
    constexpr int chunks = 16;
    parallelFor(chunks, [&](int c) { body(n * c / chunks, n * (c + 1) / chunks); });
}

// a^T b for float a and double b, summed in double in eight lanes (Eigen's a.cast<double>().dot(b) was
// measured 4x slower: it does not vectorise the conversion).
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"))) double dotMixed(const float* a, const double* b, Eigen::Index n)
{
    double lane[8] = {};
    Eigen::Index i = 0;
    for (; i + 8 <= n; i += 8)
        for (int u = 0; u < 8; ++u) lane[u] += double(a[i + u]) * b[i + u];
    for (; i < n; ++i) lane[0] += double(a[i]) * b[i];
    return ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
}

// d += p u + q v for float u, v.
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"))) void addMixed(double* d, double p, const float* u, double q, const float* v, Eigen::Index n)
{
    for (Eigen::Index i = 0; i < n; ++i) d[i] += p * double(u[i]) + q * double(v[i]);
}

}  // namespace

TwoLoop::TwoLoop(Eigen::Index size, int memory)
    : size_(size), memory_(memory), sy_(Eigen::MatrixXd::Zero(memory, memory)), yy_(sy_), sg_(memory), yg_(memory),
      sgPrev_(memory), ygPrev_(memory)
{
    if (memory < 1 || memory > kMaxMemory) throw std::invalid_argument("TwoLoop: memory must be 1 to 64 pairs");
}

void TwoLoop::reset()
{
    count_ = next_ = 0;
    pending_ = -1;
}

void TwoLoop::add(double t, const Eigen::VectorXd& D, const Eigen::VectorXd& g, const Eigen::VectorXd& gPrevious)
{
    constexpr int chunks = 16;
    std::array<double, chunks> dy{}, yy2{};
    parallelFor(chunks, [&](int c) {
        double a = 0, b = 0;
        for (Eigen::Index i = size_ * c / chunks; i < size_ * (c + 1) / chunks; ++i) {
            const double y = g[i] - gPrevious[i];
            a += D[i] * y;
            b += y * y;
        }
        dy[std::size_t(c)] = a;
        yy2[std::size_t(c)] = b;
    });
    const double sy = t * std::accumulate(dy.begin(), dy.end(), 0.0), yy = std::accumulate(yy2.begin(), yy2.end(), 0.0);
    if (!(sy > 1e-12 * yy)) return;
    if (int(s_.size()) < memory_) {
        s_.emplace_back(size_);
        y_.emplace_back(size_);
        preferHugePages(s_.back().data(), sizeof(float) * std::size_t(size_));
        preferHugePages(y_.back().data(), sizeof(float) * std::size_t(size_));
        rho_.push_back(0);
    }
    const int slot = next_;
    chunked(size_, [&](Eigen::Index a, Eigen::Index b) {
        s_[std::size_t(slot)].segment(a, b - a) = (t * D.segment(a, b - a)).cast<float>();
        y_[std::size_t(slot)].segment(a, b - a) = (g.segment(a, b - a) - gPrevious.segment(a, b - a)).cast<float>();
    });
    rho_[std::size_t(slot)] = 1.0 / sy;
    sy_(slot, slot) = sy;
    yy_(slot, slot) = yy;
    gamma_ = sy / yy;
    pending_ = slot;  // its inner products with the older pairs: at the next apply
    next_ = (next_ + 1) % memory_;
    count_ = std::min(count_ + 1, memory_);
}

void TwoLoop::apply(const Eigen::VectorXd& g, Eigen::VectorXd& D)
{
    innerProducts(g);
    // The recursion on coefficients: q = g - sum_k alpha_k y_k, then r = gamma q + sum_k c_k s_k, D = -r.
    std::array<double, kMaxMemory> alpha{}, c{};
    for (int k = 0; k < count_; ++k) {  // newest first
        const int i = slot(k);
        double sq = sg_[i];
        for (int l = 0; l < k; ++l) sq -= alpha[std::size_t(l)] * sy_(i, slot(l));
        alpha[std::size_t(k)] = rho_[std::size_t(i)] * sq;
    }
    const double gamma = count_ > 0 ? gamma_ : 1.0;
    for (int k = count_ - 1; k >= 0; --k) {  // oldest first
        const int i = slot(k);
        double yq = yg_[i];
        for (int l = 0; l < count_; ++l) yq -= alpha[std::size_t(l)] * yy_(i, slot(l));
        double yr = gamma * yq;
        for (int l = count_ - 1; l > k; --l) yr += c[std::size_t(l)] * sy_(slot(l), i);
        c[std::size_t(k)] = alpha[std::size_t(k)] - rho_[std::size_t(i)] * yr;
    }
    chunked(size_, [&](Eigen::Index a, Eigen::Index b) {
        D.segment(a, b - a) = -gamma * g.segment(a, b - a);
        for (int k = 0; k < count_; ++k) {
            const std::size_t i = std::size_t(slot(k));
            addMixed(D.data() + a, gamma * alpha[std::size_t(k)], y_[i].data() + a, -c[std::size_t(k)], s_[i].data() + a, b - a);
        }
    });
}

// s_j^T y for the pending pair = s_j^T g - s_j^T g_prev, y_j^T y likewise.
void TwoLoop::innerProducts(const Eigen::VectorXd& g)
{
    std::swap(sg_, sgPrev_);
    std::swap(yg_, ygPrev_);
    constexpr int chunks = 64;
    Eigen::MatrixXd part = Eigen::MatrixXd::Zero(2 * memory_, chunks);
    parallelFor(chunks, [&](int ch) {
        const Eigen::Index a = size_ * ch / chunks, n = size_ * (ch + 1) / chunks - a;
        for (int k = 0; k < count_; ++k) {
            const int i = slot(k);
            part(2 * i, ch) = dotMixed(s_[std::size_t(i)].data() + a, g.data() + a, n);
            part(2 * i + 1, ch) = dotMixed(y_[std::size_t(i)].data() + a, g.data() + a, n);
        }
    });
    for (int k = 0; k < count_; ++k) {
        const int i = slot(k);
        sg_[i] = part.row(2 * i).sum();
        yg_[i] = part.row(2 * i + 1).sum();
    }
    if (pending_ >= 0) {
        const int n = pending_;
        for (int k = 0; k < count_; ++k) {
            const int j = slot(k);
            if (j == n) continue;
            sy_(j, n) = sg_[j] - sgPrev_[j];
            yy_(j, n) = yy_(n, j) = yg_[j] - ygPrev_[j];
        }
        pending_ = -1;
    }
}

}  // namespace neurolens
