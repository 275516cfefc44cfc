#pragma once
// The LibTorch half of neurolens — the VAE, CEBRA, the alignment's MLP and torch.save'd tensors —
// lives in a module (libneurolens_torch.so) that is loaded the first time one of them is used:
// programs and commands that never touch a model start without LibTorch's ~300 libraries. Core's
// Cebra, Vae, alignWithMlp and torchfile::read forward to the engines below. Both sides are built
// together from this header (kTorchModuleAbi guards against a stale module).

#include "neurolens/models/Alignment.h"
#include "neurolens/models/Cebra.h"
#include "neurolens/models/Vae.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace neurolens {

// Cebra's and Vae's work, behind their public classes (the same methods, documented there); the
// training interface is TrainableModel's.
struct Cebra::Impl : TrainableModel {
    virtual RowMatrixXf transform() const = 0;
    virtual double temperature() const = 0;
    virtual const CebraOptions& options() const = 0;
    virtual std::int64_t parameterCount() const = 0;
    virtual const RepeatSplit& split() const = 0;
    virtual int keptStep() const = 0;
    virtual std::vector<int> positivesFor(const std::vector<int>& references) = 0;
    virtual Cebra::Batch sampleBatch() = 0;
};

struct Vae::Impl : TrainableModel {
    virtual RowMatrixXf latents() const = 0;
    virtual double reconstructionR2(const std::vector<int>& samples) const = 0;
    virtual std::vector<int> decodedFrames(const std::vector<int>& samples) const = 0;
    virtual const VaeOptions& options() const = 0;
};

constexpr int kTorchModuleAbi = 1;

struct TorchModule {
    int abi = kTorchModuleAbi;
    std::unique_ptr<Cebra::Impl> (*makeCebra)(const Recording& analysed, CebraOptions options);
    std::unique_ptr<Vae::Impl> (*makeVae)(VaeData data, VaeOptions options);
    double (*vaeKlDivergence)(const RowMatrixXf& mu, const RowMatrixXf& logvar);
    AlignmentResult (*alignWithMlp)(const RowMatrixXf& xTrain, const RowMatrixXf& yTrain,
                                    const RowMatrixXf& xVal, const RowMatrixXf& yVal,
                                    const RowMatrixXf& xTest, const RowMatrixXf& yTest,
                                    const AlignmentOptions& options, Progress& progress);
    // A torch.save'd tensor's values (row-major float) and shape; throws std::runtime_error.
    std::vector<float> (*readTensor)(const std::vector<char>& bytes,
                                     std::vector<std::int64_t>& shape);
    void (*setThreads)(int threads);
};

// The module, loaded on the first call; nullptr when this build or machine has none (`why` says
// what was tried). Thread-safe.
const TorchModule* torchModule(std::string* why = nullptr);
// The module, or a UsageError saying `what` is unavailable and why.
const TorchModule& requireTorchModule(const std::string& what);
// Whether the module is loaded already (without loading it).
bool torchModuleLoaded();

}  // namespace neurolens

// The module's one entry point (C linkage: found by dlsym).
extern "C" const neurolens::TorchModule* neurolens_torch_module();
