#include "neurolens/models/Vae.h"

#include "TorchModule.h"
#include "neurolens/data/Error.h"
#include "neurolens/embed/Pca.h"
#include "neurolens/features/GaborFeatures.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace neurolens {

VaeData prepareVaeData(const Recording& rec, const VaeOptions& o, const RepeatSplit& split)
{
    const Responses& r = rec.responses;
    if (split.train.empty() || split.validation.empty())
        throw UsageError("the VAE needs training and validation repeats (this recording has " +
                         std::to_string(r.repeats()) + ")");
    VaeData data;
    const int B = r.bins();
    auto samplesOf = [&](const std::vector<int>& repeats) {
        std::vector<int> out;
        for (int rep : repeats)
            for (int b = 0; b < B; ++b) out.push_back(rep * B + b);
        return out;
    };
    data.train = samplesOf(split.train);
    data.validation = samplesOf(split.validation);
    data.test = samplesOf(split.test);
    data.standardiser = Standardiser::fit(gatherRepeats(r, split.train));
    data.x = data.standardiser.apply(r.sampleMatrix());
    data.classes = rec.frames();
    data.frameClass.resize(std::size_t(r.samples()));
    for (Eigen::Index s = 0; s < r.samples(); ++s)
        data.frameClass[std::size_t(s)] = rec.stimulus.frame[std::size_t(s % B)];
    if (o.guidance == VaeOptions::Guidance::Features) {
        auto it = rec.features.find(o.features);
        FrameFeatures builtin;
        if (it == rec.features.end() && o.features == kGaborFeatures && rec.movie) {
            // The built-in features, computed from the movie when the recording does not hold them.
            builtin = gaborEnergyFeatures(*rec.movie);
        } else if (it == rec.features.end()) {
            std::string known;
            for (const auto& [name, f] : rec.features) known += (known.empty() ? "" : ", ") + name;
            throw UsageError("no image features '" + o.features + "' in this recording" +
                             (known.empty() ? std::string(" (it has none)") : "; it has " + known) +
                             (rec.movie
                                  ? std::string("; 'gabor' computes built-in ones from its movie")
                                  : std::string()));
        }
        const Eigen::MatrixXf& F = it != rec.features.end() ? it->second.values : builtin.values;
        if (F.rows() < data.classes)
            throw UsageError("features '" + o.features + "' have " + std::to_string(F.rows()) +
                             " frames; the movie has " + std::to_string(data.classes));
        // The first PCs of the per-frame features (the report: 32 holding ~90 %), standardised.
        const RowMatrixXf frames = F.topRows(data.classes);
        const int k =
            std::min<int>(o.featureComponents, int(std::min(frames.rows() - 1, frames.cols())));
        const PcaResult pca = fitPca(frames, k);
        RowMatrixXf perFrame = pca.transform(frames, k);
        const Standardiser s = Standardiser::fit(perFrame);
        perFrame = s.apply(perFrame);
        data.targets.resize(r.samples(), k);
        for (Eigen::Index sIdx = 0; sIdx < r.samples(); ++sIdx)
            data.targets.row(sIdx) = perFrame.row(data.frameClass[std::size_t(sIdx)]);
    }
    return data;
}

double vaeKlDivergence(const RowMatrixXf& mu, const RowMatrixXf& logvar)
{
    return requireTorchModule("the VAE").vaeKlDivergence(mu, logvar);
}

Vae::Vae(VaeData data, VaeOptions options)
    : d(requireTorchModule("the VAE").makeVae(std::move(data), std::move(options)))
{
}
Vae::~Vae() = default;
int Vae::epochsDone() const
{
    return d->epochsDone();
}
int Vae::epochsPlanned() const
{
    return d->epochsPlanned();
}
EpochRecord Vae::trainEpoch(Progress& progress)
{
    return d->trainEpoch(progress);
}
void Vae::save(const std::string& path) const
{
    d->save(path);
}
void Vae::load(const std::string& path)
{
    d->load(path);
}
const std::vector<EpochRecord>& Vae::history() const
{
    return d->history();
}
RowMatrixXf Vae::latents() const
{
    return d->latents();
}
double Vae::reconstructionR2(const std::vector<int>& samples) const
{
    return d->reconstructionR2(samples);
}
std::vector<int> Vae::decodedFrames(const std::vector<int>& samples) const
{
    return d->decodedFrames(samples);
}
const VaeOptions& Vae::options() const
{
    return d->options();
}

void setModelThreads(int threads)
{
    // Only where LibTorch is in use already: setting its threads is no reason to load it.
    if (torchModuleLoaded()) torchModule()->setThreads(threads);
}

}  // namespace neurolens
