#include "MainWindow.h"

#include "neurolens/widgets/RecordingSummaryView.h"

#include <QAction>
#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QStatusBar>
#include <QTimer>
#include <QToolButton>

namespace neurolens {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setWindowTitle(tr("neurolens"));
    setAcceptDrops(true);
    summary_ = new RecordingSummaryView(this);
    setCentralWidget(summary_);
    createMenus();

    progressBar_ = new QProgressBar(this);
    progressBar_->setRange(0, 1000);
    progressBar_->setMaximumWidth(240);
    progressBar_->setFormat(QStringLiteral("%p%"));
    cancelButton_ = new QToolButton(this);
    cancelButton_->setText(tr("Cancel"));
    cancelButton_->setToolTip(tr("Stop loading"));
    statusBar()->addPermanentWidget(progressBar_);
    statusBar()->addPermanentWidget(cancelButton_);
    progressBar_->hide();
    cancelButton_->hide();
    // Show progress only for work that lasts (>150 ms), so quick loads do not flicker.
    showProgressTimer_ = new QTimer(this);
    showProgressTimer_->setSingleShot(true);
    showProgressTimer_->setInterval(150);
    connect(showProgressTimer_, &QTimer::timeout, this, [this] {
        progressBar_->show();
        cancelButton_->show();
    });
    connect(cancelButton_, &QToolButton::clicked, &datasets_, &DatasetController::cancel);
    connect(&datasets_, &DatasetController::busyChanged, this, &MainWindow::setBusy);
    connect(&datasets_, &DatasetController::progress, this, [this](double fraction, const QString& message) {
        progressBar_->setValue(int(1000 * fraction));
        statusBar()->showMessage(message);
    });
    connect(&datasets_, &DatasetController::loaded, this, &MainWindow::onLoaded);
    connect(&datasets_, &DatasetController::loadFailed, this, &MainWindow::onFailed);
    connect(&datasets_, &DatasetController::loadCancelled, this,
            [this](const QString&) { statusBar()->showMessage(tr("Loading cancelled"), 5000); });
    resize(1100, 720);
    statusBar()->showMessage(tr("Ready"));
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open…"), this, &MainWindow::openFileDialog);
    open->setShortcut(QKeySequence::Open);
    file->addAction(tr("New &Simulated Session"), this, [this] { datasets_.openSimulatedSession(1); });
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About neurolens"), this, [this] {
        QMessageBox::about(this, tr("About neurolens"),
                           tr("<b>neurolens</b> %1<br>Explore how a visual-cortex population encodes a movie.")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::openFileDialog()
{
    const QStringList paths = QFileDialog::getOpenFileNames(
        this, tr("Open recordings"), QString(),
        tr("Recordings (*.h5 *.hdf5 *.nwb);;All files (*)"));
    datasets_.openFiles(paths);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile()) paths << url.toLocalFile();
    datasets_.openFiles(paths);
    event->acceptProposedAction();
}

void MainWindow::onLoaded(const QString& path, RecordingPtr recording)
{
    summary_->setRecording(*recording);
    const QString name = path.isEmpty() ? tr("simulated session") : QFileInfo(path).fileName();
    setWindowTitle(tr("%1 — neurolens").arg(name));
    statusBar()->showMessage(tr("Loaded %1: %2 units, %3 repeats, %4 frames")
                                 .arg(name)
                                 .arg(recording->responses.units())
                                 .arg(recording->responses.repeats())
                                 .arg(recording->frames()),
                             10000);
}

void MainWindow::onFailed(const QString& path, const QString& message)
{
    lastError_ = message;
    statusBar()->showMessage(tr("Could not open %1").arg(QFileInfo(path).fileName()), 10000);
    if (!showErrorDialogs_) return;
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Could not open file"),
                                tr("neurolens could not open %1.").arg(path), QMessageBox::Ok, this);
    box->setInformativeText(message);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::setBusy(bool busy)
{
    if (busy) {
        progressBar_->setValue(0);
        showProgressTimer_->start();
    } else {
        showProgressTimer_->stop();
        progressBar_->hide();
        cancelButton_->hide();
    }
}

}  // namespace neurolens
