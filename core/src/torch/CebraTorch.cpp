#include "neurolens/models/Cebra.h"

#include "neurolens/data/Error.h"
#include "neurolens/decode/BehaviourDecoding.h"
#include "neurolens/preprocess/RepeatSplit.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <numeric>
#include <optional>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "CebraEncoder.h"
#include "CebraOffset10.h"
#include "CebraSampler.h"
#include "TorchCheckpoint.h"
#include "TorchEngines.h"
#include "models/TorchModule.h"

namespace neurolens {

namespace {

using cebra::Encoder;
using Architecture = CebraOptions::Architecture;

const std::vector<std::string>& columns()
{
    static const std::vector<std::string> c{"seconds", "loss", "temperature", "knn_within_1s",
                                            "behaviour_r2"};
    return c;
}

}  // namespace

struct CebraState {
    CebraOptions options;
    torch::Device device{torch::kCPU};
    at::Generator generator;
    std::shared_ptr<Encoder> net;
    std::unique_ptr<torch::optim::Adam> optimiser;
    torch::Tensor x;                    // every sample x units (device): for the transform only
    torch::Tensor xTrain;               // the training repeats' samples, stacked (device)
    std::optional<SparseRows> sparseX;  // xTrain when mostly zeros (hand-written offset10)
    std::optional<SparseTransposedBlocks> sparseXt;  // and its transpose
    // The sampler works on training samples: local index i = k * bins + b is bin b of
    // split.train[k].
    int samples = 0, units = 0, bins = 0;
    int trainSamples = 0;
    std::unique_ptr<cebra::Sampler> sampler;
    std::vector<EpochRecord> history;
    Recording recording;  // for the validation kNN (responses not needed beyond shape)
    int step = 0;
    // The best validation score so far and the weights that gave it (keepBest).
    double bestScore = -std::numeric_limits<double>::infinity();
    int bestEpoch = 0, keptEpoch = 0;
    std::vector<torch::Tensor> bestWeights;

    int globalOf(int local) const
    {
        return options.split.train[std::size_t(local / bins)] * bins + local % bins;
    }
    int localOf(int global) const
    {
        const auto& t = options.split.train;
        const auto it = std::find(t.begin(), t.end(), global / bins);
        if (global < 0 || global >= samples || it == t.end())
            throw UsageError("sample " + std::to_string(global) + " is not in a training repeat");
        return int(it - t.begin()) * bins + global % bins;
    }

    double inverseTemperature() const
    {
        const double inv = std::exp(net->logInverseTemperature.item<double>());
        return options.learnableTemperature ? std::min(inv, 1.0 / options.minTemperature)
                                            : 1.0 / options.temperature;
    }

    // The embeddings of the windows around `idx` (batch x output), with gradients: through GEMMs
    // for the convolutional models (Encoder::forwardGemm, forwardTaps), from `projected` / `taps`
    // (the step's projections of every training sample) when given.
    torch::Tensor embed(const std::vector<int>& idx, const torch::Tensor& projected,
                        const std::vector<torch::Tensor>& taps)
    {
        const std::int64_t B = std::int64_t(idx.size()), W = net->left() + net->right();
        if (!taps.empty()) {
            std::vector<std::int64_t> starts(idx.size());
            for (std::size_t i = 0; i < idx.size(); ++i)
                starts[i] = windowCentre(idx[i]) - net->left();
            return net
                ->forwardTaps(
                    taps, torch::from_blob(starts.data(), {B}, torch::kInt64).clone().to(device))
                .squeeze(1);
        }
        const torch::Tensor rows = windowRows(idx);
        if (projected.defined())
            return net->forwardGemm(projected.index_select(0, rows).view({B, W, -1}), true)
                .squeeze(1);
        const torch::Tensor g = xTrain.index_select(0, rows).view({B, W, units});
        if (gemmKernels()) return net->forwardGemm(g, false).squeeze(1);
        return net->forward(g.permute({0, 2, 1})).squeeze(2);
    }

    // Sample i's window centre, clamped within its repeat as the reference's expand_index clamps at
    // the sequence's edges: a window never reads another repeat.
    int windowCentre(int i) const
    {
        const int first = i / bins * bins;
        return std::clamp(i, first + net->left(), first + bins - net->right());
    }

