#pragma once
// CEBRA's networks (the reference's offset10-model, offset1-model, offset40-model-4x-subsample and
// offset4-model-2x-subsample) as a LibTorch module, with the matrix-product forms that training
// uses. Internal to CebraTorch.cpp and its tests.

#include "neurolens/data/Error.h"
#include "neurolens/models/Cebra.h"

#include <torch/torch.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "CebraOffset10.h"

namespace neurolens::cebra {

// x[..., 1:-1] + GELU(Conv1d(H, H, 3)(x)): the reference's _Skip block.
struct SkipBlock : torch::nn::Module {
    explicit SkipBlock(int h)
    {
        conv = register_module("conv", torch::nn::Conv1d(torch::nn::Conv1dOptions(h, h, 3)));
    }
    torch::Tensor forward(const torch::Tensor& x)
    {
        return x.slice(2, 1, x.size(2) - 1) + torch::gelu(conv->forward(x));
    }
    torch::nn::Conv1d conv{nullptr};
};

using Architecture = CebraOptions::Architecture;

// The reference's _MeanAndConv(D, H, k, stride): cat([Conv1d(D, H, k, stride)(x), x[...,
// ::stride][..., :L]]), the second part being F.interpolate(x, 1/stride) in its default nearest
// mode (every stride-th sample).
inline torch::Tensor meanAndConv(torch::nn::Conv1d& conv, const torch::Tensor& x, int stride)
{
    const torch::Tensor c = conv->forward(x);
    return torch::cat({c, x.slice(2, 0, x.size(2), stride).slice(2, 0, c.size(2))}, 1);
}

struct Encoder : torch::nn::Module {
    Encoder(int inputs, const CebraOptions& o) : architecture(o.architecture)
    {
        using torch::nn::Conv1dOptions;
        switch (architecture) {
            case Architecture::Offset10:
                first =
                    register_module("first", torch::nn::Conv1d(Conv1dOptions(inputs, o.hidden, 2)));
                break;
            case Architecture::Offset40x4:
                // _MeanAndConv(D, H, 4, stride 2) -> Conv1d(D + H, H, 3, stride 2)
                first = register_module(
                    "first", torch::nn::Conv1d(Conv1dOptions(inputs, o.hidden, 4).stride(2)));
                second = register_module(
                    "second",
                    torch::nn::Conv1d(Conv1dOptions(inputs + o.hidden, o.hidden, 3).stride(2)));
                break;
            case Architecture::Resample1:
                first = register_module(
                    "first", torch::nn::Conv1d(Conv1dOptions(inputs, o.hidden, 4).stride(2)));
                break;
            case Architecture::Offset1:
                break;
        }
        if (convolutional()) {
            for (int i = 0; i < 3; ++i)
                skips.push_back(register_module("skip" + std::to_string(i),
                                                std::make_shared<SkipBlock>(o.hidden)));
            last = register_module("last", torch::nn::Conv1d(Conv1dOptions(o.hidden, o.output, 3)));
        } else {
            if (o.hidden < 2) throw UsageError("the MLP CEBRA models need at least 2 hidden units");
            const int in = architecture == Architecture::Resample1 ? inputs + o.hidden : inputs;
            l1 = register_module("l1", torch::nn::Linear(in, o.hidden));
            l2 = register_module("l2", torch::nn::Linear(o.hidden, o.hidden));
            l3 = register_module("l3", torch::nn::Linear(o.hidden, o.hidden / 2));
            l4 = register_module("l4", torch::nn::Linear(o.hidden / 2, o.output));
        }
        // log(1/tau), optimised only when the temperature is learnable.
        logInverseTemperature = register_parameter("log_inverse_temperature",
                                                   torch::tensor({std::log(1.0 / o.temperature)}),
                                                   o.learnableTemperature);
    }

    bool convolutional() const
    {
        return architecture == Architecture::Offset10 || architecture == Architecture::Offset40x4;
    }
    int left() const { return cebraReceptiveField(architecture).first; }
    int right() const { return cebraReceptiveField(architecture).second; }

    // x: (batch, D, window) -> (batch, O, outputs), L2-normalised over O. The convolutional models
    // give window - receptive field + 1 outputs (offset10) or (window - 40) / 4 + 1 (offset40-4x);
    // offset1 one per sample; resample1 takes exactly its 4-sample window.
    torch::Tensor forward(torch::Tensor x)
    {
        switch (architecture) {
            case Architecture::Offset10:
                x = first->forward(x);
                break;
            case Architecture::Offset40x4:
                x = torch::gelu(second->forward(meanAndConv(first, x, 2)));
                break;
            case Architecture::Resample1:
                x = meanAndConv(first, x, 2);
                break;  // (batch, D + H, 1)
            case Architecture::Offset1:
                break;
        }
        return afterFirst(x);
    }

