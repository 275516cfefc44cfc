#include "AnalysisController.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <numeric>

namespace neurolens {

Analysis analyse(const RecordingPtr& recording, const PreprocessOptions& options,
                 Progress& progress)
{
    static std::atomic<std::uint64_t> nextId{1};
    Analysis a;
    a.dataId = nextId++;
    a.source = recording;
    a.options = options;
    SubProgress preProgress(progress, 0.0, 0.4);
    a.pre = preprocess(*recording, options, preProgress);
    const Responses& r = a.pre.recording.responses;
    SubProgress pcaProgress(progress, 0.4, 0.9);
    a.pca = fitPca(r.sampleMatrix(), 3, pcaProgress);
    const int k = int(a.pca.components.cols());
    a.projection = RowMatrixXf::Zero(r.samples(), 3);
    a.projection.leftCols(k) = a.pca.transform(r.sampleMatrix(), k);
    progress.checkCancelled();

    const int U = r.units();
    a.meanOverRepeats = RowMatrixXf::Zero(r.bins(), U);
    for (int rep = 0; rep < r.repeats(); ++rep) a.meanOverRepeats += r.repeat(rep);
    a.meanOverRepeats /= float(std::max(1, r.repeats()));
    a.rateHz.resize(U);
    const Eigen::RowVectorXf mean = r.sampleMatrix().colwise().mean();
    // Continuous responses (dF/F) have no rate: their mean value stands in.
    const double scale = r.continuous() ? 1.0 : r.binRateHz();
    for (int u = 0; u < U; ++u) a.rateHz[u] = double(mean[u]) * scale;

    std::vector<int> order(U);
    std::iota(order.begin(), order.end(), 0);
    a.orderByPc1 = order;
    if (k > 0)
        std::stable_sort(a.orderByPc1.begin(), a.orderByPc1.end(), [&](int x, int y) {
            return a.pca.components(x, 0) > a.pca.components(y, 0);
        });
    a.orderByRate = order;
    std::stable_sort(a.orderByRate.begin(), a.orderByRate.end(),
                     [&](int x, int y) { return a.rateHz[x] > a.rateHz[y]; });
    a.orderByArea = order;
    const auto& area = a.pre.recording.units.area;
    std::stable_sort(a.orderByArea.begin(), a.orderByArea.end(), [&](int x, int y) {
        return area[x] != area[y] ? area[x] < area[y] : a.rateHz[x] > a.rateHz[y];
    });
    progress.report(1, 1, "analysis done");
    return a;
}

AnalysisController::AnalysisController(QObject* parent) : QObject(parent)
{
    connect(&runner_, &JobRunner::finished, this, [this](const QString&, const JobResult& result) {
        current_ = std::static_pointer_cast<const Analysis>(result);
        Q_EMIT analysed(current_);
    });
    connect(&runner_, &JobRunner::failed, this,
            [this](const QString&, const QString& message) { Q_EMIT failed(message); });
}

void AnalysisController::addResult(const AnalysisPtr& forAnalysis, const std::string& name,
                                   Embedding embedding)
{
    addResults(forAnalysis, {{name, std::move(embedding)}});
}

void AnalysisController::addResults(const AnalysisPtr& forAnalysis,
                                    const std::map<std::string, Embedding>& results)
{
    if (!current_ || !sameData(forAnalysis, current_)) return;
    std::shared_ptr<Analysis> extended;
    for (const auto& [name, embedding] : results) {
        if (embedding.values.rows() != current_->pre.recording.responses.samples()) continue;
        if (!extended) extended = std::make_shared<Analysis>(*current_);
        extended->pre.recording.results[name] = embedding;
    }
    if (!extended) return;  // nothing fits these samples: nothing changes
    current_ = extended;
    Q_EMIT analysed(current_);
}

namespace {

// The same series with the same values, an unknown (NaN) sample equal to another.
bool sameBehaviour(const std::map<std::string, std::vector<float>>& a,
                   const std::map<std::string, std::vector<float>>& b)
{
    if (a.size() != b.size()) return false;
    for (auto i = a.begin(), j = b.begin(); i != a.end(); ++i, ++j) {
        if (i->first != j->first || i->second.size() != j->second.size()) return false;
        for (std::size_t k = 0; k < i->second.size(); ++k) {
            const float x = i->second[k], y = j->second[k];
            if (x != y && !(std::isnan(x) && std::isnan(y))) return false;
        }
    }
    return true;
}

}  // namespace

void AnalysisController::attach(const RecordingPtr& previous, const RecordingPtr& recording,
                                const PreprocessOptions& options)
{
    // Behaviour goes through preprocessing (averaged with the bins, kept with its repeats): redone.
    if (!current_ || current_->source != previous || runner_.busy() ||
        !sameBehaviour(previous->behaviour, recording->behaviour)) {
        analyse(recording, options);
        return;
    }
    auto extended = std::make_shared<Analysis>(*current_);
    extended->source = recording;
    extended->pre.recording.movie = recording->movie;
    extended->pre.recording.features = recording->features;
    current_ = extended;
    Q_EMIT analysed(current_);
}

void AnalysisController::analyse(const RecordingPtr& recording, const PreprocessOptions& options)
{
    if (!recording) return;
    runner_.start(QStringLiteral("analysis"),
                  [recording, options](Progress& progress) -> JobResult {
                      return std::make_shared<const Analysis>(
                          neurolens::analyse(recording, options, progress));
                  });
}

}  // namespace neurolens
