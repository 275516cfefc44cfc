#include "neurolens/models/Cebra.h"

#include "neurolens/data/Error.h"
#include "neurolens/features/GaborFeatures.h"
#include "neurolens/preprocess/RepeatSplit.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <optional>

#ifdef NEUROLENS_WITH_TORCH
#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "CebraEncoder.h"
#include "CebraOffset10.h"
#include "TorchCheckpoint.h"
#endif

namespace neurolens {

CebraOptions::Architecture cebraArchitecture(const std::string& name)
{
    using A = CebraOptions::Architecture;
    if (name == "offset10" || name == "offset10-model") return A::Offset10;
    if (name == "offset1" || name == "offset1-model") return A::Offset1;
    if (name == "offset40-4x" || name == "offset40-model-4x-subsample" || name == "resample" || name == "resample-model") return A::Offset40x4;
    if (name == "resample1" || name == "resample1-model" || name == "offset4-model-2x-subsample") return A::Resample1;
    throw UsageError("unknown CEBRA model '" + name + "' (offset10, offset1, offset40-4x or resample1)");
}

std::string cebraArchitectureName(CebraOptions::Architecture a)
{
    switch (a) {
    case CebraOptions::Architecture::Offset10: return "offset10";
    case CebraOptions::Architecture::Offset1: return "offset1";
    case CebraOptions::Architecture::Offset40x4: return "offset40-4x";
    case CebraOptions::Architecture::Resample1: return "resample1";
    }
    return "?";
}

std::pair<int, int> cebraReceptiveField(CebraOptions::Architecture a)
{
    switch (a) {
    case CebraOptions::Architecture::Offset10: return {5, 5};
    case CebraOptions::Architecture::Offset1: return {0, 1};
    case CebraOptions::Architecture::Offset40x4: return {20, 20};
    case CebraOptions::Architecture::Resample1: return {2, 2};
    }
    return {0, 1};
}

#ifdef NEUROLENS_WITH_TORCH

namespace {

using cebra::Encoder;
using Architecture = CebraOptions::Architecture;

const std::vector<std::string>& columns()
{
    static const std::vector<std::string> c{"seconds", "loss", "temperature", "knn_within_1s"};
    return c;
}

}  // namespace

struct Cebra::Impl {
    CebraOptions options;
    torch::Device device{torch::kCPU};
    at::Generator generator;
    std::shared_ptr<Encoder> net;
    std::unique_ptr<torch::optim::Adam> optimiser;
    torch::Tensor x;                      // samples x units (device)
    std::optional<SparseRows> sparseX;               // x when mostly zeros (hand-written offset10)
    std::optional<SparseTransposedBlocks> sparseXt;  // and its transpose
    int samples = 0, units = 0, bins = 0;
    std::vector<int> frameOf;             // per sample
    std::vector<std::vector<int>> samplesOfFrame;
    Eigen::MatrixXf frameLabels;          // frames x label dims (continuous conditionals)
    Eigen::VectorXf frameLabelNorms;
    std::vector<EpochRecord> history;
    Recording recording;                  // for the validation kNN (responses not needed beyond shape)
    RepeatSplit split;
    int step = 0;

    double inverseTemperature() const
    {
        const double inv = std::exp(net->logInverseTemperature.item<double>());
        return options.learnableTemperature ? std::min(inv, 1.0 / options.minTemperature) : 1.0 / options.temperature;
    }

    std::int64_t uniform(std::int64_t n) { return torch::randint(n, {1}, generator, torch::kInt64).item<std::int64_t>(); }

    torch::Tensor uniformBatch(std::int64_t n, std::int64_t count)
    {
        return torch::randint(n, {count}, generator, torch::TensorOptions().dtype(torch::kInt64));
    }

