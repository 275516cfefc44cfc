#include "TorchEngines.h"

#include "neurolens/data/Error.h"
#include "neurolens/models/Vae.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <numeric>
#include <thread>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "TorchCheckpoint.h"
#include "models/TorchModule.h"

namespace neurolens {

namespace {

// History columns in checkpoints, in this order.
const std::vector<std::string>& columns()
{
    static const std::vector<std::string> c{"seconds", "loss",           "reconstruction",
                                            "kl",      "guidance",       "train_r2",
                                            "val_r2",  "guidance_train", "guidance_val"};
    return c;
}

struct Net : torch::nn::Module {
    Net(int inputs, const VaeOptions& o, int guidanceOutputs)
    {
        int prev = inputs;
        for (std::size_t i = 0; i < o.encoder.size(); ++i) {
            encoder.push_back(
                register_module("enc" + std::to_string(i), torch::nn::Linear(prev, o.encoder[i])));
            prev = o.encoder[i];
        }
        mu = register_module("mu", torch::nn::Linear(prev, o.latent));
        logvar = register_module("logvar", torch::nn::Linear(prev, o.latent));
        prev = o.latent;
        for (std::size_t i = 0; i < o.decoder.size(); ++i) {
            decoder.push_back(
                register_module("dec" + std::to_string(i), torch::nn::Linear(prev, o.decoder[i])));
            prev = o.decoder[i];
        }
        out = register_module("out", torch::nn::Linear(prev, inputs));
        if (guidanceOutputs > 0)
            head = register_module("head", torch::nn::Linear(o.latent, guidanceOutputs));
    }

    std::pair<torch::Tensor, torch::Tensor> encode(torch::Tensor x)
    {
        for (auto& l : encoder) x = torch::leaky_relu(l->forward(x));
        return {mu->forward(x), logvar->forward(x)};
    }

    torch::Tensor decode(torch::Tensor z)
    {
        for (auto& l : decoder) z = torch::leaky_relu(l->forward(z));
        return out->forward(z);
    }

    std::vector<torch::nn::Linear> encoder, decoder;
    torch::nn::Linear mu{nullptr}, logvar{nullptr}, out{nullptr}, head{nullptr};
};

torch::Tensor toTensor(const RowMatrixXf& m)
{
    return torch::from_blob(const_cast<float*>(m.data()), {m.rows(), m.cols()}, torch::kFloat32)
        .clone();
}

torch::Tensor indexTensor(const std::vector<int>& v)
{
    std::vector<std::int64_t> w(v.begin(), v.end());
    return torch::from_blob(w.data(), {std::int64_t(w.size())}, torch::kInt64).clone();
}

// scikit-learn's r2_score, uniform average over columns (a constant column scores 1 if predicted
// exactly, 0 otherwise).
double r2Uniform(const torch::Tensor& truth, const torch::Tensor& pred)
{
    const torch::Tensor& t = truth;
    const torch::Tensor& p = pred;
    // Sums in float over at most a few thousand samples: ample for an R² to 1e-5.
    const torch::Tensor ssRes = (t - p).pow(2).sum(0).to(torch::kFloat64);
    const torch::Tensor ssTot = (t - t.mean(0)).pow(2).sum(0).to(torch::kFloat64);
    const auto res = ssRes.accessor<double, 1>();
    const auto tot = ssTot.accessor<double, 1>();
    double sum = 0;
    const double flat = 1e-10 * double(t.size(0));  // a constant column (to float rounding)
    for (std::int64_t c = 0; c < res.size(0); ++c)
        sum += tot[c] > flat ? 1 - res[c] / tot[c] : (res[c] <= flat ? 1 : 0);
    return res.size(0) ? sum / double(res.size(0)) : 0;
}

}  // namespace

// The same expression the training loss uses.
static torch::Tensor klTerm(const torch::Tensor& mu, const torch::Tensor& logvar)
{
    return -0.5 * torch::mean(torch::sum(1 + logvar - mu.pow(2) - logvar.exp(), 1));
}

double torchVaeKlDivergence(const RowMatrixXf& mu, const RowMatrixXf& logvar)
{
    return klTerm(toTensor(mu), toTensor(logvar)).item<double>();
}

struct VaeState {
    VaeData data;
    VaeOptions options;
    torch::Device device{torch::kCPU};
    at::Generator generator;
    std::shared_ptr<Net> net;
    std::unique_ptr<torch::optim::Adam> optimiser;
    torch::Tensor x, frames, targets, trainIdx;
    std::vector<EpochRecord> history;

