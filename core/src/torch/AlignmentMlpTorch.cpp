#include "TorchEngines.h"

#include "neurolens/data/Error.h"
#include "neurolens/decode/Ridge.h"
#include "neurolens/models/Alignment.h"
#include "neurolens/preprocess/RepeatSplit.h"

#include <cmath>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

namespace neurolens {

namespace {

torch::Tensor tensorOf(const RowMatrixXf& m)
{
    return torch::from_blob(const_cast<float*>(m.data()), {m.rows(), m.cols()}, torch::kFloat32)
        .clone();
}

RowMatrixXf matrixOf(const torch::Tensor& t)
{
    const torch::Tensor c = t.contiguous();
    RowMatrixXf m(c.size(0), c.size(1));
    std::copy(c.data_ptr<float>(), c.data_ptr<float>() + c.numel(), m.data());
    return m;
}

}  // namespace

// One hidden layer (GELU), Adam 1e-3, mini-batches of 256 drawn by a seeded generator, targets
// standardised on the training repeats; the epoch with the best validation R² is kept (patience
// `patience`).
AlignmentResult torchAlignWithMlp(const RowMatrixXf& xTrain, const RowMatrixXf& yTrain,
                                  const RowMatrixXf& xVal, const RowMatrixXf& yVal,
                                  const RowMatrixXf& xTest, const RowMatrixXf& yTest,
                                  const AlignmentOptions& o, Progress& progress)
{
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(o.seed);
    const Standardiser ys = Standardiser::fit(yTrain);
    const torch::Tensor x = tensorOf(xTrain), y = tensorOf(ys.apply(yTrain)), xv = tensorOf(xVal),
                        xt = tensorOf(xTest);
    torch::nn::Linear l1(xTrain.cols(), o.hidden), l2(o.hidden, yTrain.cols());
    {
        torch::NoGradGuard guard;
        for (torch::nn::Linear* l : {&l1, &l2}) {
            const double bound = 1.0 / std::sqrt(double((*l)->weight.size(1)));
            (*l)->weight.copy_(torch::rand((*l)->weight.sizes(), gen) * (2 * bound) - bound);
            (*l)->bias.copy_(torch::rand((*l)->bias.sizes(), gen) * (2 * bound) - bound);
        }
    }
    std::vector<torch::Tensor> params = l1->parameters();
    for (const auto& p : l2->parameters()) params.push_back(p);
    torch::optim::Adam adam(params, torch::optim::AdamOptions(1e-3));
    auto predict = [&](const torch::Tensor& in) {
        torch::NoGradGuard guard;
        RowMatrixXf p = matrixOf(l2->forward(torch::gelu(l1->forward(in))));
        // Back to the responses' units.
        for (Eigen::Index c = 0; c < p.cols(); ++c)
            p.col(c) =
                (p.col(c).cast<double>().array() * ys.scale[c] + ys.mean[c]).cast<float>().matrix();
        return p;
    };
    AlignmentResult out;
    double best = -std::numeric_limits<double>::infinity();
    std::vector<torch::Tensor> bestState;
    int since = 0;
    const std::int64_t n = x.size(0);
    for (int epoch = 1; epoch <= o.maxEpochs && since < o.patience; ++epoch) {
        progress.checkCancelled();
        const torch::Tensor order = torch::randperm(n, gen, torch::kInt64);
        for (std::int64_t b = 0; b < n; b += 256) {
            const torch::Tensor idx = order.slice(0, b, std::min(n, b + 256));
            const torch::Tensor loss =
                torch::mse_loss(l2->forward(torch::gelu(l1->forward(x.index_select(0, idx)))),
                                y.index_select(0, idx));
            adam.zero_grad();
            loss.backward();
            adam.step();
        }
        const double v = r2PerOutput(yVal, predict(xv)).mean();
        if (v > best) {
            best = v;
            out.epochs = epoch;
            bestState.clear();
            for (const auto& p : params) bestState.push_back(p.detach().clone());
            since = 0;
        } else {
            ++since;
        }
        progress.report(epoch, o.maxEpochs, "alignment: MLP");
    }
    {
        torch::NoGradGuard guard;
        for (std::size_t i = 0; i < params.size(); ++i) params[i].copy_(bestState[i]);
    }
    out.validationR2 = best;
    out.r2PerUnit = r2PerOutput(yTest, predict(xt));
    out.r2 = out.r2PerUnit.mean();
    return out;
}

}  // namespace neurolens