    // The nearest frame label to each query (rows), ties between frames broken by the lowest frame, then a
    // sample of that frame: uniform among its samples, or its first one (the reference's rule).
    std::vector<int> nearestSamples(const Eigen::MatrixXf& queries)
    {
        std::vector<int> out(std::size_t(queries.rows()));
        const Eigen::MatrixXf dots = queries * frameLabels.transpose();
        for (Eigen::Index q = 0; q < queries.rows(); ++q) {
            Eigen::Index best = 0;
            (frameLabelNorms.transpose() - 2 * dots.row(q)).minCoeff(&best);
            const auto& pool = samplesOfFrame[std::size_t(best)];
            out[std::size_t(q)] = options.firstIndexTies ? pool.front() : pool[std::size_t(uniform(std::int64_t(pool.size())))];
        }
        return out;
    }

    std::vector<int> positives(const std::vector<int>& refs, CebraOptions::Conditional conditional)
    {
        std::vector<int> pos(refs.size());
        switch (conditional) {
        case CebraOptions::Conditional::Time:
            for (std::size_t i = 0; i < refs.size(); ++i) pos[i] = refs[i] + options.timeOffset;
            break;
        case CebraOptions::Conditional::Frame:
            for (std::size_t i = 0; i < refs.size(); ++i) {
                const auto& pool = samplesOfFrame[std::size_t(frameOf[std::size_t(refs[i])])];
                pos[i] = pool[std::size_t(uniform(std::int64_t(pool.size())))];
            }
            break;
        default: {
            // time_delta: query = y[ref] + (y[u] - y[u - offset]) (zero for u < offset), u uniform.
            Eigen::MatrixXf queries(Eigen::Index(refs.size()), frameLabels.cols());
            for (std::size_t i = 0; i < refs.size(); ++i) {
                const int u = int(uniform(samples));
                queries.row(Eigen::Index(i)) = frameLabels.row(frameOf[std::size_t(refs[i])]);
                if (u >= options.timeOffset)
                    queries.row(Eigen::Index(i)) += frameLabels.row(frameOf[std::size_t(u)]) -
                                                    frameLabels.row(frameOf[std::size_t(u - options.timeOffset)]);
            }
            pos = nearestSamples(queries);
        }
        }
        return pos;
    }

    // The embeddings of the windows around `idx` (batch x output), with gradients: through GEMMs for the
    // convolutional models (Encoder::forwardGemm, forwardTaps), from `projected` / `taps` (the step's
    // projections of every sample) when given.
    torch::Tensor embed(const std::vector<int>& idx, const torch::Tensor& projected, const std::vector<torch::Tensor>& taps)
    {
        const std::int64_t B = std::int64_t(idx.size()), W = net->left() + net->right();
        if (!taps.empty()) {
            std::vector<std::int64_t> starts(idx.size());
            for (std::size_t i = 0; i < idx.size(); ++i) starts[i] = std::clamp(idx[i], net->left(), samples - net->right()) - net->left();
            return net->forwardTaps(taps, torch::from_blob(starts.data(), {B}, torch::kInt64).clone().to(device)).squeeze(1);
        }
        const torch::Tensor rows = windowRows(idx);
        if (projected.defined()) return net->forwardGemm(projected.index_select(0, rows).view({B, W, -1}), true).squeeze(1);
        const torch::Tensor g = x.index_select(0, rows).view({B, W, units});
        if (gemmKernels()) return net->forwardGemm(g, false).squeeze(1);
        return net->forward(g.permute({0, 2, 1})).squeeze(2);
    }

    // The samples of the windows around `idx`, clamped at the edges as the reference's expand_index
    // (idx.size() * window indices, window-major).
    torch::Tensor windowRows(const std::vector<int>& idx)
    {
        const int L = net->left(), R = net->right();
        std::vector<std::int64_t> rows;
        rows.reserve(idx.size() * std::size_t(L + R));
        for (int i : idx) {
            const int c = std::clamp(i, L, samples - R);
            for (int t = c - L; t < c + R; ++t) rows.push_back(t);
        }
        return torch::from_blob(rows.data(), {std::int64_t(rows.size())}, torch::kInt64).clone().to(device);
    }

