#pragma once
// Analysis -> Behaviour: decode a behaviour series of the recording (running speed, pupil area)
// from the responses, their first K principal components or a stored embedding (a CEBRA trained on
// that behaviour, say), by a regression of the core's registry (ridge, lasso, kNN), with its
// regulariser chosen on the last training repeat unless fixed. Runs on a worker thread (progress
// and cancel in the status bar); shows test, train, chance and shuffled-behaviour scores, and the
// decoded trace over the true one on the test repeat. The chart exports like every plot, the
// decoding like every table.

#include "AnalysisController.h"
#include "JobRunner.h"

#include "neurolens/decode/BehaviourDecoding.h"

#include <QWidget>

#include <memory>

class QChartView;
class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTableWidget;

namespace neurolens {

class ParameterForm;

class BehaviourPanel : public QWidget {
    Q_OBJECT
public:
    explicit BehaviourPanel(QWidget* parent = nullptr);
    void setAnalysis(AnalysisPtr analysis);
    void run();
    JobRunner& runner() { return runner_; }
    BehaviourDecodeOptions options() const;
    QComboBox* behaviour() const { return behaviour_; }
    QComboBox* model() const { return model_; }
    QComboBox* features() const { return features_; }
    QCheckBox* choose() const { return choose_; }
    QPushButton* runButton() const { return run_; }
    QTableWidget* metrics() const { return table_; }
    QChartView* chart() const { return chart_; }
    QLabel* summary() const { return summary_; }
    const std::shared_ptr<const BehaviourDecodeResult>& result() const { return result_; }
    const AnalysisPtr& resultAnalysis() const { return resultAnalysis_; }

Q_SIGNALS:
    void decoded();
    void failed(const QString& message);

private:
    void show(const std::shared_ptr<const BehaviourDecodeResult>& result);
    void updateControls();

    AnalysisPtr analysis_, jobAnalysis_, resultAnalysis_;
    std::shared_ptr<const BehaviourDecodeResult> result_;
    JobRunner runner_{QStringLiteral("neurolens-behaviour")};
    QComboBox* behaviour_ = nullptr;
    QComboBox* model_ = nullptr;
    QStackedWidget* parameterPages_ = nullptr;  // one ParameterForm per regression
    QCheckBox* choose_ = nullptr;
    QComboBox* features_ = nullptr;
    QSpinBox* pcs_ = nullptr;
    QSpinBox* shuffles_ = nullptr;
    QPushButton* run_ = nullptr;
    QLabel* summary_ = nullptr;
    QString resultText_;  // what made the result shown
    QTableWidget* table_ = nullptr;
    QChartView* chart_ = nullptr;
};

}  // namespace neurolens
