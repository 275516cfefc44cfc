#pragma once
// The training dock: the VAE study of the seed report and CEBRA from the GUI. A form with the model's
// parameters (sensible defaults, tooltips), Start / Pause / Resume / Cancel, a progress bar with ETA,
// live charts of the losses and of the reconstruction (and guidance) scores per epoch, a log, and
// checkpoint save / load. A finished model's latents become a stored embedding of the analysis
// (modelTrained), which the embedding view and the decoder panel then offer.

#include "AnalysisController.h"

#include "neurolens/models/Cebra.h"
#include "neurolens/models/Vae.h"

#include <QWidget>

class QChartView;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QLineSeries;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QCheckBox;
class QStackedWidget;

namespace neurolens {

class RepeatSplitEditor;
class TrainingJob;
struct TrainingOutcome;

class TrainingDock : public QWidget {
    Q_OBJECT
public:
    explicit TrainingDock(QWidget* parent = nullptr);
    void setAnalysis(AnalysisPtr analysis);
    TrainingJob* job() const { return job_; }
    VaeOptions options() const;
    CebraOptions cebraOptions() const;
    bool cebraSelected() const;
    QComboBox* model() const { return model_; }
    QComboBox* conditional() const { return conditional_; }
    QSpinBox* iterations() const { return iterations_; }
    QSpinBox* cebraDims() const { return cebraDims_; }
    QSpinBox* cebraBatch() const { return cebraBatch_; }
    QComboBox* architecture() const { return architecture_; }
    void start(const QString& resumeFrom = {});

    QComboBox* guidance() const { return guidance_; }
    QSpinBox* epochs() const { return epochs_; }
    QSpinBox* latent() const { return latent_; }
    QLineEdit* resultName() const { return name_; }
    QPushButton* startButton() const { return start_; }
    QPushButton* pauseButton() const { return pause_; }
    QPushButton* cancelButton() const { return cancel_; }
    QChartView* lossChart() const { return lossChart_; }
    QChartView* scoreChart() const { return scoreChart_; }
    QPlainTextEdit* log() const { return log_; }
    RepeatSplitEditor* split() const { return split_; }
    QSpinBox* encoderShuffles() const { return shuffles_; }
    QCheckBox* timeOnly() const { return timeOnly_; }
    QLabel* heldOut() const { return heldOut_; }

Q_SIGNALS:
    void modelTrained(const neurolens::AnalysisPtr& analysis, const QString& name, const neurolens::Embedding& latents);
    void failed(const QString& message);

private:
    void onEpoch(const EpochRecord& record, int planned);
    void onFinished(const std::shared_ptr<const TrainingOutcome>& outcome);
    void resetCharts();
    void updateButtons();
    void saveCheckpoint();
    void loadCheckpoint();

    AnalysisPtr analysis_;
    TrainingJob* job_ = nullptr;
    QComboBox* model_ = nullptr;
    QStackedWidget* forms_ = nullptr;
    QComboBox* architecture_ = nullptr;
    QComboBox* conditional_ = nullptr;
    QSpinBox* cebraDims_ = nullptr;
    QSpinBox* iterations_ = nullptr;
    QSpinBox* cebraBatch_ = nullptr;
    QDoubleSpinBox* cebraLr_ = nullptr;
    QDoubleSpinBox* temperature_ = nullptr;
    QCheckBox* learnable_ = nullptr;
    QSpinBox* timeOffset_ = nullptr;
    QComboBox* guidance_ = nullptr;
    QSpinBox* latent_ = nullptr;
    QSpinBox* epochs_ = nullptr;
    QDoubleSpinBox* beta_ = nullptr;
    QSpinBox* batch_ = nullptr;
    QDoubleSpinBox* lr_ = nullptr;
    QDoubleSpinBox* weight_ = nullptr;
    QSpinBox* seed_ = nullptr;
    QSpinBox* threads_ = nullptr;
    QLineEdit* name_ = nullptr;
    RepeatSplitEditor* split_ = nullptr;
    QSpinBox* shuffles_ = nullptr;
    QCheckBox* timeOnly_ = nullptr;
    QLabel* heldOut_ = nullptr;
    QPushButton* start_ = nullptr;
    QPushButton* pause_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QPushButton* save_ = nullptr;
    QPushButton* load_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* eta_ = nullptr;
    QChartView* lossChart_ = nullptr;
    QChartView* scoreChart_ = nullptr;
    QLineSeries *loss_ = nullptr, *trainR2_ = nullptr, *valR2_ = nullptr, *guideTrain_ = nullptr, *guideVal_ = nullptr;
    QPlainTextEdit* log_ = nullptr;
    double epochSeconds_ = 0;
    int epochsSeen_ = 0;
};

}  // namespace neurolens