    // The training samples of the windows around `idx` (idx.size() * window indices, window-major).
    std::vector<std::int64_t> windowSamples(const std::vector<int>& idx) const
    {
        const int L = net->left(), R = net->right();
        std::vector<std::int64_t> rows;
        rows.reserve(idx.size() * std::size_t(L + R));
        for (int i : idx) {
            const int c = windowCentre(i);
            for (int t = c - L; t < c + R; ++t) rows.push_back(t);
        }
        return rows;
    }

    torch::Tensor windowRows(const std::vector<int>& idx)
    {
        std::vector<std::int64_t> rows = windowSamples(idx);
        return torch::from_blob(rows.data(), {std::int64_t(rows.size())}, torch::kInt64)
            .clone()
            .to(device);
    }

    bool gemmKernels() const
    {
        return (options.architecture == Architecture::Offset10 ||
                options.architecture == Architecture::Offset40x4) &&
               options.kernels != CebraOptions::Kernels::Convolution;
    }
    // Whether offset10's step runs the hand-written forward and backward (CPU only; the same
    // function as Encoder::forwardGemm through autograd, which CebraOptions::Kernels::Gemm
    // selects).
    bool handWritten() const
    {
        return options.architecture == Architecture::Offset10 &&
               options.kernels == CebraOptions::Kernels::Automatic && device.is_cpu();
    }
    // Whether a step projects every training sample (see Encoder::forwardGemm; offset40-4x always
    // does).
    bool projectEverySample() const
    {
        return gemmKernels() &&
               (options.architecture == Architecture::Offset40x4 ||
                trainSamples < 3 * options.batchSize * (net->left() + net->right()));
    }

    // The embedding of one repeat's samples (n x units): the window [i - left, i + right) of sample
    // i, replicate-padded at the repeat's edges. The convolutional models run over the whole padded
    // sequence (offset40-4x once per phase of its 4-sample stride); resample1, not convolutional,
    // over batches of windows.
    torch::Tensor transformSequence(const torch::Tensor& seq)
    {
        const std::int64_t n = seq.size(0);
        const int L = net->left(), R = net->right();
        std::vector<torch::Tensor> parts;
        if (L > 0) parts.push_back(seq.slice(0, 0, 1).expand({L, units}));
        parts.push_back(seq);
        if (R > 1) parts.push_back(seq.slice(0, n - 1, n).expand({R - 1, units}));
        const torch::Tensor padded = torch::cat(parts, 0);  // n + L + R - 1 rows
        switch (net->architecture) {
            case Architecture::Offset10:
                return net->forward(padded.t().unsqueeze(0)).squeeze(0).t();
            case Architecture::Offset1:
                return net->forward(padded.unsqueeze(2)).squeeze(2);
            case Architecture::Offset40x4: {
                // Phase p gives the samples p, p + 4, ...; interleave them back into time order.
                torch::Tensor out = torch::empty({n, std::int64_t(options.output)},
                                                 torch::TensorOptions().device(device));
                for (int p = 0; p < 4 && p < n; ++p) {
                    const torch::Tensor e =
                        net->forward(padded.slice(0, p).t().unsqueeze(0)).squeeze(0).t();
                    out.slice(0, p, n, 4).copy_(e);
                }
                return out;
            }
            case Architecture::Resample1: {
                std::vector<torch::Tensor> chunks;
                const int W = L + R;
                for (std::int64_t s0 = 0; s0 < n; s0 += 4096) {
                    const std::int64_t m = std::min<std::int64_t>(4096, n - s0);
                    // Window of sample i: padded rows i .. i + W - 1.
                    const torch::Tensor w =
                        padded.slice(0, s0, s0 + m + W - 1).unfold(0, W, 1);  // (m, units, W)
                    chunks.push_back(net->forward(w.contiguous()).squeeze(2));
                }
                return torch::cat(chunks, 0);
            }
        }
        return {};
    }

