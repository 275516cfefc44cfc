#include "MainWindow.h"

#include "DataExport.h"
#include "PlotExport.h"
#include "ReportController.h"
#include "SessionController.h"
#include "SweepChart.h"
#include "UnsavedWork.h"
#include "neurolens/widgets/FrameStrip.h"

#include "AlignmentPanel.h"
#include "BehaviourPanel.h"
#include "BrowserPanel.h"
#include "DecoderPanel.h"
#include "EmbeddingJob.h"
#include "EmbeddingPanel.h"
#include "PreprocessPanel.h"
#include "RasterPanel.h"
#include "ReadOptionsDialogs.h"
#include "SignificancePanel.h"
#include "StatusProgress.h"
#include "TrainingDock.h"
#include "TrainingJob.h"
#include "UnitPanel.h"

#include "neurolens/data/Error.h"
#include "neurolens/embed/EmbeddingMethod.h"
#include "neurolens/widgets/FramePreview.h"
#include "neurolens/widgets/RasterView.h"
#include "neurolens/widgets/VarianceChart.h"
#include "neurolens/widgets/VtkScatterView.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>

#include <functional>

namespace neurolens {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setWindowTitle(tr("neurolens"));
    setObjectName(QStringLiteral("MainWindow"));
    setAcceptDrops(true);
    unsaved_ = new UnsavedWork(this);
    connect(unsaved_, &UnsavedWork::changed, this, &QWidget::setWindowModified);
    createPanels();
    createMenus();
    connectControllers();
    resize(1500, 950);
    defaultState_ = saveState();
    restoreSettings();
    statusBar()->showMessage(tr("Ready"));
}

MainWindow::~MainWindow() = default;

namespace {

// A dock's panel is scrolled when the dock is smaller than it, so that no panel makes the window
// outgrow the screen; on a laptop's window docks open at most this wide.
constexpr int kDockWidth = 340;
class DockScroll : public QScrollArea {
public:
    using QScrollArea::QScrollArea;
    QSize sizeHint() const override
    {
        // Up to a quarter of a wide window, at least what fits a laptop's.
        const QSize hint = QScrollArea::sizeHint();
        const int room = std::max(kDockWidth + 40, window()->width() * 27 / 100);
        return {std::min(hint.width(), room), hint.height()};
    }
};

}  // namespace

