#pragma once
// The seed report's VAE in LibTorch: an MLP encoder (3 hidden layers, LeakyReLU) to a Gaussian
// latent (mean and log-variance, 128 dims), an MLP decoder (2 hidden layers) back to the responses;
// loss = squared reconstruction error + beta KL(q(z|x) || N(0, I)) (beta 0.05; per sample, summed
// over units and latent dimensions respectively, averaged over the batch), plus an optional
// guidance head on the latent mean: a 900-way frame classifier (cross-entropy) or a regression onto
// the first 32 PCs of per-frame image features (MSE), each with a weight. Inputs are standardised
// on the training repeats; splits by repeat (train 7, validation 2, test 1 by default). Adam;
// mini-batches shuffled by the model's own generator; weights initialised from it too, so a seed
// fixes the whole run, and a checkpoint (weights, optimiser state, generator state, history)
// continues it bit for bit. Without LibTorch (NEUROLENS_WITH_TORCH=OFF) constructing a Vae throws
// UsageError.

#include "neurolens/data/Recording.h"
#include "neurolens/models/Trainer.h"
#include "neurolens/preprocess/RepeatSplit.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace neurolens {

struct VaeOptions {
    std::vector<int> encoder{512, 256, 256};  // hidden layer widths
    std::vector<int> decoder{256, 512};
    int latent = 128;
    double beta = 0.05;
    int epochs = 200;
    int batchSize = 128;
    double learningRate = 1e-3;
    enum class Guidance { None, Frame, Features };
    Guidance guidance = Guidance::None;
    double guidanceWeight = 1.0;
    std::string features;        // Features guidance: the name in recording.features
    int featureComponents = 32;  // PCs of the per-frame features used as targets
    std::uint64_t seed = 1;
    std::string device = "cpu";  // "cpu", or "cuda" when the LibTorch in use has it
};

// The VAE's view of a recording: standardised responses of every sample, its frame class, the
// guidance targets, and which samples are training, validation and test.
struct VaeData {
    RowMatrixXf x;                // samples x units, standardised with the training samples
    std::vector<int> frameClass;  // per sample, 0..classes-1
    int classes = 0;
    RowMatrixXf targets;  // per sample guidance targets (Features guidance), else empty
    std::vector<int> train, validation, test;  // sample indices
    Standardiser standardiser;
};

// KL(N(mu, exp(logvar)) || N(0, I)) summed over dimensions, averaged over rows: the VAE's KL term.
double vaeKlDivergence(const RowMatrixXf& mu, const RowMatrixXf& logvar);

// Builds VaeData from the analysed (preprocessed) recording. Throws UsageError (too few repeats,
// unknown features, ...).
VaeData prepareVaeData(const Recording& analysed, const VaeOptions& options,
                       const RepeatSplit& split);

class Vae : public TrainableModel {
public:
    Vae(VaeData data, VaeOptions options);
    ~Vae() override;

    int epochsDone() const override;
    int epochsPlanned() const override;
    EpochRecord trainEpoch(Progress& progress) override;
    void save(const std::string& path) const override;
    void load(const std::string& path) override;
    const std::vector<EpochRecord>& history() const override;

    // The latent means of every sample (samples x latent).
    RowMatrixXf latents() const;
    // Reconstruction R² (uniform average over units, as scikit-learn) on a set of samples.
    double reconstructionR2(const std::vector<int>& samples) const;
    // The frame head's decoded frame for each sample (Frame guidance; empty otherwise).
    std::vector<int> decodedFrames(const std::vector<int>& samples) const;
    const VaeOptions& options() const;

    // The LibTorch engine behind this class, loaded on first use (core/src/models/TorchModule.h).
    struct Impl;

private:
    std::unique_ptr<Impl> d;
};

}  // namespace neurolens
