#pragma once
// The Alignment view (the report's question): choose a stored embedding (CEBRA, VAE, ...) and a
// decoder (ridge or MLP) from it back to the responses; fitted on a worker thread; the test R² next
// to PCA of the same dimension, a histogram of the per-unit R² of both, the best and worst
// explained units, and the raster's units coloured by their R².

#include "AnalysisController.h"
#include "JobRunner.h"

#include "neurolens/models/Alignment.h"

#include <QWidget>

class QChartView;
class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace neurolens {

class AlignmentPanel : public QWidget {
    Q_OBJECT
public:
    explicit AlignmentPanel(QWidget* parent = nullptr);
    void setAnalysis(AnalysisPtr analysis);
    void run();
    // Shows a session's alignment on the current analysis; refused (false) when its units, repeats
    // or embedding are not this analysis'.
    bool restore(const std::shared_ptr<const AlignmentComparison>& comparison);
    // The embedding the scatter shows: chosen here whenever it is a stored result.
    void preferEmbedding(const QString& name);
    JobRunner& runner() { return runner_; }
    QComboBox* embedding() const { return embedding_; }
    QComboBox* model() const { return model_; }
    QChartView* histogram() const { return histogram_; }
    QTableWidget* units() const { return table_; }
    QCheckBox* colourRaster() const { return colourRaster_; }
    const std::shared_ptr<const AlignmentComparison>& outcome() const { return outcome_; }
    const AnalysisPtr& outcomeAnalysis() const
    {
        return jobAnalysis_;
    }  // the analysis the outcome scores

Q_SIGNALS:
    // Per unit of the analysis (NaN: none); empty to clear.
    void unitScores(const std::vector<float>& r2, const QString& label);
    void aligned();
    void unitClicked(int unit);
    void failed(const QString& message);

private:
    void show(const std::shared_ptr<const AlignmentComparison>& outcome);
    void emitScores();

    AnalysisPtr analysis_, jobAnalysis_;
    QString preferred_;
    std::shared_ptr<const AlignmentComparison> outcome_;
    JobRunner runner_{QStringLiteral("neurolens-alignment")};
    QComboBox* embedding_ = nullptr;
    QComboBox* model_ = nullptr;
    QPushButton* run_ = nullptr;
    QLabel* summary_ = nullptr;
    QChartView* histogram_ = nullptr;
    QTableWidget* table_ = nullptr;
    QCheckBox* colourRaster_ = nullptr;
};

}  // namespace neurolens
