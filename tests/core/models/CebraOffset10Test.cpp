// offset10's hand-written training pass against the same network written with LibTorch's conv1d and
// autograd: the embeddings and the gradients of the projections and of every weight and bias, for
// windows split into passes (run side by side or one after another), with samples repeated across
// windows (their gradients add up).
#include "torch/CebraOffset10.h"

#include <gtest/gtest.h>

using namespace neurolens;

namespace {

// The same network as LibTorch's conv1d layers, channels first: the first layer a conv1d over the
// windows' projections with a kernel that picks tap 0's half of sample t and tap 1's half of sample
// t + 1. (Written with a broadcast bias before the first GELU instead, LibTorch 1.13's autograd
// returned garbage for that bias' gradient once a conv1d followed: values of 1e16 where finite
// differences give 0.1; the hand-written pass matches the finite differences.)
torch::Tensor reference(const torch::Tensor& P, const torch::Tensor& rows,
                        const cebra::Offset10Weights& w)
{
    const std::int64_t H = w.firstBias.size(0), B = rows.numel() / 10;
    const torch::Tensor g =
        P.index_select(0, rows).view({B, 10, 2 * H}).permute({0, 2, 1});  // (B, 2H, 10)
    torch::Tensor pick = torch::zeros({H, 2 * H, 2});
    for (std::int64_t c = 0; c < H; ++c) {
        pick[c][c][0] = 1.0f;
        pick[c][H + c][1] = 1.0f;
    }
    torch::Tensor x = torch::gelu(torch::conv1d(g, pick, w.firstBias));  // (B, H, 9)
    for (std::size_t l = 0; l < 3; ++l)
        x = x.slice(2, 1, x.size(2) - 1) +
            torch::gelu(torch::conv1d(x, w.skipWeight[l], w.skipBias[l]));
    const torch::Tensor z = torch::conv1d(x, w.lastWeight, w.lastBias).squeeze(2);
    return z / z.norm(2, 1, true);
}

}  // namespace

TEST(CebraOffset10, HandWrittenPassMatchesAutogradConvolutions)
{
    torch::manual_seed(3);
    const std::int64_t N = 40, H = 16, O = 8, B = 12;
    auto parameter = [](std::vector<std::int64_t> shape, double scale) {
        return (torch::randn(shape) * scale).set_requires_grad(true);
    };
    cebra::Offset10Weights w;
    w.firstBias = parameter({H}, 0.3);
    for (std::size_t l = 0; l < 3; ++l) {
        w.skipWeight[l] = parameter({H, H, 3}, 0.3);
        w.skipBias[l] = parameter({H}, 0.3);
    }
    w.lastWeight = parameter({O, H, 3}, 0.3);
    w.lastBias = parameter({O}, 0.3);
    const torch::Tensor P = parameter({N, 2 * H}, 1.0);
    // Windows of 10 consecutive samples starting anywhere in [0, 30], some starts repeated.
    std::vector<std::int64_t> rows;
    for (std::int64_t b = 0; b < B; ++b)
        for (std::int64_t t = 0; t < 10; ++t) rows.push_back((b * 7) % 31 + t);
    const torch::Tensor index = torch::tensor(rows, torch::kInt64);
    const torch::Tensor R = torch::randn({B, O});

    std::vector<torch::Tensor> all{P, w.firstBias, w.lastWeight, w.lastBias};
    for (std::size_t l = 0; l < 3; ++l) {
        all.push_back(w.skipWeight[l]);
        all.push_back(w.skipBias[l]);
    }
    auto gradients = [&](const torch::Tensor& out) {
        const auto g = torch::autograd::grad({(out * R).sum()}, all);
        return std::vector<torch::Tensor>(g.begin(), g.end());
    };
    const torch::Tensor expected = reference(P, index, w);
    const auto expectedGrads = gradients(expected);
    // LibTorch on one thread (the training default): the passes run side by side; on two: one after
    // another.
    const int threads = at::get_num_threads();
    for (int libtorchThreads : {1, 2}) {
        at::set_num_threads(libtorchThreads);
        for (int passes : {1, 2, 3, 4}) {
            const torch::Tensor out = cebra::offset10Embed(P, index, w, passes);
            EXPECT_LT((out - expected).abs().max().item<double>(), 1e-5) << passes << " passes";
            const auto grads = gradients(out);
            for (std::size_t i = 0; i < all.size(); ++i) {
                const double scale = expectedGrads[i].abs().max().item<double>();
                EXPECT_GT(scale, 1e-3) << "parameter " << i;
                EXPECT_LT((grads[i] - expectedGrads[i]).abs().max().item<double>(),
                          1e-5 * std::max(1.0, scale))
                    << "parameter " << i << ", " << passes << " passes, " << libtorchThreads
                    << " LibTorch threads";
            }
        }
    }
    at::set_num_threads(threads);
    EXPECT_THROW(cebra::offset10Embed(P, index, w, 5), std::invalid_argument);
}