    int guidanceOutputs() const
    {
        switch (options.guidance) {
            case VaeOptions::Guidance::Frame:
                return data.classes;
            case VaeOptions::Guidance::Features:
                return int(data.targets.cols());
            default:
                return 0;
        }
    }

    // PyTorch's default Linear initialisation (uniform in +-1/sqrt(fan_in)), drawn from our
    // generator.
    void initialise()
    {
        torch::NoGradGuard guard;
        for (auto& p : net->named_parameters()) {
            torch::Tensor& t = p.value();
            const std::int64_t fanIn = t.dim() == 2 ? t.size(1) : 0;
            std::int64_t in = fanIn;
            if (t.dim() == 1) {  // a bias: its layer's weight has the fan-in
                const std::string weight = p.key().substr(0, p.key().size() - 4) + "weight";
                in = net->named_parameters()[weight].size(1);
            }
            const double bound = 1.0 / std::sqrt(double(std::max<std::int64_t>(1, in)));
            t.copy_(
                torch::rand(t.sizes(), generator, torch::TensorOptions().dtype(torch::kFloat32)) *
                    (2 * bound) -
                bound);
        }
    }

    struct Forward {
        torch::Tensor recon, mu, logvar, guidance;
    };

    Forward forward(const torch::Tensor& batch, bool sample)
    {
        auto [m, lv] = net->encode(batch);
        torch::Tensor z = m;
        if (sample) {
            const torch::Tensor eps =
                torch::randn(m.sizes(), generator, torch::TensorOptions().dtype(torch::kFloat32))
                    .to(device);
            z = m + eps * torch::exp(0.5 * lv);
        }
        Forward f{net->decode(z), m, lv, {}};
        if (net->head) f.guidance = net->head->forward(m);
        return f;
    }

