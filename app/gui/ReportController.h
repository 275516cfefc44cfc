#pragma once
// Analysis -> Whole-Study Report…: the seed report's study on the current recording (core/study)
// with the current preprocessing, written as a report folder (figures, metrics.json, CSV data,
// report.html) on a worker thread with progress and cancel in the status bar; the page opens when
// it is done.

#include "JobRunner.h"

#include <QObject>
#include <QString>

class QWidget;

namespace neurolens {

class DatasetController;
class PreprocessPanel;

class ReportController : public QObject {
    Q_OBJECT
public:
    // Studies the current recording of `datasets` with the preprocessing `preprocessing` shows; its
    // dialog opens over `dialogParent`, which also owns the controller.
    ReportController(DatasetController& datasets, const PreprocessPanel& preprocessing,
                     QWidget* dialogParent);

    // Starts the study and the report into `folder` (made if missing), with `shuffles`
    // shuffled-label controls per decoding and shuffled-label CEBRA trainings.
    void start(const QString& folder, bool quick, quint64 seed, int shuffles);
    void startInteractively();
    JobRunner& runner() { return runner_; }
    // Whether a finished report opens in the browser (off in tests).
    void setOpenWhenDone(bool open) { openWhenDone_ = open; }

Q_SIGNALS:
    void written(const QString& html, int figures);
    void failed(const QString& message);

private:
    DatasetController& datasets_;
    const PreprocessPanel& preprocessing_;
    QWidget* dialogParent_;
    JobRunner runner_{QStringLiteral("neurolens-report")};
    bool openWhenDone_ = true;
    QString lastFolder_;
    int lastShuffles_;
};

}  // namespace neurolens
