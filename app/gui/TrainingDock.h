#pragma once
// The training dock: the VAE study of the seed report and CEBRA from the GUI. The model's form
// (VaeForm or CebraForm) with the repeats, seed, threads and result name they share, Start / Pause
// / Resume / Cancel, a progress bar with ETA, live charts of the losses and of the reconstruction
// (and guidance) scores per epoch, a log, and checkpoint save / load. A finished model's latents
// become a stored embedding of the analysis (modelTrained), which the embedding view and the
// decoder panel then offer.

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

class CebraForm;
class RepeatSplitEditor;
class VaeForm;
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
    VaeForm* vaeForm() const { return vae_; }
    CebraForm* cebraForm() const { return cebra_; }
    // The forms' fields most often set from outside (tests, sessions).
    QComboBox* conditional() const;
    QSpinBox* iterations() const;
    QSpinBox* cebraDims() const;
    QSpinBox* cebraBatch() const;
    QComboBox* architecture() const;
    QComboBox* guidance() const;
    QSpinBox* epochs() const;
    QSpinBox* latent() const;
    QSpinBox* encoderShuffles() const;
    QCheckBox* timeOnly() const;
    void start(const QString& resumeFrom = {});
    // A finished training's curves and log as the dock showed them (a session's), for `kind`
    // ("vae" or "cebra").
    void restoreHistory(const QString& kind, const std::vector<EpochRecord>& history,
                        const QString& log);

    QLineEdit* resultName() const { return name_; }
    QPushButton* startButton() const { return start_; }
    QPushButton* pauseButton() const { return pause_; }
    QPushButton* cancelButton() const { return cancel_; }
    QChartView* lossChart() const { return lossChart_; }
    QChartView* scoreChart() const { return scoreChart_; }
    QPlainTextEdit* log() const { return log_; }
    RepeatSplitEditor* split() const { return split_; }
    QLabel* heldOut() const { return heldOut_; }

Q_SIGNALS:
    void modelTrained(const neurolens::AnalysisPtr& analysis, const QString& name,
                      const neurolens::Embedding& latents);
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
    VaeForm* vae_ = nullptr;
    CebraForm* cebra_ = nullptr;
    QSpinBox* seed_ = nullptr;
    QSpinBox* threads_ = nullptr;
    QLineEdit* name_ = nullptr;
    RepeatSplitEditor* split_ = nullptr;
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
    QLineSeries *loss_ = nullptr, *trainR2_ = nullptr, *valR2_ = nullptr, *guideTrain_ = nullptr,
                *guideVal_ = nullptr;
    QPlainTextEdit* log_ = nullptr;
    double epochSeconds_ = 0;
    int epochsSeen_ = 0;
};

}  // namespace neurolens
