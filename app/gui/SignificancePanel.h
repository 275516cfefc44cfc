#pragma once
// Analysis -> Significance: how significant is CEBRA's frame decoding on this recording? Runs the
// accuracy-against-neurons curve (core/study Significance: CEBRA, CEBRA on shuffled labels, kNN and
// naive Bayes at 33 and 330 ms, on one repeat split) on a worker thread with progress and cancel in
// the status bar, and draws it: each method's mean over the draws against the number of neurons
// (log axis), chance dashed. The chart exports like every plot, the curve like every table.

#include "AnalysisController.h"
#include "JobRunner.h"

#include "neurolens/study/Significance.h"

#include <QWidget>

#include <memory>

class QChartView;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace neurolens {

class RepeatSplitEditor;

class SignificancePanel : public QWidget {
    Q_OBJECT
public:
    explicit SignificancePanel(QWidget* parent = nullptr);
    void setAnalysis(AnalysisPtr analysis);
    void run();
    JobRunner& runner() { return runner_; }
    QLineEdit* units() const { return units_; }
    QSpinBox* seeds() const { return seeds_; }
    QSpinBox* steps() const { return steps_; }
    QComboBox* conditional() const { return conditional_; }
    RepeatSplitEditor* split() const { return split_; }
    QPushButton* runButton() const { return run_; }
    QChartView* chart() const { return chart_; }
    QLabel* summary() const { return summary_; }
    const std::shared_ptr<const SignificanceResult>& result() const { return result_; }

Q_SIGNALS:
    void computed();
    void failed(const QString& message);

private:
    void show(const std::shared_ptr<const SignificanceResult>& result);
    void updateButtons();

    AnalysisPtr analysis_, jobAnalysis_;
    std::shared_ptr<const SignificanceResult> result_;
    JobRunner runner_{QStringLiteral("neurolens-significance")};
    QLineEdit* units_ = nullptr;
    QSpinBox* seeds_ = nullptr;
    QSpinBox* steps_ = nullptr;
    QComboBox* conditional_ = nullptr;
    RepeatSplitEditor* split_ = nullptr;
    QPushButton* run_ = nullptr;
    QLabel* summary_ = nullptr;
    QChartView* chart_ = nullptr;
};

}  // namespace neurolens