    RowMatrixXf transformAll()
    {
        torch::NoGradGuard guard;
        net->eval();
        std::vector<torch::Tensor> repeats;
        repeats.reserve(std::size_t(samples / bins));
        for (int r = 0; r < samples / bins; ++r)
            repeats.push_back(
                transformSequence(x.slice(0, std::int64_t(r) * bins, std::int64_t(r + 1) * bins)));
        net->train();
        const torch::Tensor out = torch::cat(repeats, 0).to(torch::kCPU).contiguous();
        RowMatrixXf e(out.size(0), out.size(1));
        std::copy(out.data_ptr<float>(), out.data_ptr<float>() + out.numel(), e.data());
        return e;
    }

    std::vector<torch::Tensor> weights() const
    {
        std::vector<torch::Tensor> w;
        for (const auto& p : net->parameters()) w.push_back(p.detach().clone());
        return w;
    }

    void restore(const std::vector<torch::Tensor>& w)
    {
        torch::NoGradGuard guard;
        const auto params = net->parameters();
        for (std::size_t i = 0; i < params.size(); ++i) params[i].copy_(w[i]);
    }
};

// Cebra's engine: the public class forwards here (models/TorchModule.h).
class TorchCebra final : public Cebra::Impl {
public:
    TorchCebra(const Recording& rec, CebraOptions o);
    ~TorchCebra() override;
    int epochsDone() const override;
    int epochsPlanned() const override;
    EpochRecord trainEpoch(Progress& progress) override;
    void save(const std::string& path) const override;
    void load(const std::string& path) override;
    const std::vector<EpochRecord>& history() const override;
    RowMatrixXf transform() const override;
    double temperature() const override;
    const CebraOptions& options() const override;
    std::int64_t parameterCount() const override;
    const RepeatSplit& split() const override;
    int keptStep() const override;
    std::vector<int> positivesFor(const std::vector<int>& references) override;
    Cebra::Batch sampleBatch() override;

private:
    std::unique_ptr<CebraState> d;
};

TorchCebra::TorchCebra(const Recording& rec, CebraOptions o) : d(std::make_unique<CebraState>())
{
    if (o.hidden < 1 || o.output < 1 || o.iterations < 1 || o.batchSize < 1 ||
        o.stepsPerEpoch < 1 || !(o.learningRate > 0) || !(o.temperature > 0) || o.timeOffset < 1)
        throw UsageError(
            "CEBRA: sizes, iterations, batch, steps, learning rate, temperature and time offset "
            "must be positive");
    const Responses& r = rec.responses;
    d->samples = int(r.samples());
    d->units = r.units();
    d->bins = r.bins();
    if (o.split.train.empty()) o.split = RepeatSplit::standard(r.repeats());
    for (const auto* list : {&o.split.train, &o.split.validation, &o.split.test})
        for (int rep : *list)
            if (rep < 0 || rep >= r.repeats())
                throw UsageError("CEBRA: repeat " + std::to_string(rep) + " does not exist");
    auto in = [](const std::vector<int>& list, int rep) {
        return std::find(list.begin(), list.end(), rep) != list.end();
    };
    for (int rep : o.split.train)
        if (o.split.isTest(rep) || in(o.split.validation, rep))
            throw UsageError("CEBRA: repeat " + std::to_string(rep) +
                             " is a training repeat and also a validation or test repeat");
    for (int rep : o.split.validation)
        if (o.split.isTest(rep))
            throw UsageError("CEBRA: repeat " + std::to_string(rep) +
                             " is a validation and a test repeat");
    if (!o.labelShifts.empty() && o.labelShifts.size() != o.split.train.size())
        throw UsageError("CEBRA: one label shift per training repeat");
    d->trainSamples = int(o.split.train.size()) * d->bins;
    const auto [left, right] = cebraReceptiveField(o.architecture);
    if (d->bins < std::max(20, left + right) || d->units < 1)
        throw UsageError("CEBRA " + cebraArchitectureName(o.architecture) + " needs at least " +
                         std::to_string(std::max(20, left + right)) + " samples per repeat");
    if (o.conditional != CebraOptions::Conditional::Frame && o.timeOffset >= d->bins)
        throw UsageError("CEBRA: the time offset must be shorter than a repeat");
    if (o.device != "cpu") {
        if (o.device.rfind("cuda", 0) == 0 && !torch::cuda::is_available())
            throw UsageError("device '" + o.device +
                             "': this LibTorch has no CUDA (or no GPU is visible)");
        d->device = torch::Device(o.device);
    }
    d->options = std::move(o);
    d->generator = at::make_generator<at::CPUGeneratorImpl>(d->options.seed);
    d->sampler = std::make_unique<cebra::Sampler>(rec, d->options, d->generator);
    {
        // The weights from our generator (PyTorch's default uniform +-1/sqrt(fan_in)), not the
        // global one.
        d->net = std::make_shared<Encoder>(d->units, d->options);
        torch::NoGradGuard guard;
        for (auto& p : d->net->named_parameters()) {
            if (p.key() == "log_inverse_temperature") continue;
            torch::Tensor& t = p.value();
            std::int64_t fanIn = 1;
            if (t.dim() >= 2)
                fanIn = t.numel() / t.size(0);
            else {
                const std::string weight = p.key().substr(0, p.key().size() - 4) + "weight";
                const torch::Tensor w = d->net->named_parameters()[weight];
                fanIn = w.numel() / w.size(0);
            }
            const double bound = 1.0 / std::sqrt(double(fanIn));
            t.copy_(torch::rand(t.sizes(), d->generator,
                                torch::TensorOptions().dtype(torch::kFloat32)) *
                        (2 * bound) -
                    bound);
        }
    }
    d->net->to(d->device);
    d->optimiser = std::make_unique<torch::optim::Adam>(
        d->net->parameters(), torch::optim::AdamOptions(d->options.learningRate));
    const RowMatrixXf m = r.sampleMatrix();
    d->x = torch::from_blob(const_cast<float*>(m.data()), {m.rows(), m.cols()}, torch::kFloat32)
               .clone()
               .to(d->device);
    const RowMatrixXf train = gatherRepeats(r, d->options.split.train);
    d->xTrain = torch::from_blob(const_cast<float*>(train.data()), {train.rows(), train.cols()},
                                 torch::kFloat32)
                    .clone()
                    .to(d->device);
    if (d->handWritten() && d->projectEverySample()) {
        // Spike counts are mostly zeros: the projections of every sample from the nonzeros (see
        // SparseRows.h), when under a quarter of the entries are nonzero.
        SparseRows sparse =
            SparseRows::fromDense(train.data(), int(train.rows()), int(train.cols()));
        if (sparse.density() < kSparseProductsBelow) {
            d->sparseXt = SparseTransposedBlocks::of(sparse);
            d->sparseX = std::move(sparse);
        }
    }
    d->recording.stimulus = rec.stimulus;
    for (const std::string& name : d->options.behaviour)
        d->recording.behaviour[name] = rec.behaviour.at(name);  // the sampler found it
    d->recording.responses = Responses(r.repeats(), r.bins(), 1, 1, r.binRateHz());  // shape only
}

TorchCebra::~TorchCebra() = default;

int TorchCebra::epochsDone() const
{
    return int(d->history.size());
}
int TorchCebra::epochsPlanned() const
{
    return (d->options.iterations + d->options.stepsPerEpoch - 1) / d->options.stepsPerEpoch;
}
const std::vector<EpochRecord>& TorchCebra::history() const
{
    return d->history;
}
const CebraOptions& TorchCebra::options() const
{
    return d->options;
}
double TorchCebra::temperature() const
{
    return 1.0 / d->inverseTemperature();
}

const RepeatSplit& TorchCebra::split() const
{
    return d->options.split;
}
int TorchCebra::keptStep() const
{
    return d->keptEpoch * d->options.stepsPerEpoch;
}

std::vector<int> TorchCebra::positivesFor(const std::vector<int>& references)
{
    std::vector<int> local;
    local.reserve(references.size());
    for (int g : references) local.push_back(d->localOf(g));
    const auto conditional = d->options.conditional == CebraOptions::Conditional::Hybrid
                                 ? CebraOptions::Conditional::Features
                                 : d->options.conditional;
    std::vector<int> out;
    for (int p : d->sampler->positives(local, conditional)) out.push_back(d->globalOf(p));
    return out;
}

Cebra::Batch TorchCebra::sampleBatch()
{
    CebraOptions::Conditional conditional = d->options.conditional;
    if (conditional == CebraOptions::Conditional::Hybrid)
        conditional = d->step++ % 2 == 0 ? CebraOptions::Conditional::Time
                                         : CebraOptions::Conditional::Features;
    std::vector<int> refs, pos, negs;
    d->sampler->drawBatch(conditional, refs, pos, negs);
    Cebra::Batch b;
    auto global = [&](const std::vector<int>& local, std::vector<int>& out) {
        for (int i : local) out.push_back(d->globalOf(i));
    };
    global(refs, b.references);
    global(pos, b.positives);
    global(negs, b.negatives);
    for (const auto* set : {&refs, &pos, &negs})
        for (std::int64_t w : d->windowSamples(*set))
            b.windowSamples.push_back(d->globalOf(int(w)));
    return b;
}

EpochRecord TorchCebra::trainEpoch(Progress& progress)
{
    const auto start = std::chrono::steady_clock::now();
    CebraState& m = *d;
    const int first = epochsDone() * m.options.stepsPerEpoch;
    const int steps = std::min(m.options.stepsPerEpoch, m.options.iterations - first);
    const int B = m.options.batchSize;
    double sumLoss = 0;
    for (int s = 0; s < steps; ++s) {
        progress.report(s, steps, "CEBRA step " + std::to_string(first + s + 1));
        CebraOptions::Conditional conditional = m.options.conditional;
        if (conditional == CebraOptions::Conditional::Hybrid)
            conditional = (first + s) % 2 == 0 ? CebraOptions::Conditional::Time
                                               : CebraOptions::Conditional::Features;
        std::vector<int> refs, pos, negs;
        m.sampler->drawBatch(conditional, refs, pos, negs);
        // Through LibTorch (not offset10's hand-written pass): three passes (reference, positive,
        // negative), as the reference: measured faster than one merged pass of 3 x batch windows,
        // with LibTorch 1.13's oneDNN convolutions (3.6 vs 2.6 steps/s) and with the GEMMs (7.3
        // vs 6.0).
        const bool taps = m.projectEverySample() &&
                          m.options.architecture == CebraOptions::Architecture::Offset40x4;
        torch::Tensor projection;
        if (m.projectEverySample() && !taps)
            projection =
                m.sparseX ? cebra::sparseProjection(*m.sparseX, *m.sparseXt, m.net->firstWeights())
                          : m.net->projection(m.xTrain);
        const std::vector<torch::Tensor> tapProjections =
            taps ? m.net->tapProjections(m.xTrain) : std::vector<torch::Tensor>();
        torch::Tensor ref, posZ, negZ;
        if (m.handWritten()) {
            // offset10 on the CPU: the three batches in one hand-written node (CebraOffset10.cpp),
            // from the projections of every sample, or (long recordings) of the windows' samples,
            // split into four passes (two or three when the windows do not split so), which run
            // side by side on the cores: 11.4-11.9 steps/s against 7.4-8.0 for three passes one
            // after another with each GEMM split by OpenBLAS (the default session, 128 units,
            // alternating runs). A fixed split, not one per core: the gradients' summation order,
            // and so a seed's result, does not depend on the machine.
            torch::Tensor rows =
                torch::cat({m.windowRows(refs), m.windowRows(pos), m.windowRows(negs)});
            if (!projection.defined()) {
                projection = m.net->projection(m.xTrain.index_select(0, rows));
                rows = torch::arange(rows.numel(), torch::TensorOptions().dtype(torch::kInt64));
            }
            const std::int64_t windows = 3 * std::int64_t(B);
            const int passes = windows % 4 == 0 ? 4 : windows % 2 == 0 ? 2 : 3;
            const torch::Tensor all =
                cebra::offset10Embed(projection, rows, m.net->offset10Weights(), passes);
            ref = all.narrow(0, 0, B);
            posZ = all.narrow(0, B, B);
            negZ = all.narrow(0, std::int64_t(2) * B, B);
        } else {
            ref = m.embed(refs, projection, tapProjections);
            posZ = m.embed(pos, projection, tapProjections);
            negZ = m.embed(negs, projection, tapProjections);
        }
        torch::Tensor inv = m.net->logInverseTemperature.exp();
        if (m.options.learnableTemperature)
            inv = torch::clamp_max(inv, 1.0 / m.options.minTemperature);
        else
            inv = torch::full({1}, 1.0 / m.options.temperature,
                              torch::TensorOptions().device(m.device));
        const torch::Tensor posSim = (ref * posZ).sum(1) * inv;
        const torch::Tensor negSim = torch::matmul(ref, negZ.t()) * inv;
        const torch::Tensor c = std::get<0>(negSim.max(1, true)).detach();
        const torch::Tensor loss =
            (-(posSim - c.squeeze(1))).mean() + torch::logsumexp(negSim - c, 1).mean();
        m.optimiser->zero_grad();
        loss.backward();
        m.optimiser->step();
        sumLoss += loss.item<double>();
    }
    EpochRecord r;
    r.epoch = epochsDone() + 1;
    r.values["loss"] = sumLoss / std::max(1, steps);
    r.values["temperature"] = temperature();
    const RepeatSplit& split = m.options.split;
    if (m.options.validateEvery > 0 &&
        (r.epoch % m.options.validateEvery == 0 || r.epoch == epochsPlanned()) &&
        !split.validation.empty()) {
        // Validation: kNN fitted on the training repeats, k chosen on and scored on the validation
        // repeats: of the frame, or of the behaviour the model was trained on (the mean R²).
        const RowMatrixXf e = m.transformAll();
        double score = 0;
        if (m.options.behaviour.empty()) {
            score =
                decodeFramesByKnn(m.recording, e, RepeatSplit{split.train, {}, split.validation})
                    .within;
            r.values["knn_within_1s"] = score;
        } else {
            for (const std::string& name : m.options.behaviour) {
                BehaviourDecodeOptions b;
                b.behaviour = name;
                b.model = "knn";
                b.trainRepeats = split.train;
                b.testRepeats = split.validation;
                score +=
                    decodeBehaviour(m.recording, e, b).test.r2 / double(m.options.behaviour.size());
            }
            r.values["behaviour_r2"] = score;
        }
        if (score > m.bestScore) {
            m.bestScore = score;
            m.bestEpoch = r.epoch;
            if (m.options.keepBest && r.epoch != epochsPlanned()) m.bestWeights = m.weights();
        }
    }
    m.keptEpoch = r.epoch;
    if (r.epoch == epochsPlanned() && m.options.keepBest && m.bestEpoch > 0 &&
        m.bestEpoch != r.epoch && !m.bestWeights.empty()) {
        m.restore(m.bestWeights);
        m.keptEpoch = m.bestEpoch;
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    m.history.push_back(r);
    return r;
}

RowMatrixXf TorchCebra::transform() const
{
    return d->transformAll();
}

std::int64_t TorchCebra::parameterCount() const
{
    std::int64_t n = 0;
    for (const auto& p : d->net->named_parameters())
        if (p.key() != "log_inverse_temperature") n += p.value().numel();
    return n;
}

namespace {

// What a checkpoint must match: the model's shape, and the repeats it trained and chose on (a model
// resumed under another split could have trained on today's test repeat).
std::vector<std::int64_t> checkpointSignature(int units, const CebraOptions& o)
{
    std::vector<std::int64_t> s{units, int(o.architecture), o.hidden, o.output, -1};
    s.insert(s.end(), o.split.train.begin(), o.split.train.end());
    s.push_back(-2);
    s.insert(s.end(), o.split.validation.begin(), o.split.validation.end());
    return s;
}

}  // namespace

void TorchCebra::save(const std::string& path) const
{
    checkpoint::save(path, *d->net, *d->optimiser, d->generator, d->history, columns(),
                     "cebra_shape", checkpointSignature(d->units, d->options));
}

void TorchCebra::load(const std::string& path)
{
    checkpoint::load(path, *d->net, *d->optimiser, d->generator, d->history, columns(),
                     "cebra_shape", checkpointSignature(d->units, d->options),
                     "CEBRA (or one trained on other repeats)", d->device);
    // The best step before the checkpoint is not stored: a resumed run keeps the best among the
    // steps it validates itself, else its last.
    d->keptEpoch = epochsDone();
}

std::unique_ptr<Cebra::Impl> makeTorchCebra(const Recording& analysed, CebraOptions options)
{
    return std::make_unique<TorchCebra>(analysed, std::move(options));
}

}  // namespace neurolens