    bool gemmKernels() const
    {
        return (options.architecture == Architecture::Offset10 || options.architecture == Architecture::Offset40x4) &&
               options.kernels != CebraOptions::Kernels::Convolution;
    }
    // Whether offset10's step runs the hand-written forward and backward (CPU only; the same function as
    // Encoder::forwardGemm through autograd, which CebraOptions::Kernels::Gemm selects).
    bool handWritten() const
    {
        return options.architecture == Architecture::Offset10 && options.kernels == CebraOptions::Kernels::Automatic && device.is_cpu();
    }
    // Whether a step projects every sample (see Encoder::forwardGemm; offset40-4x always does).
    bool projectEverySample() const
    {
        return gemmKernels() && (options.architecture == Architecture::Offset40x4 || samples < 3 * options.batchSize * (net->left() + net->right()));
    }

    // One embedding row per sample: the window [i - left, i + right) of sample i, replicate-padded at the
    // edges as the reference does. The convolutional models run over the whole padded sequence (offset40-4x
    // once per phase of its 4-sample stride); resample1, not convolutional, over batches of windows.
    RowMatrixXf transformAll()
    {
        torch::NoGradGuard guard;
        net->eval();
        const int L = net->left(), R = net->right();
        std::vector<torch::Tensor> parts;
        if (L > 0) parts.push_back(x.slice(0, 0, 1).expand({L, units}));
        parts.push_back(x);
        if (R > 1) parts.push_back(x.slice(0, samples - 1, samples).expand({R - 1, units}));
        const torch::Tensor padded = torch::cat(parts, 0);  // samples + L + R - 1 rows
        torch::Tensor out;
        switch (net->architecture) {
        case Architecture::Offset10: out = net->forward(padded.t().unsqueeze(0)).squeeze(0).t(); break;
        case Architecture::Offset1: out = net->forward(padded.unsqueeze(2)).squeeze(2); break;
        case Architecture::Offset40x4: {
            // Phase p gives the samples p, p + 4, ...; interleave them back into time order.
            out = torch::empty({samples, std::int64_t(options.output)}, torch::TensorOptions().device(device));
            for (int p = 0; p < 4 && p < samples; ++p) {
                const torch::Tensor e = net->forward(padded.slice(0, p).t().unsqueeze(0)).squeeze(0).t();
                out.slice(0, p, samples, 4).copy_(e);
            }
            break;
        }
        case Architecture::Resample1: {
            std::vector<torch::Tensor> chunks;
            const int W = L + R;
            for (int s0 = 0; s0 < samples; s0 += 4096) {
                const int n = std::min(4096, samples - s0);
                // Window of sample i: padded rows i .. i + W - 1.
                const torch::Tensor w = padded.slice(0, s0, s0 + n + W - 1).unfold(0, W, 1);  // (n, units, W)
                chunks.push_back(net->forward(w.contiguous()).squeeze(2));
            }
            out = torch::cat(chunks, 0);
            break;
        }
        }
        net->train();
        out = out.to(torch::kCPU).contiguous();
        RowMatrixXf e(out.size(0), out.size(1));
        std::copy(out.data_ptr<float>(), out.data_ptr<float>() + out.numel(), e.data());
        return e;
    }
};

Cebra::Cebra(const Recording& rec, CebraOptions o) : d(std::make_unique<Impl>())
{
    if (o.hidden < 1 || o.output < 1 || o.iterations < 1 || o.batchSize < 1 || o.stepsPerEpoch < 1 || !(o.learningRate > 0) ||
        !(o.temperature > 0) || o.timeOffset < 1)
        throw UsageError("CEBRA: sizes, iterations, batch, steps, learning rate, temperature and time offset must be positive");
    const Responses& r = rec.responses;
    d->samples = int(r.samples());
    d->units = r.units();
    d->bins = r.bins();
    const auto [left, right] = cebraReceptiveField(o.architecture);
    if (d->samples < std::max(20, left + right) || d->units < 1)
        throw UsageError("CEBRA " + cebraArchitectureName(o.architecture) + " needs at least " + std::to_string(std::max(20, left + right)) +
                         " samples");
    if (o.conditional == CebraOptions::Conditional::Time && o.timeOffset >= d->samples) throw UsageError("CEBRA: time offset too long");
    if (o.device != "cpu") {
        if (o.device.rfind("cuda", 0) == 0 && !torch::cuda::is_available())
            throw UsageError("device '" + o.device + "': this LibTorch has no CUDA (or no GPU is visible)");
        d->device = torch::Device(o.device);
    }
    const int frames = rec.frames();
    d->frameOf.resize(std::size_t(d->samples));
    d->samplesOfFrame.assign(std::size_t(frames), {});
    for (int s = 0; s < d->samples; ++s) {
        d->frameOf[std::size_t(s)] = rec.stimulus.frame[std::size_t(s % d->bins)];
        d->samplesOfFrame[std::size_t(d->frameOf[std::size_t(s)])].push_back(s);
    }
    if (o.conditional == CebraOptions::Conditional::Features || o.conditional == CebraOptions::Conditional::Hybrid) {
        const auto it = rec.features.find(o.features);
        if (it != rec.features.end()) d->frameLabels = it->second.values.topRows(std::min<Eigen::Index>(frames, it->second.values.rows()));
        else if (o.features == kGaborFeatures && rec.movie) d->frameLabels = gaborEnergyFeatures(*rec.movie).values.topRows(frames);
        else
            throw UsageError("no image features '" + o.features + "' in this recording" +
                             (rec.movie ? std::string("; 'gabor' computes built-in ones from its movie") : std::string()));
        if (d->frameLabels.rows() < frames) throw UsageError("the features have fewer frames than the movie");
        d->frameLabelNorms = d->frameLabels.rowwise().squaredNorm();
    }
    d->options = std::move(o);
    d->generator = at::make_generator<at::CPUGeneratorImpl>(d->options.seed);
    {
        // The weights from our generator (PyTorch's default uniform +-1/sqrt(fan_in)), not the global one.
        d->net = std::make_shared<Encoder>(d->units, d->options);
        torch::NoGradGuard guard;
        for (auto& p : d->net->named_parameters()) {
            if (p.key() == "log_inverse_temperature") continue;
            torch::Tensor& t = p.value();
            std::int64_t fanIn = 1;
            if (t.dim() >= 2) fanIn = t.numel() / t.size(0);
            else {
                const std::string weight = p.key().substr(0, p.key().size() - 4) + "weight";
                const torch::Tensor w = d->net->named_parameters()[weight];
                fanIn = w.numel() / w.size(0);
            }
            const double bound = 1.0 / std::sqrt(double(fanIn));
            t.copy_(torch::rand(t.sizes(), d->generator, torch::TensorOptions().dtype(torch::kFloat32)) * (2 * bound) - bound);
        }
    }
    d->net->to(d->device);
    d->optimiser = std::make_unique<torch::optim::Adam>(d->net->parameters(), torch::optim::AdamOptions(d->options.learningRate));
    const RowMatrixXf m = r.sampleMatrix();
    d->x = torch::from_blob(const_cast<float*>(m.data()), {m.rows(), m.cols()}, torch::kFloat32).clone().to(d->device);
    if (d->handWritten() && d->projectEverySample()) {
        // Spike counts are mostly zeros: the projections of every sample from the nonzeros (see
        // SparseRows.h), when under a quarter of the entries are nonzero.
        SparseRows sparse = SparseRows::fromDense(m.data(), int(m.rows()), int(m.cols()));
        if (sparse.density() < kSparseProductsBelow) {
            d->sparseXt = SparseTransposedBlocks::of(sparse);
            d->sparseX = std::move(sparse);
        }
    }
    d->recording.stimulus = rec.stimulus;
    d->recording.responses = Responses(r.repeats(), r.bins(), 1, 1, r.binRateHz());  // shape only
    d->split = RepeatSplit::standard(r.repeats());
}

Cebra::~Cebra() = default;

int Cebra::epochsDone() const { return int(d->history.size()); }
int Cebra::epochsPlanned() const { return (d->options.iterations + d->options.stepsPerEpoch - 1) / d->options.stepsPerEpoch; }
const std::vector<EpochRecord>& Cebra::history() const { return d->history; }
const CebraOptions& Cebra::options() const { return d->options; }
double Cebra::temperature() const { return 1.0 / d->inverseTemperature(); }

std::vector<int> Cebra::positivesFor(const std::vector<int>& references)
{
    return d->positives(references, d->options.conditional == CebraOptions::Conditional::Hybrid ? CebraOptions::Conditional::Features
                                                                                                 : d->options.conditional);
}

EpochRecord Cebra::trainEpoch(Progress& progress)
{
    const auto start = std::chrono::steady_clock::now();
    Impl& m = *d;
    const int first = epochsDone() * m.options.stepsPerEpoch;
    const int steps = std::min(m.options.stepsPerEpoch, m.options.iterations - first);
    const int B = m.options.batchSize;
    double sumLoss = 0;
    for (int s = 0; s < steps; ++s) {
        progress.report(s, steps, "CEBRA step " + std::to_string(first + s + 1));
        CebraOptions::Conditional conditional = m.options.conditional;
        if (conditional == CebraOptions::Conditional::Hybrid)
            conditional = (first + s) % 2 == 0 ? CebraOptions::Conditional::Time : CebraOptions::Conditional::Features;
        // References from the prior (uniform; for time, over [0, N - offset)), negatives uniform.
        const std::int64_t refRange = conditional == CebraOptions::Conditional::Time ? m.samples - m.options.timeOffset : m.samples;
        const torch::Tensor refT = m.uniformBatch(refRange, B), negT = m.uniformBatch(m.samples, B);
        const std::int64_t* refP = refT.data_ptr<std::int64_t>();
        const std::int64_t* negP = negT.data_ptr<std::int64_t>();
        const std::vector<int> refs(refP, refP + B), negs(negP, negP + B);
        const std::vector<int> pos = m.positives(refs, conditional);
        // Through LibTorch (not offset10's hand-written pass): three passes (reference, positive, negative),
        // as the reference: measured faster than one merged pass of 3 x batch windows, with LibTorch 1.13's
        // oneDNN convolutions (3.6 vs 2.6 steps/s) and with the GEMMs (7.3 vs 6.0).
        const bool taps = m.projectEverySample() && m.options.architecture == CebraOptions::Architecture::Offset40x4;
        torch::Tensor projection;
        if (m.projectEverySample() && !taps)
            projection = m.sparseX ? cebra::sparseProjection(*m.sparseX, *m.sparseXt, m.net->firstWeights()) : m.net->projection(m.x);
        const std::vector<torch::Tensor> tapProjections = taps ? m.net->tapProjections(m.x) : std::vector<torch::Tensor>();
        torch::Tensor ref, posZ, negZ;
        if (m.handWritten()) {
            // offset10 on the CPU: the three batches in one hand-written node (CebraOffset10.cpp), from the
            // projections of every sample, or (long recordings) of the windows' samples, split into four
            // passes (two or three when the windows do not split so), which run side by side on the cores:
            // 11.4-11.9 steps/s against 7.4-8.0 for three passes one after another with each GEMM split by
            // OpenBLAS (the default session, 128 units, alternating runs). A fixed split, not one per core:
            // the gradients' summation order, and so a seed's result, does not depend on the machine.
            torch::Tensor rows = torch::cat({m.windowRows(refs), m.windowRows(pos), m.windowRows(negs)});
            if (!projection.defined()) {
                projection = m.net->projection(m.x.index_select(0, rows));
                rows = torch::arange(rows.numel(), torch::TensorOptions().dtype(torch::kInt64));
            }
            const std::int64_t windows = 3 * std::int64_t(B);
            const int passes = windows % 4 == 0 ? 4 : windows % 2 == 0 ? 2 : 3;
            const torch::Tensor all = cebra::offset10Embed(projection, rows, m.net->offset10Weights(), passes);
            ref = all.narrow(0, 0, B);
            posZ = all.narrow(0, B, B);
            negZ = all.narrow(0, 2 * B, B);
        } else {
            ref = m.embed(refs, projection, tapProjections);
            posZ = m.embed(pos, projection, tapProjections);
            negZ = m.embed(negs, projection, tapProjections);
        }
        torch::Tensor inv = m.net->logInverseTemperature.exp();
        if (m.options.learnableTemperature) inv = torch::clamp_max(inv, 1.0 / m.options.minTemperature);
        else inv = torch::full({1}, 1.0 / m.options.temperature, torch::TensorOptions().device(m.device));
        const torch::Tensor posSim = (ref * posZ).sum(1) * inv;
        const torch::Tensor negSim = torch::matmul(ref, negZ.t()) * inv;
        const torch::Tensor c = std::get<0>(negSim.max(1, true)).detach();
        const torch::Tensor loss = (-(posSim - c.squeeze(1))).mean() + torch::logsumexp(negSim - c, 1).mean();
        m.optimiser->zero_grad();
        loss.backward();
        m.optimiser->step();
        sumLoss += loss.item<double>();
    }
    EpochRecord r;
    r.epoch = epochsDone() + 1;
    r.values["loss"] = sumLoss / std::max(1, steps);
    r.values["temperature"] = temperature();
    if (m.options.validateEvery > 0 && (r.epoch % m.options.validateEvery == 0 || r.epoch == epochsPlanned()) &&
        !m.split.validation.empty() && !m.split.train.empty()) {
        // Validation: kNN on the training repeats, scored on the validation repeats.
        const RowMatrixXf e = m.transformAll();
        r.values["knn_within_1s"] = decodeFramesByKnn(m.recording, e, m.split.train, m.split.validation).within;
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    m.history.push_back(r);
    return r;
}

RowMatrixXf Cebra::transform() const { return d->transformAll(); }

std::int64_t Cebra::parameterCount() const
{
    std::int64_t n = 0;
    for (const auto& p : d->net->named_parameters())
        if (p.key() != "log_inverse_temperature") n += p.value().numel();
    return n;
}

void Cebra::save(const std::string& path) const
{
    const std::vector<std::int64_t> shape{d->units, int(d->options.architecture), d->options.hidden, d->options.output};  // what a checkpoint must match
    checkpoint::save(path, *d->net, *d->optimiser, d->generator, d->history, columns(), "cebra_shape", shape);
}

void Cebra::load(const std::string& path)
{
    const std::vector<std::int64_t> shape{d->units, int(d->options.architecture), d->options.hidden, d->options.output};
    checkpoint::load(path, *d->net, *d->optimiser, d->generator, d->history, columns(), "cebra_shape", shape, "CEBRA");
}

#else  // without LibTorch

struct Cebra::Impl {};

Cebra::Cebra(const Recording&, CebraOptions) { throw UsageError("this build of neurolens has no LibTorch: CEBRA is unavailable"); }
Cebra::~Cebra() = default;
int Cebra::epochsDone() const { return 0; }
int Cebra::epochsPlanned() const { return 0; }
EpochRecord Cebra::trainEpoch(Progress&) { return {}; }
void Cebra::save(const std::string&) const {}
void Cebra::load(const std::string&) {}
const std::vector<EpochRecord>& Cebra::history() const
{
    static const std::vector<EpochRecord> none;
    return none;
}
RowMatrixXf Cebra::transform() const { return {}; }
double Cebra::temperature() const { return 0; }
const CebraOptions& Cebra::options() const
{
    static const CebraOptions none;
    return none;
}
std::vector<int> Cebra::positivesFor(const std::vector<int>&) { return {}; }
std::int64_t Cebra::parameterCount() const { return 0; }

#endif

}  // namespace neurolens
