#pragma once
// The decoder panel (the seed report's decoding study): choose features (responses, first K PCs,
// stored embeddings), a decoder from the registry and its parameters, run on a worker thread; the
// metrics table (test, train, chance, shuffled labels), predicted against true frame over the test
// repeat, a sweep of a parameter or the number of PCs with train and test curves, and the decoded
// frames next to the true ones. Clicking a decoded frame selects that sample everywhere.

#include "AnalysisController.h"
#include "JobRunner.h"

#include "neurolens/decode/FrameDecoding.h"
#include "neurolens/widgets/SampleSelection.h"

#include <QWidget>

class QChartView;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QTabWidget;
class QPushButton;
class QScatterSeries;
class QLineSeries;
class QSpinBox;
class QStackedWidget;
class QTableWidget;

namespace neurolens {

class FrameStrip;
class ParameterForm;
class SweepChart;

class DecoderPanel : public QWidget {
    Q_OBJECT
public:
    DecoderPanel(SampleSelection& selection, QWidget* parent = nullptr);
    void setAnalysis(AnalysisPtr analysis);
    JobRunner& runner() { return runner_; }
    void run();
    void runSweep();
    QComboBox* features() const { return features_; }
    SweepChart* sweepChart() const { return sweepChart_; }
    QChartView* predictionChart() const { return chart_; }
    QLineEdit* sweepValues() const { return sweepValues_; }
    QComboBox* sweepParameter() const { return sweepParameter_; }
    QPushButton* colourButton() const { return colourButton_; }
    QTableWidget* metrics() const { return table_; }
    QLabel* resultLabel() const { return madeBy_; }
    QLabel* sweepLabel() const { return sweepMadeBy_; }
    FrameStrip* strip() const { return strip_; }
    DecodeOptions options() const;
    // The decoder chosen and its parameters' fields; setDecoder() refuses (false) a name the
    // registry lacks.
    QString decoder() const;
    bool setDecoder(const QString& name, const Parameters& parameters);
    Parameters parameters() const;
    // The analysis the shown result was computed on.
    const AnalysisPtr& resultAnalysis() const { return resultAnalysis_; }
    const std::shared_ptr<const DecodeResult>& result() const { return result_; }
    // Shows a decoding made earlier (a session's) on the current analysis (the decoder chosen stays
    // as it is); refused (false) when its repeats or frames are not this analysis'.
    bool restore(const std::shared_ptr<const DecodeResult>& result);
    // The sweep shown and the analysis it was made on; restoreSweep() shows a session's, refused
    // (false) when its repeats are not this analysis'.
    const std::shared_ptr<const SweepResult>& sweepResult() const { return sweep_; }
    const AnalysisPtr& sweepAnalysis() const { return sweepAnalysis_; }
    bool restoreSweep(const std::shared_ptr<const SweepResult>& sweep);

Q_SIGNALS:
    void decoded(std::shared_ptr<const neurolens::DecodeResult> result);
    void swept();
    void failed(const QString& message);
    void colourScatterRequested();

private:
    void show(const std::shared_ptr<const DecodeResult>& result);
    void showSweep(const std::shared_ptr<const SweepResult>& sweep);
    // "Lasso (alpha 0.08) on the responses of every unit; trained on repeats 0-2, tested on 3".
    QString describe(const DecodeOptions& options) const;
    // Labels the results shown with what made them, marked stale when the settings now differ.
    void markStale();
    void updateControls();
    void suggestSweepValues();
    void listSweepParameters();
    ParameterForm* currentForm() const;

    SampleSelection& selection_;
    AnalysisPtr analysis_;
    std::shared_ptr<const DecodeResult> result_;
    std::shared_ptr<const SweepResult> sweep_;
    AnalysisPtr jobAnalysis_, resultAnalysis_, sweepAnalysis_;
    QPushButton* colourButton_ = nullptr;
    JobRunner runner_{QStringLiteral("neurolens-decoder")};
    QComboBox* model_ = nullptr;
    QComboBox* features_ = nullptr;
    QSpinBox* pcs_ = nullptr;
    QStackedWidget* parameterPages_ =
        nullptr;  // one ParameterForm per decoder, in the registry's order
    QSpinBox* shuffles_ = nullptr;
    QPushButton* runButton_ = nullptr;
    QLabel* summary_ = nullptr;
    QLabel* madeBy_ = nullptr;
    QLabel* sweepMadeBy_ = nullptr;
    QTableWidget* table_ = nullptr;
    QChartView* chart_ = nullptr;
    QScatterSeries* points_ = nullptr;
    QLineSeries* diagonal_ = nullptr;
    FrameStrip* strip_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    QComboBox* sweepParameter_ = nullptr;
    QLineEdit* sweepValues_ = nullptr;
    QComboBox* sweepMetric_ = nullptr;
    QPushButton* sweepButton_ = nullptr;
    SweepChart* sweepChart_ = nullptr;
};

}  // namespace neurolens

Q_DECLARE_METATYPE(std::shared_ptr<const neurolens::DecodeResult>)