    // Evaluation on a sample set with the latent means: reconstruction R², and the guidance score.
    std::pair<double, double> evaluate(const std::vector<int>& samples)
    {
        if (samples.empty()) return {std::nan(""), std::nan("")};
        torch::NoGradGuard guard;
        net->eval();
        const torch::Tensor idx = indexTensor(samples).to(device);
        const torch::Tensor xb = x.index_select(0, idx);
        const Forward f = forward(xb, false);
        const double r2 = r2Uniform(xb.cpu(), f.recon.cpu());
        double g = std::nan("");
        if (options.guidance == VaeOptions::Guidance::Frame)
            g = f.guidance.argmax(1)
                    .eq(frames.index_select(0, idx))
                    .to(torch::kFloat64)
                    .mean()
                    .item<double>();
        else if (options.guidance == VaeOptions::Guidance::Features)
            g = r2Uniform(targets.index_select(0, idx).cpu(), f.guidance.cpu());
        net->train();
        return {r2, g};
    }
};

// Vae's engine: the public class forwards here (models/TorchModule.h).
class TorchVae final : public Vae::Impl {
public:
    TorchVae(VaeData data, VaeOptions options);
    ~TorchVae() override;
    int epochsDone() const override;
    int epochsPlanned() const override;
    EpochRecord trainEpoch(Progress& progress) override;
    void save(const std::string& path) const override;
    void load(const std::string& path) override;
    const std::vector<EpochRecord>& history() const override;
    RowMatrixXf latents() const override;
    double reconstructionR2(const std::vector<int>& samples) const override;
    std::vector<int> decodedFrames(const std::vector<int>& samples) const override;
    const VaeOptions& options() const override;

private:
    std::unique_ptr<VaeState> d;
};

TorchVae::TorchVae(VaeData data, VaeOptions options) : d(std::make_unique<VaeState>())
{
    if (options.latent < 1 || options.epochs < 1 || options.batchSize < 1 ||
        !(options.learningRate > 0) || options.beta < 0)
        throw UsageError(
            "VAE: latent, epochs and batch size must be positive, the learning rate positive, beta "
            ">= 0");
    if (data.train.empty()) throw UsageError("VAE: no training samples");
    if (options.guidance == VaeOptions::Guidance::Features && data.targets.rows() != data.x.rows())
        throw UsageError("VAE: feature guidance without per-sample targets");
    if (options.device != "cpu") {
        if (options.device.rfind("cuda", 0) == 0 && !torch::cuda::is_available())
            throw UsageError("device '" + options.device +
                             "': this LibTorch has no CUDA (or no GPU is visible)");
        d->device = torch::Device(options.device);
    }
    d->data = std::move(data);
    d->options = std::move(options);
    d->generator = at::make_generator<at::CPUGeneratorImpl>(d->options.seed);
    d->net = std::make_shared<Net>(int(d->data.x.cols()), d->options, d->guidanceOutputs());
    d->initialise();
    d->net->to(d->device);
    d->optimiser = std::make_unique<torch::optim::Adam>(
        d->net->parameters(), torch::optim::AdamOptions(d->options.learningRate));
    d->x = toTensor(d->data.x).to(d->device);
    d->frames = indexTensor(d->data.frameClass).to(d->device);
    if (d->data.targets.size()) d->targets = toTensor(d->data.targets).to(d->device);
    d->trainIdx = indexTensor(d->data.train);
}

TorchVae::~TorchVae() = default;

int TorchVae::epochsDone() const
{
    return int(d->history.size());
}
int TorchVae::epochsPlanned() const
{
    return d->options.epochs;
}
const std::vector<EpochRecord>& TorchVae::history() const
{
    return d->history;
}
const VaeOptions& TorchVae::options() const
{
    return d->options;
}

EpochRecord TorchVae::trainEpoch(Progress& progress)
{
    const auto start = std::chrono::steady_clock::now();
    VaeState& m = *d;
    m.net->train();
    const std::int64_t n = m.trainIdx.size(0);
    const torch::Tensor order = m.trainIdx.index_select(
        0, torch::randperm(n, m.generator, torch::TensorOptions().dtype(torch::kInt64)));
    const std::int64_t batches = (n + m.options.batchSize - 1) / m.options.batchSize;
    // Per-batch losses accumulate as tensors (no synchronising item() per batch); read once per
    // epoch.
    torch::Tensor sums =
        torch::zeros({4}, torch::TensorOptions().dtype(torch::kFloat64).device(m.device));
    const std::string message = "VAE epoch " + std::to_string(epochsDone() + 1);
    for (std::int64_t b = 0; b < batches; ++b) {
        progress.report(double(b), double(batches), message);
        const torch::Tensor idx =
            order.slice(0, b * m.options.batchSize, std::min(n, (b + 1) * m.options.batchSize))
                .to(m.device);
        const torch::Tensor xb = m.x.index_select(0, idx);
        const VaeState::Forward f = m.forward(xb, true);
        // Per sample: squared error summed over units (the Gaussian log-likelihood up to constants)
        // and KL summed over latent dimensions; both averaged over the batch.
        const torch::Tensor recon = torch::mean(torch::sum((f.recon - xb).pow(2), 1));
        const torch::Tensor kl = klTerm(f.mu, f.logvar);
        torch::Tensor loss = recon + m.options.beta * kl;
        torch::Tensor guide;
        if (m.options.guidance == VaeOptions::Guidance::Frame)
            guide = torch::nn::functional::cross_entropy(f.guidance, m.frames.index_select(0, idx));
        else if (m.options.guidance == VaeOptions::Guidance::Features)
            guide = torch::mse_loss(f.guidance, m.targets.index_select(0, idx));
        if (guide.defined()) loss = loss + m.options.guidanceWeight * guide;
        m.optimiser->zero_grad();
        loss.backward();
        m.optimiser->step();
        {
            torch::NoGradGuard guard;
            sums[0] += loss.detach().to(torch::kFloat64);
            sums[1] += recon.detach().to(torch::kFloat64) /
                       double(xb.size(1));  // per unit: a mean squared error
            sums[2] += kl.detach().to(torch::kFloat64);
            if (guide.defined()) sums[3] += guide.detach().to(torch::kFloat64);
        }
    }
    EpochRecord r;
    r.epoch = epochsDone() + 1;
    const torch::Tensor means = (sums / double(batches)).cpu();
    const double* mv = means.data_ptr<double>();
    r.values["loss"] = mv[0];
    r.values["reconstruction"] = mv[1];
    r.values["kl"] = mv[2];
    const auto [trainR2, trainGuide] = m.evaluate(m.data.train);
    const auto [valR2, valGuide] = m.evaluate(m.data.validation);
    r.values["train_r2"] = trainR2;
    r.values["val_r2"] = valR2;
    if (m.options.guidance != VaeOptions::Guidance::None) {
        r.values["guidance"] = mv[3];
        r.values["guidance_train"] = trainGuide;
        r.values["guidance_val"] = valGuide;
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    m.history.push_back(r);
    return r;
}

RowMatrixXf TorchVae::latents() const
{
    torch::NoGradGuard guard;
    d->net->eval();
    const torch::Tensor mu = d->net->encode(d->x).first.to(torch::kCPU).contiguous();
    d->net->train();
    RowMatrixXf out(mu.size(0), mu.size(1));
    std::copy(mu.data_ptr<float>(), mu.data_ptr<float>() + mu.numel(), out.data());
    return out;
}

double TorchVae::reconstructionR2(const std::vector<int>& samples) const
{
    return d->evaluate(samples).first;
}

std::vector<int> TorchVae::decodedFrames(const std::vector<int>& samples) const
{
    if (d->options.guidance != VaeOptions::Guidance::Frame || samples.empty()) return {};
    torch::NoGradGuard guard;
    d->net->eval();
    const torch::Tensor idx = indexTensor(samples).to(d->device);
    const torch::Tensor best = d->forward(d->x.index_select(0, idx), false)
                                   .guidance.argmax(1)
                                   .to(torch::kCPU)
                                   .contiguous();
    d->net->train();
    const std::int64_t* p = best.data_ptr<std::int64_t>();
    return std::vector<int>(p, p + best.numel());
}

void TorchVae::save(const std::string& path) const
{
    const std::vector<std::int64_t> shape{d->data.x.cols(), d->options.latent,
                                          int(d->options.guidance),
                                          d->guidanceOutputs()};  // what a checkpoint must match
    checkpoint::save(path, *d->net, *d->optimiser, d->generator, d->history, columns(), "shape",
                     shape);
}

void TorchVae::load(const std::string& path)
{
    const std::vector<std::int64_t> shape{d->data.x.cols(), d->options.latent,
                                          int(d->options.guidance), d->guidanceOutputs()};
    checkpoint::load(path, *d->net, *d->optimiser, d->generator, d->history, columns(), "shape",
                     shape, "VAE", d->device);
}

void setTorchThreads(int threads)
{
    torch::set_num_threads(threads > 0 ? threads
                                       : int(std::max(1u, std::thread::hardware_concurrency())));
}

std::unique_ptr<Vae::Impl> makeTorchVae(VaeData data, VaeOptions options)
{
    return std::make_unique<TorchVae>(std::move(data), std::move(options));
}

}  // namespace neurolens
