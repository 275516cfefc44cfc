// What the window keeps across runs and asks before losing: sessions (open, save), unsaved work
// (asked about on closing), recent files, geometry and dock layout.

#include "MainWindow.h"

#include "AlignmentPanel.h"
#include "DecoderPanel.h"
#include "EmbeddingJob.h"
#include "EmbeddingPanel.h"
#include "SessionController.h"
#include "TrainingDock.h"
#include "TrainingJob.h"
#include "UnsavedWork.h"

#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>
#include <QStatusBar>

namespace neurolens {
namespace {
constexpr int kMaxRecent = 10;
const char* kRecentKey = "recentFiles";
}  // namespace

void MainWindow::openSession(const QString& path)
{
    QString error;
    if (!sessions_->open(path, &error)) {
        showError(tr("Could not open the session"), QString(), error);
    } else {
        unsaved_->clear();
        statusBar()->showMessage(tr("Restoring the session %1…").arg(QFileInfo(path).fileName()));
    }
}

void MainWindow::setShowErrorDialogs(bool show)
{
    showErrorDialogs_ = show;
    if (!show)
        unsaved_->setAsk(
            [](const QString&, QMessageBox::StandardButtons) { return QMessageBox::Discard; });
}

bool MainWindow::saveSession()
{
    QString path = sessionPath_;
    if (path.isEmpty()) {
        path = QFileDialog::getSaveFileName(
            this, tr("Save session"),
            QDir::home().filePath(QStringLiteral("study.neurolens-session")),
            tr("neurolens sessions (*.neurolens-session)"));
        if (path.isEmpty()) return false;
        if (!path.endsWith(QLatin1String(".neurolens-session")))
            path += QStringLiteral(".neurolens-session");
    }
    saveSessionAs(path);
    return sessionPath_ == path && unsaved_->items().isEmpty();
}

void MainWindow::saveSessionAs(const QString& path)
{
    const QString error = sessions_->save(path);
    if (!error.isEmpty())
        showError(tr("Could not save the session"), QString(), error);
    else {
        sessionPath_ = path;
        unsaved_->clear();
        statusBar()->showMessage(tr("Saved the session to %1").arg(QDir::toNativeSeparators(path)),
                                 8000);
    }
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QStringList running;
    if (training_->job()->busy()) running << tr("the training");
    if (embedding_->job()->busy()) running << tr("the layout being computed");
    if (decoder_->runner().busy()) running << tr("the decoding");
    if (alignment_->runner().busy()) running << tr("the alignment");
    if (!unsaved_->confirmStopping(tr("Closing the window"), running) ||
        !unsaved_->confirm(tr("Closing the window"), [this] { return saveSession(); })) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("geometry"), saveGeometry());
    settings.setValue(QStringLiteral("windowState"), saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("windowState")).toByteArray());
}

void MainWindow::rememberRecent(const QString& path)
{
    QSettings settings;
    QStringList recent = settings.value(kRecentKey).toStringList();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    while (recent.size() > kMaxRecent) recent.removeLast();
    settings.setValue(kRecentKey, recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    recentMenu_->clear();
    const QStringList recent = QSettings().value(kRecentKey).toStringList();
    for (const QString& path : recent)
        recentMenu_
            ->addAction(QFileInfo(path).fileName(), this, [this, path] { openFiles({path}); })
            ->setToolTip(path);
    if (recent.isEmpty()) recentMenu_->addAction(tr("(none)"))->setEnabled(false);
    recentMenu_->addSeparator();
    recentMenu_->addAction(tr("Clear"), this, [this] {
        QSettings().remove(kRecentKey);
        rebuildRecentMenu();
    });
}

}  // namespace neurolens
