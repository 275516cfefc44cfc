#include "CliCommands.h"
#include "CliSupport.h"

#include "neurolens/data/Error.h"
#include "neurolens/embed/Pca.h"
#include "neurolens/embed/Tsne.h"
#include "neurolens/models/Alignment.h"
#include "neurolens/preprocess/RepeatSplit.h"

#include <algorithm>
#include <iomanip>
#include <numeric>
#include <sstream>

namespace neurolens::cli {
namespace {

nlohmann::json units(const Recording& rec, const Eigen::VectorXd& r2, const std::vector<int>& order)
{
    nlohmann::json out = nlohmann::json::array();
    for (int u : order)
        out.push_back({{"unit", rec.units.id[std::size_t(u)]},
                       {"area", rec.units.area[std::size_t(u)]},
                       {"r2", r2[u]}});
    return out;
}

}  // namespace

int runAlign(const AlignArgs& args, const Common& common, Progress& progress)
{
    const PreprocessResult pre =
        readAndPreprocess(args.file, args.pre.options(), progress, 0.1, 0.15);
    if (!pre.recording.results.count(args.embedding)) {
        std::string known;
        for (const auto& [name, e] : pre.recording.results)
            known += (known.empty() ? "" : ", ") + name;
        throw UsageError("no embedding '" + args.embedding + "' in " + args.file +
                         (known.empty() ? " (it has none)" : "; it has " + known));
    }
    const RowMatrixXf latents = embeddingInput(pre.recording, args.embedding);
    AlignmentOptions o;
    o.model = args.model == "mlp" ? AlignmentOptions::Model::Mlp : AlignmentOptions::Model::Ridge;
    o.seed = args.seed;
    o.split = RepeatSplit::resolve(pre.recording.responses.repeats(), args.split.train,
                                   args.split.validation, args.split.test);
    refuseTrainedOnTest(pre.recording.results.at(args.embedding), o.split, args.embedding);
    SubProgress fitProgress(progress, 0.15, args.noBaseline ? 1.0 : 0.6);
    const AlignmentResult a = alignLatents(pre.recording, latents, o, fitProgress);

    const int U = int(a.r2PerUnit.size());
    std::vector<int> order(static_cast<std::size_t>(U));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int x, int y) { return a.r2PerUnit[x] > a.r2PerUnit[y]; });
    const int shown = std::min(10, U);
    const std::vector<int> best(order.begin(), order.begin() + shown),
        worst(order.end() - shown, order.end());
    nlohmann::json j = {
        {"file", args.file},
        {"embedding", args.embedding},
        {"model", args.model},
        {"dims", latents.cols()},
        {"units", U},
        {"r2", a.r2},
        {"validation_r2", a.validationR2},
        {"r2_per_unit", std::vector<double>(a.r2PerUnit.data(), a.r2PerUnit.data() + U)},
        {"best_units", units(pre.recording, a.r2PerUnit, best)},
        {"worst_units", units(pre.recording, a.r2PerUnit, worst)},
        {"train_repeats", a.train},
        {"validation_repeats", a.validation},
        {"test_repeats", a.test},
        {"split", splitJson(o.split)}};
    if (o.model == AlignmentOptions::Model::Ridge)
        j["alpha"] = a.alpha;
    else
        j["epochs"] = a.epochs;
    double pcaR2 = std::nan("");
    if (!args.noBaseline) {
        // The same decoder from PCA of the same dimension, fitted on the training repeats.
        const RowMatrixXf X = pre.recording.responses.sampleMatrix();
        const int k =
            std::max(1, int(std::min<Eigen::Index>({latents.cols(), X.cols(), X.rows() - 1})));
        const PcaResult pca = fitPca(gatherRepeats(pre.recording.responses, a.train), k);
        SubProgress baseProgress(progress, 0.6, 1.0);
        const AlignmentResult b = alignLatents(pre.recording, pca.transform(X, k), o, baseProgress);
        pcaR2 = b.r2;
        j["pca"] = {{"dims", k},
                    {"r2", b.r2},
                    {"validation_r2", b.validationR2},
                    {"r2_per_unit", std::vector<double>(b.r2PerUnit.data(),
                                                        b.r2PerUnit.data() + b.r2PerUnit.size())}};
    }
    std::ostringstream text;
    text << std::fixed << std::setprecision(3);
    text << "Alignment of '" << args.embedding << "' (" << latents.cols() << " dims) with " << U
         << " units of " << args.file << " (" << args.model << ")\n";
    text << "  test R2 " << a.r2 << " (validation " << a.validationR2 << ")";
    if (!args.noBaseline) text << "; PCA of the same dimension: " << pcaR2;
    text << "\n  best explained units:";
    for (int u : best)
        text << " " << pre.recording.units.id[std::size_t(u)] << " (" << a.r2PerUnit[u] << ")";
    text << "\n";
    emit(common.json, j, text.str());
    return kOk;
}

}  // namespace neurolens::cli
