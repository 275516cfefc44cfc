#pragma once
// File -> Save Session / Open Session: the opened recordings (and what was attached to them), the
// preprocessing, the results computed on the current analysis (stored embeddings, trained models'
// latents, the t-SNE layout), the trained model's checkpoint and curves, the last decoding, sweep
// and alignment, the embedding view's state, the
// selection and the window layout, in one file written atomically (core/io/SessionFile). Opening
// reopens the recordings, reanalyses with the saved preprocessing, adds the saved results and
// restores the views once the analysis is shown; sessionRestored() then fires.

#include "neurolens/io/SessionFile.h"

#include <QObject>
#include <QString>
#include <QTemporaryDir>

#include <memory>
#include <optional>

class QMainWindow;

namespace neurolens {

class AlignmentPanel;
class AnalysisController;
class DatasetController;
class DecoderPanel;
class EmbeddingPanel;
class PreprocessPanel;
class SampleSelection;
class TrainingDock;

// What a session saves and restores: the window's geometry and docks, the data, the analysis and
// the views whose state it keeps.
struct SessionParts {
    QMainWindow& window;
    DatasetController& datasets;
    AnalysisController& analyses;
    SampleSelection& selection;
    PreprocessPanel& preprocessing;
    EmbeddingPanel& embedding;
    DecoderPanel& decoder;
    TrainingDock& training;
    AlignmentPanel& alignment;
};

class SessionController : public QObject {
    Q_OBJECT
public:
    SessionController(SessionParts parts, QObject* parent);

    // Empty on success, else a sentence naming the file.
    QString save(const QString& path);
    // Starts restoring (asynchronous); false with `error` set when the file cannot be read.
    bool open(const QString& path, QString* error);
    bool restoring() const { return pending_.has_value(); }
    // Where the saved model checkpoints were written on opening (Training -> Resume from
    // checkpoint…).
    QStringList restoredCheckpoints() const { return checkpoints_; }

    // Every view shows the current analysis (the window's viewsReady): the next step of a restore.
    void viewsReady();

Q_SIGNALS:
    // `note`: what could not be restored, or empty.
    void sessionRestored(const QString& path, const QString& note);

private:
    void onIdle();
    void restoreTraining(const QString& kind, const std::string& json);
    QString viewState() const;
    void applyViewState(const QString& json);

    SessionParts parts_;
    std::optional<Session> pending_;
    QString pendingPath_;
    int firstIndex_ = 0;  // where the session's recordings start among the opened ones
    enum class Stage { Loading, Analysing, AddingResults, Views } stage_ = Stage::Loading;
    std::unique_ptr<QTemporaryDir> modelDir_;
    QStringList checkpoints_;
};

}  // namespace neurolens