void MainWindow::createPanels()
{
    embedding_ = new EmbeddingPanel(selection_, this);
    raster_ = new RasterPanel(selection_, this);
    variance_ = new VarianceChart(this);
    auto* bottom = new QSplitter(Qt::Horizontal, this);
    bottom->addWidget(raster_);
    bottom->addWidget(variance_);
    bottom->setStretchFactor(0, 2);
    bottom->setStretchFactor(1, 1);
    auto* central = new QSplitter(Qt::Vertical, this);
    central->addWidget(embedding_);
    central->addWidget(bottom);
    central->setStretchFactor(0, 3);
    central->setStretchFactor(1, 2);
    bottom->setSizes({700, 350});
    setCentralWidget(central);

    auto addDock = [this](QWidget* panel, const QString& title, const QString& name,
                          Qt::DockWidgetArea area) {
        auto* dock = new QDockWidget(title, this);
        dock->setObjectName(name);
        // Scrolled when the dock is smaller than its panel: a panel never makes the window outgrow
        // the screen.
        auto* scroll = new DockScroll(dock);
        scroll->setWidget(panel);
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        // Choices sized for their usual entries, not their longest (which the popup shows whole).
        for (auto* combo : panel->findChildren<QComboBox*>()) {
            combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
            combo->setMinimumContentsLength(8);
            // Qt 6.4 keeps a minimum size computed from the entries before the policy changed; a
            // style change recomputes it.
            QEvent styleChanged(QEvent::StyleChange);
            QCoreApplication::sendEvent(combo, &styleChanged);
        }
        scroll->setMinimumWidth(std::min(panel->minimumSizeHint().width() + 4, kDockWidth));
        dock->setWidget(scroll);
        addDockWidget(area, dock);
        docks_ << dock;
        return dock;
    };
    browser_ = new BrowserPanel(this);
    preprocess_ = new PreprocessPanel(this);
    frame_ = new FramePreview(this);
    addDock(browser_, tr("Datasets"), QStringLiteral("DatasetsDock"), Qt::LeftDockWidgetArea);
    addDock(preprocess_, tr("Preprocessing"), QStringLiteral("PreprocessingDock"),
            Qt::LeftDockWidgetArea);
    addDock(frame_, tr("Movie frame"), QStringLiteral("FrameDock"), Qt::LeftDockWidgetArea);
    decoder_ = new DecoderPanel(selection_, this);
    auto* decodingDock =
        addDock(decoder_, tr("Decoding"), QStringLiteral("DecodingDock"), Qt::RightDockWidgetArea);
    training_ = new TrainingDock(this);
    auto* trainingDock =
        addDock(training_, tr("Training"), QStringLiteral("TrainingDock"), Qt::RightDockWidgetArea);
    alignment_ = new AlignmentPanel(this);
    auto* alignmentDock = addDock(alignment_, tr("Alignment"), QStringLiteral("AlignmentDock"),
                                  Qt::RightDockWidgetArea);
    significance_ = new SignificancePanel(this);
    auto* significanceDock = addDock(significance_, tr("Significance"),
                                     QStringLiteral("SignificanceDock"), Qt::RightDockWidgetArea);
    behaviour_ = new BehaviourPanel(this);
    auto* behaviourDock = addDock(behaviour_, tr("Behaviour"), QStringLiteral("BehaviourDock"),
                                  Qt::RightDockWidgetArea);
    tabifyDockWidget(decodingDock, trainingDock);
    tabifyDockWidget(trainingDock, alignmentDock);
    unit_ = new UnitPanel(this);
    auto* unitDock =
        addDock(unit_, tr("Unit"), QStringLiteral("UnitDock"), Qt::RightDockWidgetArea);
    tabifyDockWidget(alignmentDock, significanceDock);
    tabifyDockWidget(significanceDock, behaviourDock);
    for (QDockWidget* d :
         {decodingDock, trainingDock, alignmentDock, significanceDock, behaviourDock, unitDock})
        d->hide();
    resizeDocks({docks_[0]}, {360}, Qt::Horizontal);
    resizeDocks({docks_[0], docks_[1], docks_[2]}, {430, 230, 250}, Qt::Vertical);

    progress_ = new StatusProgress(this);
    progress_->track(datasets_.runner());
    progress_->track(analyses_.runner());
    progress_->track(decoder_->runner());
    progress_->track(embedding_->job()->runner());
    progress_->track(training_->job()->runner());
    progress_->track(alignment_->runner());
    progress_->track(significance_->runner());
    progress_->track(behaviour_->runner());
    statusBar()->addPermanentWidget(progress_);
    registerPlots();
    registerDataSources();
    reports_ = new ReportController(datasets_, *preprocess_, this);
    progress_->track(reports_->runner());
    connect(reports_, &ReportController::written, this, [this](const QString& html, int figures) {
        statusBar()->showMessage(
            tr("Report written: %1 (%2 figures)").arg(QDir::toNativeSeparators(html)).arg(figures),
            15000);
    });
    connect(reports_, &ReportController::failed, this,
            [this](const QString& message) { showError(tr("Report failed"), QString(), message); });
    sessions_ = new SessionController({*this, datasets_, analyses_, selection_, *preprocess_,
                                       *embedding_, *decoder_, *training_, *alignment_},
                                      this);
    connect(this, &MainWindow::viewsReady, sessions_, &SessionController::viewsReady);
    connect(sessions_, &SessionController::sessionRestored, this,
            [this](const QString& path, const QString& note) {
                sessionPath_ = path;
                unsaved_->clear();  // what the restoring showed is the session's own
                statusBar()->showMessage(
                    tr("Restored the session %1. %2").arg(QFileInfo(path).fileName(), note),
                    note.isEmpty() ? 8000 : 0);
            });
    progress_->track(data_->runner());
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open…"), QKeySequence::Open, this, [this] {
        const QStringList paths = QFileDialog::getOpenFileNames(
            this, tr("Open recordings"), QString(),
            tr("Recordings and sessions (*.h5 *.hdf5 *.nwb *.neurolens-session);;"
               "Movies and per-frame features (*.npy *.npz *.h5 *.hdf5 *.pth *.pt);;All files "
               "(*)"));
        openFiles(paths);
    });
    file->addAction(tr("Open &Folder…"), this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(
            this, tr("Open a Kilosort / phy output folder"), QString());
        if (!folder.isEmpty()) openFiles({folder});
    });
    // Files are told apart by their content: a movie or features file joins the current
    // recording whichever way it comes (this dialog, Open, a drop).
    attachAction_ = file->addAction(tr("&Attach Movie or Features…"), this, [this] {
        const QStringList paths = QFileDialog::getOpenFileNames(
            this, tr("Attach a movie or per-frame features to the current recording"), QString(),
            tr("Movies and features (*.npy *.npz *.h5 *.hdf5 *.pth *.pt);;"
               "NumPy arrays (*.npy *.npz);;HDF5 (*.h5 *.hdf5);;torch.save tensors (*.pth *.pt);;"
               "All files (*)"));
        openFiles(paths);
    });
    attachAction_->setEnabled(false);
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    file->addAction(tr("&New Simulated Session…"), QKeySequence::New, this,
                    &MainWindow::newSimulatedSessionDialog);
    file->addSeparator();
    file->addAction(tr("Open &Session…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), this,
                    [this] {
                        const QString path = QFileDialog::getOpenFileName(
                            this, tr("Open session"), QFileInfo(sessionPath_).absolutePath(),
                            tr("neurolens sessions (*.neurolens-session)"));
                        if (!path.isEmpty()) openSession(path);
                    });
    file->addAction(tr("Save Sessio&n"), QKeySequence::Save, this, [this] { saveSession(); });
    file->addAction(tr("Save Session &As…"), QKeySequence::SaveAs, this, [this] {
        QString path = QFileDialog::getSaveFileName(
            this, tr("Save session as"), sessionPath_.isEmpty() ? QDir::homePath() : sessionPath_,
            tr("neurolens sessions (*.neurolens-session)"));
        if (path.isEmpty()) return;
        if (!path.endsWith(QLatin1String(".neurolens-session")))
            path += QStringLiteral(".neurolens-session");
        saveSessionAs(path);
    });
    file->addSeparator();
    file->addAction(tr("&Export Plot…"), QKeySequence(Qt::CTRL | Qt::Key_E), this,
                    [this] { plots_->exportInteractively(); });
    file->addAction(tr("Export &Data…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), this,
                    [this] { data_->exportInteractively(); });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* dock : docks_) view->addAction(dock->toggleViewAction());
    view->addSeparator();
    view->addAction(tr("&Reset Layout"), this, [this] {
        restoreState(defaultState_);
        for (auto* d : docks_) d->show();
    });

    QMenu* analysis = menuBar()->addMenu(tr("&Analysis"));
    auto showDock = [this](const QString& name) {
        if (auto* dock = findChild<QDockWidget*>(name)) {
            dock->show();
            dock->raise();
        }
    };
    analysis->addAction(tr("Frame &Decoding…"), QKeySequence(Qt::CTRL | Qt::Key_D), this,
                        [showDock] { showDock(QStringLiteral("DecodingDock")); });
    analysis->addAction(tr("&Alignment…"), QKeySequence(Qt::CTRL | Qt::Key_L), this,
                        [showDock] { showDock(QStringLiteral("AlignmentDock")); });
    analysis->addAction(tr("&Train a Model…"), QKeySequence(Qt::CTRL | Qt::Key_T), this,
                        [showDock] { showDock(QStringLiteral("TrainingDock")); });
    analysis->addAction(tr("&Significance…"), QKeySequence(Qt::CTRL | Qt::Key_G), this,
                        [showDock] { showDock(QStringLiteral("SignificanceDock")); });
    analysis->addSeparator();
    analysis->addAction(tr("Whole-Study &Report…"), QKeySequence(Qt::CTRL | Qt::Key_R), this,
                        [this] { reports_->startInteractively(); });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard Shortcuts"), QKeySequence::HelpContents, this,
                    &MainWindow::showShortcuts);
    help->addAction(tr("&About neurolens"), this, [this] {
        QMessageBox::about(
            this, tr("About neurolens"),
            tr("<h3>neurolens %1</h3><p>Explore how a visual-cortex population encodes a movie: "
               "PCA and t-SNE clouds, frame decoding, VAE and CEBRA embeddings.</p>"
               "<p>Qt %2, VTK 9, Eigen, HDF5, LibTorch.</p>")
                .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion())));
    });
    rebuildRecentMenu();
}

