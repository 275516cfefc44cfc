#pragma once
// Turns the current recording into what the views show: preprocessing (area, bin size, silent
// units, top-variance units), PCA (spectrum and three axes), firing rates, the repeat-averaged
// responses and unit orderings. Runs off the GUI thread; a new request cancels the running one.

#include "DatasetController.h"
#include "JobRunner.h"

#include "neurolens/embed/Pca.h"
#include "neurolens/preprocess/Preprocess.h"

#include <QObject>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace neurolens {

struct Analysis {
    // Identifies the analysed data: a copy that only gains results (a trained model's latents)
    // keeps it, so views keep what they computed on the same samples.
    std::uint64_t dataId = 0;
    RecordingPtr source;
    PreprocessOptions options;
    PreprocessResult pre;        // pre.recording: the analysed responses (samples = repeats x bins)
    PcaResult pca;               // full spectrum, 3 axes
    RowMatrixXf projection;      // samples x 3
    std::vector<double> rateHz;  // per analysed unit (continuous responses: the mean value)
    RowMatrixXf meanOverRepeats;  // bins x units
    std::vector<int> orderByPc1, orderByRate,
        orderByArea;  // unit orders for the raster (first row first)

    int repeats() const { return pre.recording.responses.repeats(); }
    int bins() const { return pre.recording.responses.bins(); }
    int frameOf(int bin) const { return pre.recording.stimulus.frame.at(std::size_t(bin)); }
};
using AnalysisPtr = std::shared_ptr<const Analysis>;

// Whether two analyses hold the same samples (the same analysis, or one with more results).
inline bool sameData(const AnalysisPtr& a, const AnalysisPtr& b)
{
    return a && b && a->dataId == b->dataId;
}

// The computation itself (also used by tests and benchmarks without Qt threads).
Analysis analyse(const RecordingPtr& recording, const PreprocessOptions& options,
                 Progress& progress);

class AnalysisController : public QObject {
    Q_OBJECT
public:
    explicit AnalysisController(QObject* parent = nullptr);

    void analyse(const RecordingPtr& recording, const PreprocessOptions& options);
    // Adds (or replaces) a result of the current analysis, e.g. a trained model's latents, and
    // announces the extended analysis. Ignored when `forAnalysis` is no longer current (other
    // samples).
    void addResult(const AnalysisPtr& forAnalysis, const std::string& name, Embedding embedding);
    // Several at once (one announcement); those whose rows do not match the samples are skipped,
    // and when none matches nothing is announced.
    void addResults(const AnalysisPtr& forAnalysis,
                    const std::map<std::string, Embedding>& results);
    // The current recording gained a movie or features (no unit or sample changed): the analysis
    // takes them and keeps everything it computed (an extension of the same data, announced as
    // such). Re-analyses when no analysis of that recording is current or one is still running.
    void attach(const RecordingPtr& previous, const RecordingPtr& recording,
                const PreprocessOptions& options);
    void cancel() { runner_.cancel(); }
    bool busy() const { return runner_.busy(); }
    AnalysisPtr current() const { return current_; }
    JobRunner& runner() { return runner_; }

Q_SIGNALS:
    void analysed(neurolens::AnalysisPtr analysis);
    void failed(const QString& message);

private:
    JobRunner runner_{QStringLiteral("neurolens-analysis")};
    AnalysisPtr current_;
};

}  // namespace neurolens
