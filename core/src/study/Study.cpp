#include "neurolens/study/Study.h"

#include "neurolens/data/Error.h"
#include "neurolens/embed/Pca.h"
#include "neurolens/embed/Tsne.h"
#include "neurolens/features/GaborFeatures.h"
#include "neurolens/models/Vae.h"
#include "neurolens/preprocess/RepeatSplit.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

namespace neurolens {
namespace {

// Progress shares of the steps (full runs; quick runs keep the proportions roughly).
struct Step {
    double begin, end;
};
constexpr Step kPreprocess{0.00, 0.02}, kPca{0.02, 0.04}, kTsne{0.04, 0.10}, kLasso{0.10, 0.14},
    kLogistic{0.14, 0.30}, kGrid{0.30, 0.40}, kVae{0.40, 0.50}, kCebra{0.50, 0.72},
    kSignificance{0.72, 0.96}, kAlign{0.96, 1.0};

DecodeOptions decodeOptions(const StudyOptions& o, const RepeatSplit& split)
{
    DecodeOptions d;
    d.shuffles = o.shuffles;
    d.seed = o.seed;
    d.trainRepeats = split.fitRepeats();  // no choice made on validation: they fit on it too
    d.testRepeats = split.test;
    return d;
}

}  // namespace

StudyResults runStudy(const Recording& recording, const StudyOptions& options, Progress& progress)
{
    const auto start = std::chrono::steady_clock::now();
    StudyResults s;
    s.options = options;
    s.source = recording.source;
    s.unitsBefore = recording.units.size();
    const bool quick = options.quick;

    SubProgress preProgress(progress, kPreprocess.begin, kPreprocess.end);
    s.analysed = preprocess(recording, options.preprocess, preProgress).recording;
    Recording& rec = s.analysed;
    const Responses& r = rec.responses;
    if (r.repeats() < 3)
        throw UsageError("the study needs at least 3 repeats (training, validation and test); " +
                         recording.source + " has " + std::to_string(r.repeats()));
    const RowMatrixXf samples = r.sampleMatrix();
    s.split = RepeatSplit::standard(r.repeats());
    const RepeatSplit& split = s.split;

    // Responses averaged over repeats, and PCA of every sample (the report's figures 1-3).
    SubProgress pcaProgress(progress, kPca.begin, kPca.end);
    s.meanResponse = RowMatrixXf::Zero(r.bins(), r.units());
    for (int rep = 0; rep < r.repeats(); ++rep)
        s.meanResponse += samples.middleRows(Eigen::Index(rep) * r.bins(), r.bins());
    s.meanResponse /= float(r.repeats());
    // One PCA of every sample: its spectrum, the 3D projection and the t-SNE's 50-PC input.
    const int tsnePcs = int(std::min<Eigen::Index>(50, samples.cols()));
    const PcaResult pca = fitPca(samples, tsnePcs, pcaProgress);
    s.explainedVarianceRatio = pca.explainedVarianceRatio;
    s.components90 = pca.componentsFor(0.9);
    s.components95 = pca.componentsFor(0.95);
    s.pca3 = pca.transform(samples, std::min<int>(3, int(pca.components.cols())));
    s.unitOrder.resize(std::size_t(r.units()));
    std::iota(s.unitOrder.begin(), s.unitOrder.end(), 0);
    std::stable_sort(s.unitOrder.begin(), s.unitOrder.end(),
                     [&](int a, int b) { return pca.components(a, 0) > pca.components(b, 0); });

    // t-SNE in 2D (figure 4), from the first 50 PCs.
    SubProgress tsneProgress(progress, kTsne.begin, kTsne.end);
    {
        TsneOptions t;
        t.dims = 2;
        t.seed = options.seed;
        t.iterations = quick ? 500 : 1000;
        t.exaggerationIterations = quick ? 125 : 250;
        t.reportEvery = 0;
        const RowMatrixXf input =
            pca.transform(samples, std::min<int>(tsnePcs, int(pca.components.cols())));
        const TsneResult result = runTsne(input, t, tsneProgress);
        s.tsne = result.layout;
        s.tsneKl = result.klDivergence;
    }

    // Lasso on the raw responses and on 3 PCs (figures 5 and 8).
    {
        SubProgress lassoProgress(progress, kLasso.begin, kLasso.end);
        DecodeOptions d = decodeOptions(options, split);
        d.decoder = "lasso";
        d.parameters.numbers["alpha"] = 0.08;
        SubProgress a(lassoProgress, 0, 0.8), b(lassoProgress, 0.8, 1);
        s.decodings.push_back(
            {"lasso_raw", "Lasso, raw responses (alpha 0.08)", decodeFrames(rec, d, a)});
        d.features = "pca:3";
        s.decodings.push_back(
            {"lasso_pca3", "Lasso, 3 principal components (alpha 0.08)", decodeFrames(rec, d, b)});
    }

    // Multinomial logistic regression: the C sweep (figure 6) and the decoding at C = 0.4 (figure
    // 7).
    const int logisticIterations = quick ? 15 : 100;
    {
        SubProgress logisticProgress(progress, kLogistic.begin, kLogistic.end);
        DecodeOptions d = decodeOptions(options, split);
        d.decoder = "logistic";
        d.parameters.numbers["max-iter"] = logisticIterations;
        d.shuffles = 0;  // the controls come with the decoding below
        const std::vector<double> cs = quick ? std::vector<double>{0.01, 0.4, 10}
                                             : std::vector<double>{1e-3, 1e-2, 0.1, 0.4, 1, 10};
        SubProgress sweepProgress(logisticProgress, 0, 0.75),
            fitProgress(logisticProgress, 0.75, 1);
        s.sweeps.push_back({"logistic_c", "Logistic regression, raw responses: the regularisation",
                            "C", sweep(rec, d, "C", cs, sweepProgress)});
        d.parameters.numbers["C"] = 0.4;
        d.shuffles = options.shuffles;
        s.decodings.push_back({"logistic_raw", "Logistic regression, raw responses (C 0.4)",
                               decodeFrames(rec, d, fitProgress)});
    }

    // The grid over principal components (figure 9), then the PCs holding 90 % (figures 10 and 11).
    {
        SubProgress gridProgress(progress, kGrid.begin, kGrid.end);
        DecodeOptions d = decodeOptions(options, split);
        d.decoder = "logistic";
        d.parameters.numbers["max-iter"] = logisticIterations;
        d.parameters.numbers["C"] = 0.4;
        d.shuffles = 0;
        std::vector<double> pcs =
            quick ? std::vector<double>{3, 30, double(s.components90)}
                  : std::vector<double>{
                        3, 10, 30, 100, 300, double(s.components90), double(r.units())};
        for (double& p : pcs) p = std::min<double>(p, double(r.units()));
        std::sort(pcs.begin(), pcs.end());
        pcs.erase(std::unique(pcs.begin(), pcs.end()), pcs.end());
        SubProgress sweepProgress(gridProgress, 0, 0.7), fitProgress(gridProgress, 0.7, 1);
        s.sweeps.push_back({"logistic_pcs",
                            "Logistic regression: the number of principal components (C 0.4)",
                            "components", sweep(rec, d, kSweepComponents, pcs, sweepProgress)});
        d.features = "pca:" + std::to_string(s.components90);
        d.shuffles = options.shuffles;
        s.decodings.push_back({"logistic_pca90",
                               "Logistic regression, " + std::to_string(s.components90) +
                                   " PCs (90 % of the variance, C 0.4)",
                               decodeFrames(rec, d, fitProgress)});
    }

    // Each behaviour of the recording (running speed, pupil area) decoded from the responses by
    // ridge regression (alpha chosen on the last fitted repeat), with its chance and shuffle
    // control.
    for (const auto& [name, values] : rec.behaviour) {
        BehaviourDecodeOptions b;
        b.behaviour = name;
        b.model = "ridge";
        b.trainRepeats = split.fitRepeats();
        b.testRepeats = split.test;
        b.shuffles = options.shuffles;
        b.seed = options.seed;
        try {
            s.behaviour.push_back({name, decodeBehaviour(rec, samples, b), std::nullopt});
        } catch (const UsageError& e) {  // e.g. known in too few training samples
            s.behaviourNotes.push_back(name + ": " + e.what());
        }
    }

    // The three VAEs (figures 12-17), CEBRA (the paper's figure 5) and the alignment question.
    attachBuiltinFeatures(
        rec, kGaborFeatures);  // from the movie, when there is one and no such features yet
    const bool haveFeatures = rec.features.count(kGaborFeatures) > 0;
    try {
        SubProgress vaeProgress(progress, kVae.begin, kVae.end);
        const std::vector<std::pair<std::string, VaeOptions::Guidance>> kinds{
            {"none", VaeOptions::Guidance::None},
            {"features", VaeOptions::Guidance::Features},
            {"frame", VaeOptions::Guidance::Frame}};
        for (std::size_t k = 0; k < kinds.size(); ++k) {
            if (kinds[k].second == VaeOptions::Guidance::Features && !haveFeatures) continue;
            VaeOptions o;
            o.guidance = kinds[k].second;
            o.features = kGaborFeatures;
            o.epochs = quick ? 4 : 40;
            o.seed = options.seed;
            VaeData data = prepareVaeData(rec, o, split);
            const std::vector<int> test = data.test;
            Vae vae(std::move(data), o);
            TrainerOptions t;
            t.threads = options.threads;
            SubProgress one(vaeProgress, double(k) / 3, double(k + 1) / 3);
            Trainer(vae, t).run(one);
            s.vaes.push_back({kinds[k].first, vae.history(), vae.reconstructionR2(test)});
        }
        s.modelsAvailable = true;
    } catch (const UsageError& e) {
        if (std::string(e.what()).find("LibTorch") == std::string::npos) throw;
        s.modelsNote = e.what();
    }
    if (s.modelsAvailable) {
        SubProgress cebraProgress(progress, kCebra.begin, kCebra.end);
        const bool fine = r.binsPerFrame() >= 4;  // 120 Hz: the paper's Neuropixels models
        CebraOptions o;
        o.architecture =
            fine ? CebraOptions::Architecture::Offset40x4 : CebraOptions::Architecture::Offset10;
        o.conditional =
            haveFeatures ? CebraOptions::Conditional::Features : CebraOptions::Conditional::Frame;
        o.features = kGaborFeatures;
        o.output = 32;
        o.hidden = quick ? 32 : 64;
        o.timeOffset = 10;
        o.iterations = quick ? 200 : 3000;
        o.batchSize = quick ? 256 : 512;
        o.validateEvery = quick ? 0 : 5;
        o.seed = options.seed;
        o.split = split;
        Cebra cebra(rec, o);
        TrainerOptions t;
        t.threads = options.threads;
        SubProgress trainProgress(cebraProgress, 0, 0.3), decodeProgress(cebraProgress, 0.3, 0.4),
            oneFrameProgress(cebraProgress, 0.4, 0.5), controlProgress(cebraProgress, 0.5, 1);
        Trainer(cebra, t).run(trainProgress);
        s.cebra = cebra.transform();
        s.cebraHistory = cebra.history();
        s.cebraDims = o.output;
        s.cebraModel = cebraArchitectureName(o.architecture);
        s.cebraKeptStep = cebra.keptStep();
        s.cebraKnn = decodeFramesByKnn(rec, s.cebra, split, 30, options.shuffles, options.seed);
        decodeProgress.report(0.2, 1, "kNN decoding of the raw responses");
        s.rawKnn = decodeFramesByKnn(rec, samples, split, 30, options.shuffles, options.seed);
        const PcaResult trainPca = fitPca(gatherRepeats(r, split.train), o.output);
        const RowMatrixXf pcaEmbedding =
            trainPca.transform(samples, std::min<int>(o.output, int(trainPca.components.cols())));
        decodeProgress.report(0.4, 1, "kNN decoding of PCA");
        s.pcaKnn = decodeFramesByKnn(rec, pcaEmbedding, split, 30, options.shuffles, options.seed);
        // Whether the movie-labelled embedding carries the behaviour too (kNN, as CEBRA decodes).
        for (StudyBehaviour& b : s.behaviour) {
            BehaviourDecodeOptions k = b.raw.options;
            k.model = "knn";
            k.parameters = {};
            try {
                b.cebra = decodeBehaviour(rec, s.cebra, k);
            } catch (const UsageError& e) {
                s.behaviourNotes.push_back(b.name + " from CEBRA: " + e.what());
            }
        }
        decodeProgress.report(0.6, 1, "population baselines");
        s.baselines = populationBaselines(rec, split, options.seed);

        // The paper's 1-frame model, the same way.
        CebraOptions single = o;
        single.architecture =
            fine ? CebraOptions::Architecture::Resample1 : CebraOptions::Architecture::Offset1;
        Cebra oneFrame(rec, single);
        Trainer(oneFrame, t).run(oneFrameProgress);
        s.cebraOneFrameModel = cebraArchitectureName(single.architecture);
        s.cebraOneFrameKnn =
            decodeFramesByKnn(rec, oneFrame.transform(), split, 30, 0, options.seed);

        // The controls on the encoder: shuffled labels and time only.
        CebraControlOptions control;
        control.shuffles = options.shuffles;
        control.seed = options.seed;
        control.threads = options.threads;
        s.cebraControls =
            trainCebraControls(rec, cebra.options(), s.cebraKnn.within, control, controlProgress);

        // Accuracy against the number of neurons (shorter trainings, one draw each in a quick run).
        SubProgress significanceProgress(progress, kSignificance.begin, kSignificance.end);
        SignificanceOptions g = SignificanceOptions::defaults();
        g.cebra.architecture = o.architecture;
        g.cebra.conditional = o.conditional;
        g.cebra.features = o.features;
        g.cebra.iterations = quick ? 150 : 1000;
        g.cebra.batchSize = quick ? 256 : 512;
        g.cebra.seed = options.seed;
        g.units = quick ? std::vector<int>{30, 100, 0} : std::vector<int>{10, 30, 100, 300, 0};
        g.seeds = quick ? 1 : 3;
        g.split = split;
        g.seed = options.seed;
        g.threads = options.threads;
        s.significance = significanceCurve(rec, g, significanceProgress);

        SubProgress alignProgress(progress, kAlign.begin, kAlign.end);
        AlignmentOptions a;
        a.seed = options.seed;
        a.split = split;
        SubProgress one(alignProgress, 0, 0.5), two(alignProgress, 0.5, 1);
        s.alignCebra = alignLatents(rec, s.cebra, a, one);
        s.alignPca = alignLatents(rec, pcaEmbedding, a, two);
    }
    progress.report(1, 1, "study done");
    s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return s;
}

}  // namespace neurolens