void MainWindow::connectControllers()
{
    connect(&datasets_, &DatasetController::loaded, this,
            [this](const QString& path, const RecordingPtr& rec) {
                if (!path.isEmpty()) rememberRecent(path);
                statusBar()->showMessage(
                    tr("Loaded %1: %2 units, %3 repeats, %4 frames")
                        .arg(path.isEmpty() ? tr("simulated session") : QFileInfo(path).fileName())
                        .arg(rec->responses.units())
                        .arg(rec->responses.repeats())
                        .arg(rec->frames()),
                    10000);
                if (!rec->warnings.empty()) showWarnings(path, rec->warnings);
            });
    connect(&datasets_, &DatasetController::loadFailed, this,
            [this](const QString& path, const QString& message) {
                showError(tr("Could not open file"), path, message);
            });
    connect(&datasets_, &DatasetController::loadCancelled, this,
            [this](const QString&) { statusBar()->showMessage(tr("Loading cancelled"), 5000); });
    connect(&datasets_, &DatasetController::currentChanged, this, [this](const RecordingPtr& rec) {
        const QString name = datasets_.recordings()[std::size_t(datasets_.currentIndex())].name;
        setWindowTitle(tr("%1[*] — neurolens").arg(name));
        if (attachAction_) attachAction_->setEnabled(rec != nullptr);
        browser_->setRecordings(datasets_.recordings(), datasets_.currentIndex());
        preprocess_->setRecording(rec);
        selection_.clear();
        analyses_.analyse(rec, preprocess_->options());
    });
    connect(browser_, &BrowserPanel::recordingActivated, &datasets_,
            &DatasetController::setCurrent);
    connect(browser_, &BrowserPanel::closeRequested, this, [this](int index) {
        if (!datasets_.close(index))
            statusBar()->showMessage(
                tr("The only recording open, or one still loading, stays open."), 5000);
    });
    connect(&datasets_, &DatasetController::listChanged, this,
            [this] { browser_->setRecordings(datasets_.recordings(), datasets_.currentIndex()); });
    // A movie or features attached: the analysis keeps its results, layouts and selection.
    connect(&datasets_, &DatasetController::currentExtended, this,
            [this](const RecordingPtr& previous, const RecordingPtr& rec) {
                browser_->setRecordings(datasets_.recordings(), datasets_.currentIndex());
                analyses_.attach(previous, rec, preprocess_->options());
            });
    connect(&datasets_, &DatasetController::attached, this,
            [this](const QString& path, const QString& what) {
                statusBar()->showMessage(
                    tr("Attached %1 from %2").arg(what, QFileInfo(path).fileName()), 10000);
            });
    connect(&datasets_, &DatasetController::movieOffered, this, [this](const QString& moviePath) {
        if (!askReadOptions_) return;
        auto* box = new QMessageBox(QMessageBox::Question, tr("Movie template found"),
                                    tr("%1 lies beside the session. Attach it as the movie?")
                                        .arg(QFileInfo(moviePath).fileName()),
                                    QMessageBox::Yes | QMessageBox::No, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        connect(box, &QMessageBox::buttonClicked, this,
                [this, box, moviePath](QAbstractButton* button) {
                    if (box->standardButton(button) == QMessageBox::Yes)
                        datasets_.openFiles({moviePath});
                });
        box->open();
    });
    connect(
        preprocess_, &PreprocessPanel::applyRequested, this,
        [this](const PreprocessOptions& options) {
            if (!unsaved_->confirm(tr("Applying recomputes the analysis on other units or samples"),
                                   [this] { return saveSession(); }))
                return;
            unsaved_->clear();
            analyses_.analyse(datasets_.current(), options);
        });
    connect(&analyses_, &AnalysisController::analysed, this, &MainWindow::showAnalysis);
    connect(&analyses_, &AnalysisController::failed, this, [this](const QString& message) {
        showError(tr("Analysis failed"), QString(), message);
    });
    connect(&selection_, &SampleSelection::changed, this, &MainWindow::updateFramePreview);
    connect(decoder_, &DecoderPanel::failed, this, [this](const QString& message) {
        showError(tr("Decoding failed"), QString(), message);
    });
    connect(decoder_, &DecoderPanel::decoded, this,
            [this](const std::shared_ptr<const DecodeResult>& r) {
                embedding_->setDecoding(r, decoder_->resultAnalysis());
                unsaved_->note(tr("the decoding"));
            });
    connect(decoder_, &DecoderPanel::swept, this, [this] { unsaved_->note(tr("the sweep")); });
    connect(alignment_, &AlignmentPanel::aligned, this,
            [this] { unsaved_->note(tr("the alignment")); });
    connect(decoder_, &DecoderPanel::colourScatterRequested, embedding_,
            &EmbeddingPanel::showDecodingErrors);
    connect(training_, &TrainingDock::modelTrained, this,
            [this](const AnalysisPtr& analysis, const QString& name, const Embedding& latents) {
                analyses_.addResult(analysis, name.toStdString(), latents);
                unsaved_->note(tr("the trained model “%1”").arg(name));
            });
    connect(embedding_->job(), &EmbeddingJob::finished, this, [this] {
        QString method = embedding_->shownName();
        try {
            method = QString::fromStdString(embeddingMethod(method.toStdString()).title);
        } catch (const Error&) {  // not a registered method: its name
        }
        unsaved_->note(tr("the %1 layout").arg(method));
    });
    // A unit clicked anywhere: outlined in the raster and shown in the Unit dock.
    connect(browser_, &BrowserPanel::unitClicked, this, [this](int unit) { showUnit(unit); });
    connect(alignment_, &AlignmentPanel::unitClicked, this, [this](int unit) { showUnit(unit); });
    // A raster click moves the time; it outlines its row's unit without opening a dock under the
    // mouse (an open Unit dock follows).
    connect(raster_->view(), &RasterView::unitClicked, this,
            [this](int unit) { showUnit(unit, false); });
    // The alignment starts on the embedding in view.
    connect(embedding_->method(), &QComboBox::currentIndexChanged, alignment_,
            [this] { alignment_->preferEmbedding(embedding_->shownName()); });
    connect(alignment_, &AlignmentPanel::unitScores, this,
            [this](const std::vector<float>& r2, const QString& label) {
                raster_->view()->setUnitAnnotation(r2, label);
            });
    connect(alignment_, &AlignmentPanel::failed, this, [this](const QString& message) {
        showError(tr("Alignment failed"), QString(), message);
    });
    connect(significance_, &SignificancePanel::failed, this, [this](const QString& message) {
        showError(tr("Significance failed"), QString(), message);
    });
    connect(behaviour_, &BehaviourPanel::failed, this, [this](const QString& message) {
        showError(tr("Behaviour decoding failed"), QString(), message);
    });
    connect(training_, &TrainingDock::failed, this, [this](const QString& message) {
        showError(tr("Training failed"), QString(), message);
    });
}

void MainWindow::openFiles(const QStringList& paths)
{
    for (const QString& path : paths) {
        if (path.endsWith(QLatin1String(".neurolens-session"), Qt::CaseInsensitive)) {
            openSession(path);
            continue;
        }
        if (!askReadOptions_) {
            datasets_.openFiles({path});
            continue;
        }
        const RecordingPtr onScreen = datasets_.current();
        if (const auto choice = askReadOptions(path, this, onScreen ? onScreen->frames() : 0))
            datasets_.openFile(path, choice->options, choice->attach);
    }
}

void MainWindow::openSimulatedSession(quint64 seed, int units, int repeats, int frames)
{
    datasets_.openSimulatedSession(seed, units, repeats, frames);
}

void MainWindow::showAnalysis(const AnalysisPtr& analysis)
{
    if (analysis->source != datasets_.current())
        return;  // a late result for a recording no longer shown
    const Sample kept = selection_.current();
    if (kept.valid() && (kept.repeat >= analysis->repeats() || kept.bin >= analysis->bins()))
        selection_.clear();
    // Start with a sample selected, so the linked views (point, raster cursor, frame) show
    // themselves.
    if (!selection_.current().valid()) selection_.select({0, analysis->bins() / 3});

    // The views take the result one per event-loop turn, each followed by its own paint, so the GUI
    // thread never stalls for all of them at once (the target is under 50 ms).
    auto* view = embedding_->view();
    auto scatterDrawn = std::make_shared<bool>(false), stagesDone = std::make_shared<bool>(false);
    auto once = std::make_shared<QMetaObject::Connection>();
    *once = connect(view, &VtkScatterView::rendered, this, [this, once, scatterDrawn, stagesDone] {
        disconnect(*once);
        *scatterDrawn = true;
        if (*stagesDone) Q_EMIT viewsReady();
    });
    const std::vector<std::function<void()>> stages = {
        [this, analysis] { embedding_->setAnalysis(analysis); },
        [this, analysis] { raster_->setAnalysis(analysis); },
        [this, analysis] {
            const Eigen::VectorXd& ratio = analysis->pca.explainedVarianceRatio;
            variance_->setSpectrum(std::vector<double>(ratio.data(), ratio.data() + ratio.size()));
        },
        [this, analysis, scatterDrawn, stagesDone] {
            browser_->setAnalysis(analysis);
            decoder_->setAnalysis(analysis);
            training_->setAnalysis(analysis);
            alignment_->setAnalysis(analysis);
            significance_->setAnalysis(analysis);
            behaviour_->setAnalysis(analysis);
            unit_->setAnalysis(analysis);
            preprocess_->setSummary(summaryText(*analysis));
            updateFramePreview();
            *stagesDone = true;
            if (*scatterDrawn) Q_EMIT viewsReady();
        }};
    runStages(analysis, stages, 0);
}

void MainWindow::runStages(const AnalysisPtr& analysis,
                           const std::vector<std::function<void()>>& stages, std::size_t next)
{
    if (next >= stages.size() || analysis != analyses_.current())
        return;  // superseded by a newer one
    stages[next]();
    QMetaObject::invokeMethod(
        this, [this, analysis, stages, next] { runStages(analysis, stages, next + 1); },
        Qt::QueuedConnection);
}

QString MainWindow::summaryText(const Analysis& a)
{
    const auto& pre = a.pre;
    return tr("%1 of %2 units analysed (%3 silent, %4 other areas, %5 low-variance dropped); %6 "
              "samples at %7 Hz.")
        .arg(pre.recording.responses.units())
        .arg(a.source->responses.units())
        .arg(pre.droppedSilent)
        .arg(pre.droppedByArea)
        .arg(pre.droppedByVariance)
        .arg(pre.recording.responses.samples())
        .arg(pre.recording.responses.binRateHz(), 0, 'g', 4);
}

void MainWindow::updateFramePreview()
{
    const AnalysisPtr a = analyses_.current();
    const Sample s = selection_.current();
    if (!a || !s.valid()) {
        frame_->clear(tr("Click a point or the raster to see its movie frame"));
        return;
    }
    const int f = a->frameOf(s.bin);
    const double fps = a->pre.recording.responses.frameRateHz();
    const QString caption =
        tr("frame %1 · t = %2 s · repeat %3").arg(f).arg(f / fps, 0, 'f', 2).arg(s.repeat);
    const auto& movie = a->pre.recording.movie;
    if (!movie || f >= movie->frames) {
        frame_->clear(tr("%1\n(no movie in this recording)").arg(caption));
        return;
    }
    const QImage image(movie->frame(f), movie->width, movie->height, movie->width,
                       QImage::Format_Grayscale8);
    frame_->setFrame(image.copy(), caption);
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
    openFiles(paths);
    event->acceptProposedAction();
}

void MainWindow::showUnit(int unit, bool reveal)
{
    const auto& alignment = alignment_->outcome();
    const bool aligned = alignment && sameData(alignment_->outcomeAnalysis(), analyses_.current());
    unit_->showUnit(unit, aligned ? alignment.get() : nullptr);
    raster_->view()->setHighlightedUnit(unit);
    if (!reveal) return;
    if (auto* dock = findChild<QDockWidget*>(QStringLiteral("UnitDock"))) {
        // Tabbed with the analysis docks when first shown (tabified while all are hidden at
        // start, the window's first analysis was never drawn).
        if (!dock->isVisible() && tabifiedDockWidgets(dock).isEmpty())
            if (auto* significance = findChild<QDockWidget*>(QStringLiteral("SignificanceDock"));
                significance && significance->isVisible())
                tabifyDockWidget(significance, dock);
        dock->show();
        dock->raise();
    }
}

}  // namespace neurolens
