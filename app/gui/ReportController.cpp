#include "ReportController.h"

#include "DatasetController.h"
#include "PreprocessPanel.h"
#include "ReportWriter.h"

#include "neurolens/study/Study.h"

#include <QCheckBox>
#include <QDesktopServices>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QUrl>

namespace neurolens {

ReportController::ReportController(DatasetController& datasets,
                                   const PreprocessPanel& preprocessing, QWidget* dialogParent)
    : QObject(dialogParent),
      datasets_(datasets),
      preprocessing_(preprocessing),
      dialogParent_(dialogParent),
      lastFolder_(QDir::home().filePath(QStringLiteral("neurolens-report"))),
      lastShuffles_(StudyOptions{}.shuffles)
{
    connect(&runner_, &JobRunner::finished, this, [this](const QString&, const JobResult& result) {
        const auto out = std::static_pointer_cast<const ReportOutput>(result);
        const QString html = QString::fromStdString(out->html);
        Q_EMIT written(html, int(out->figures.size()));
        // Without a browser the report is still written: said, with where it is.
        if (openWhenDone_ && !QDesktopServices::openUrl(QUrl::fromLocalFile(html)))
            Q_EMIT failed(tr("The report was written to %1, but no program could open it "
                             "(no web browser is set up); open that file in one.")
                              .arg(QDir::toNativeSeparators(html)));
    });
    connect(&runner_, &JobRunner::failed, this,
            [this](const QString&, const QString& message) { Q_EMIT failed(message); });
}

void ReportController::start(const QString& folder, bool quick, quint64 seed, int shuffles)
{
    const RecordingPtr recording = datasets_.current();
    if (!recording) {
        Q_EMIT failed(tr("Open a recording first: the report studies the current one."));
        return;
    }
    const QFileInfo info(folder);
    if (info.exists() && !info.isDir()) {
        Q_EMIT failed(tr("%1 exists and is not a folder").arg(folder));
        return;
    }
    StudyOptions options;
    options.quick = quick;
    options.seed = seed;
    options.shuffles = shuffles;
    options.preprocess = preprocessing_.options();
    const std::string dir = folder.toStdString();
    runner_.start(
        tr("whole-study report"), [recording, options, dir](Progress& progress) -> JobResult {
            SubProgress studyProgress(progress, 0.0, 0.88), writeProgress(progress, 0.88, 1.0);
            const StudyResults study = runStudy(*recording, options, studyProgress);
            return std::make_shared<const ReportOutput>(writeReport(study, dir, writeProgress));
        });
}

void ReportController::startInteractively()
{
    QDialog dialog(dialogParent_);
    dialog.setWindowTitle(tr("Whole-Study Report"));
    auto* form = new QFormLayout(&dialog);
    auto* about =
        new QLabel(tr("The whole study (the CEBRA reproduction's analyses) on the current "
                      "recording with the current preprocessing: responses, "
                      "PCA, t-SNE, Lasso and logistic decoding with their sweeps and "
                      "controls, decoded frames, the "
                      "three VAEs, CEBRA and the alignment. Figures (PNG and SVG), "
                      "metrics.json, the data as CSV and "
                      "report.html go into the folder."),
                   &dialog);
    about->setWordWrap(true);
    auto* folder = new QLineEdit(lastFolder_, &dialog);
    folder->setMinimumWidth(380);
    auto* browse = new QPushButton(tr("Browse…"), &dialog);
    auto* row = new QHBoxLayout;
    row->addWidget(folder);
    row->addWidget(browse);
    auto* quick =
        new QCheckBox(tr("Quick (every fit and training shortened: about a minute)"), &dialog);
    quick->setChecked(true);
    auto* seed = new QSpinBox(&dialog);
    seed->setRange(0, 1000000);
    seed->setValue(1);
    auto* shuffles = new QSpinBox(&dialog);
    shuffles->setRange(1, 100);
    shuffles->setValue(lastShuffles_);
    shuffles->setToolTip(
        tr("Shuffled-label controls per decoding, and CEBRA models trained on "
           "shuffled labels: a result they also reach is not a result"));
    QObject::connect(browse, &QPushButton::clicked, &dialog, [&] {
        const QString chosen =
            QFileDialog::getExistingDirectory(&dialog, tr("Report folder"), folder->text());
        if (!chosen.isEmpty()) folder->setText(chosen);
    });
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Run"));
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(about);
    form->addRow(tr("Folder:"), row);
    form->addRow(QString(), quick);
    form->addRow(tr("Seed:"), seed);
    form->addRow(tr("Shuffled-label controls:"), shuffles);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted) return;
    lastFolder_ = folder->text();
    lastShuffles_ = shuffles->value();
    start(folder->text(), quick->isChecked(), quint64(seed->value()), shuffles->value());
}

}  // namespace neurolens