    // Training the convolutional models through GEMMs, channels last: the same function as
    // forward() (the same parameters), computed as matrix products instead of LibTorch 1.13's
    // oneDNN convolutions, which are slow on these short windows (offset10: 10 samples shrinking to
    // 1, 80 % of a step; offset40-4x: strided convolutions over 40 x D inputs, 0.8 steps/s at H =
    // 32). The layers that read the samples are linear in them. offset10's Conv1d(D, H, 2): out[t]
    // = W0 x[t] + W1 x[t+1] + b, so a step needs the projections of its windows' samples on [W0;
    // W1] (2H values): of every sample at once when the step's windows hold more samples than the
    // recording (three passes of 512 ten-sample windows, 15 360; a 30 Hz session: 9 000 samples),
    // then gathered; else of the gathered windows. offset40-4x's Conv1d(D, H, 4, stride 2): c[t] =
    // sum_k W_k x[2t+k] + b, and the raw half of its second layer, Conv1d(D + H, H, 3, stride 2) on
    // [c, x[2t]]: sum_j V_j x[4u+2j]; every sample is projected on each of the 7 taps (N x H each),
    // and each tap gathers only the samples it reads.
    torch::Tensor firstWeights() const
    {
        return torch::cat({first->weight.select(2, 0), first->weight.select(2, 1)}, 0).t();
    }
    torch::Tensor projection(const torch::Tensor& X) const { return torch::mm(X, firstWeights()); }
    std::vector<torch::Tensor> tapProjections(const torch::Tensor& X) const
    {
        const std::int64_t H = first->weight.size(0);
        std::vector<torch::Tensor> p;
        for (std::int64_t k = 0; k < 4; ++k)
            p.push_back(torch::mm(X, first->weight.select(2, k).t()));
        for (std::int64_t j = 0; j < 3; ++j)
            p.push_back(torch::mm(X, second->weight.select(2, j).slice(1, H).t()));
        return p;
    }

    // Conv1d(C, O, 3, stride) on (batch, L, C): the windows [y[t], y[t+1], y[t+2]] as rows (C x 3
    // values, the kernel's order) times the kernel (3C, O), plus the bias, in one addmm.
    static torch::Tensor conv3(const torch::Tensor& y, const torch::Tensor& weight,
                               const torch::Tensor& bias, std::int64_t stride)
    {
        const std::int64_t batch = y.size(0), outputs = (y.size(1) - 3) / stride + 1,
                           O = weight.size(0);
        const torch::Tensor cols = y.unfold(1, 3, stride).reshape({batch * outputs, -1});
        return torch::addmm(bias, cols, weight.reshape({O, -1}).t()).view({batch, outputs, O});
    }

    // The residual blocks and the last layer, channels last, then the normalisation: (batch, 1, O).
    torch::Tensor tailGemm(torch::Tensor x)
    {
        for (auto& s : skips) {
            const std::int64_t L = x.size(1);
            x = x.slice(1, 1, L - 1) + torch::gelu(conv3(x, s->conv->weight, s->conv->bias, 1));
        }
        x = conv3(x, last->weight, last->bias, 1);
        return x / torch::norm(x, 2, 2, true);
    }

    // offset10: `windows` are the windows' samples (batch, W, D), or (with `projected`) their
    // projections (batch, W, 2H).
    torch::Tensor forwardGemm(const torch::Tensor& windows, bool projected)
    {
        const torch::Tensor g = projected ? windows : torch::matmul(windows, firstWeights());
        const std::int64_t H = g.size(2) / 2, W = g.size(1);
        return tailGemm(torch::gelu(g.slice(1, 0, W - 1).slice(2, 0, H) +
                                    g.slice(1, 1, W).slice(2, H, 2 * H) + first->bias));
    }

    cebra::Offset10Weights offset10Weights() const
    {
        cebra::Offset10Weights w;
        w.firstBias = first->bias;
        for (std::size_t i = 0; i < 3; ++i) {
            w.skipWeight[i] = skips[i]->conv->weight;
            w.skipBias[i] = skips[i]->conv->bias;
        }
        w.lastWeight = last->weight;
        w.lastBias = last->bias;
        return w;
    }

    // offset40-4x: `taps` from tapProjections, `starts` the first sample of each 40-sample window
    // (int64).
    torch::Tensor forwardTaps(const std::vector<torch::Tensor>& taps, const torch::Tensor& starts)
    {
        const std::int64_t B = starts.size(0), H = first->weight.size(0);
        const auto longs = torch::TensorOptions().dtype(torch::kInt64).device(starts.device());
        auto gather = [&](const torch::Tensor& p, std::int64_t offset, std::int64_t count,
                          std::int64_t step) {
            const torch::Tensor rows =
                (starts.unsqueeze(1) + torch::arange(count, longs) * step + offset).reshape({-1});
            return p.index_select(0, rows).view({B, count, H});
        };
        torch::Tensor c = first->bias + gather(taps[0], 0, 19, 2);
        for (std::int64_t k = 1; k < 4; ++k) c = c + gather(taps[std::size_t(k)], k, 19, 2);
        torch::Tensor raw = gather(taps[4], 0, 9, 4);
        for (std::int64_t j = 1; j < 3; ++j)
            raw = raw + gather(taps[std::size_t(4 + j)], 2 * j, 9, 4);
        return tailGemm(
            torch::gelu(conv3(c, second->weight.slice(1, 0, H), second->bias, 2) + raw));
    }

    torch::Tensor afterFirst(torch::Tensor x)
    {
        if (architecture == Architecture::Offset10) x = torch::gelu(x);
        if (convolutional()) {
            for (auto& s : skips) x = s->forward(x);
            x = last->forward(x);
        } else {
            x = x.permute({0, 2, 1});  // (batch, steps, features): the MLP per step
            x = torch::gelu(l1->forward(x));
            x = torch::gelu(l2->forward(x));
            x = torch::gelu(l3->forward(x));
            x = l4->forward(x).permute({0, 2, 1});
        }
        return x / torch::norm(x, 2, 1, true);  // no epsilon, as the reference
    }

    Architecture architecture;
    torch::nn::Conv1d first{nullptr}, second{nullptr}, last{nullptr};
    std::vector<std::shared_ptr<SkipBlock>> skips;
    torch::nn::Linear l1{nullptr}, l2{nullptr}, l3{nullptr}, l4{nullptr};
    torch::Tensor logInverseTemperature;
};

}  // namespace neurolens::cebra
