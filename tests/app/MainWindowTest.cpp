// The main window under a real (virtual) X server: loading and analysis off the GUI thread, the views
// they fill, the shared selection, drops, errors without a crash, cancel, preprocessing, recent files.

#include "NwbFixture.h"
#include "TestSupport.h"

#include "AlignmentPanel.h"
#include "BrowserPanel.h"
#include "DecoderPanel.h"
#include "EmbeddingPanel.h"
#include "MainWindow.h"
#include "NwbOptionsDialog.h"
#include "PreprocessPanel.h"
#include "RasterPanel.h"
#include "SweepChart.h"
#include "TrainingDock.h"
#include "TrainingJob.h"
#include "TsneControls.h"
#include "TsneJob.h"

#include "neurolens/io/NativeWriter.h"
#include "neurolens/sim/Simulator.h"
#include "neurolens/widgets/FramePreview.h"
#include "neurolens/widgets/FrameStrip.h"
#include "neurolens/widgets/RasterView.h"
#include "neurolens/widgets/VarianceChart.h"
#include "neurolens/widgets/VtkScatterView.h"

#include <QDockWidget>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QLineSeries>
#include <QPlainTextEdit>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QMimeData>
#include <QPushButton>
#include <QSpinBox>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>
#include <QTableWidget>
#include <QTreeWidget>
#include <QUrl>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

using namespace neurolens;

namespace {

SimulationOptions smallSession()
{
    SimulationOptions o;
    o.units = 120;
    o.repeats = 4;
    o.frames = 150;
    o.seed = 5;
    return o;
}

// Opens the small simulated session and waits until every view shows it.
void openSmall(MainWindow& window)
{
    QSignalSpy ready(&window, &MainWindow::viewsReady);
    window.openSimulatedSession(5, 120, 4, 150);
    ASSERT_TRUE(ready.wait(60000));
}

std::string writeSmallNative(const test::TempDir& dir, const std::string& name)
{
    SimulationOptions o = smallSession();
    o.units = 60;
    const std::string path = dir.file(name);
    writeNative(simulateSession(o), path);
    return path;
}

// Runs the event loop until `done` holds (true) or the timeout passes (false).
template <typename Predicate>
bool waitUntil(Predicate done, int timeoutMs = 30000)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeoutMs) return false;
        QTest::qWait(10);
    }
    return true;
}

void dropFiles(QWidget& target, const QStringList& paths)
{
    QMimeData mime;
    QList<QUrl> urls;
    for (const auto& p : paths) urls << QUrl::fromLocalFile(p);
    mime.setUrls(urls);
    const QPointF at(target.width() / 2.0, target.height() / 2.0);
    QDragEnterEvent enter(at.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&target, &enter);
    ASSERT_TRUE(enter.isAccepted());
    QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&target, &drop);
}

}  // namespace

TEST(MainWindow, SimulatedSessionFillsEveryView)
{
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    openSmall(window);
    const AnalysisPtr a = window.analyses().current();
    ASSERT_TRUE(a);
    EXPECT_EQ(a->bins(), 150);
    EXPECT_EQ(window.embedding()->view()->pointCount(), 4 * 150);
    EXPECT_EQ(window.embedding()->view()->dimensions(), 3);
    EXPECT_EQ(window.raster()->view()->bins(), 150);
    EXPECT_EQ(window.raster()->view()->units(), a->pre.recording.responses.units());
    EXPECT_GT(window.variance()->components90(), 1);
    EXPECT_GE(window.variance()->components95(), window.variance()->components90());
    // A sample is selected from the start, so the frame preview shows a frame.
    EXPECT_TRUE(window.selection().current().valid());
    EXPECT_FALSE(window.framePreview()->image().isNull());
    EXPECT_GE(window.browser()->tree()->topLevelItemCount(), 1);
    EXPECT_TRUE(window.windowTitle().contains("Simulated"));
    // The 3D view really drew coloured points.
    const QImage image = window.embedding()->view()->grabFramebuffer();
    int coloured = 0;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2) coloured += image.pixelColor(x, y).hsvSaturation() > 80;
    EXPECT_GT(coloured, 200);
}

TEST(MainWindow, ClickingAPointSelectsItsSampleEverywhere)
{
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    openSmall(window);
    VtkScatterView* view = window.embedding()->view();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(view));
    // A point in the dense middle of the cloud that the pick finds at its own position.
    int target = -1;
    for (int i = 137; i < view->pointCount(); i += 97) {
        const QPointF p = view->projectPoint(i);
        if (p.x() > 20 && p.y() > 20 && p.x() < view->width() - 20 && p.y() < view->height() - 20 &&
            view->pickAt(p.toPoint()) == i) {
            target = i;
            break;
        }
    }
    ASSERT_GE(target, 0);
    QTest::mouseClick(view, Qt::LeftButton, Qt::NoModifier, view->projectPoint(target).toPoint());
    const Sample s = window.selection().current();
    EXPECT_EQ(s, window.embedding()->pointToSample(target));
    EXPECT_EQ(view->selectedPoint(), target);
    EXPECT_EQ(window.raster()->view()->cursorBin(), s.bin);
    EXPECT_TRUE(window.framePreview()->caption().contains(QString("frame %1").arg(window.analyses().current()->frameOf(s.bin))));
    // Clicking the raster moves the selection in time.
    RasterView* raster = window.raster()->view();
    const QRect plot = raster->plotRect();
    const int x = plot.left() + plot.width() / 4;
    QTest::mouseClick(raster, Qt::LeftButton, Qt::NoModifier, QPoint(x, plot.center().y()));
    EXPECT_EQ(window.selection().current().bin, raster->binAt(x));
    EXPECT_EQ(view->selectedPoint(), window.embedding()->sampleToPoint(window.selection().current()));
}

TEST(MainWindow, DroppingANativeFileOpensIt)
{
    test::TempDir dir;
    const std::string path = writeSmallNative(dir, "dropped.neurolens.h5");
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    QSignalSpy ready(&window, &MainWindow::viewsReady);
    dropFiles(window, {QString::fromStdString(path)});
    ASSERT_TRUE(ready.wait(60000));
    ASSERT_EQ(window.datasets().recordings().size(), 1u);
    EXPECT_EQ(window.datasets().recordings()[0].path.toStdString(), path);
    EXPECT_EQ(window.analyses().current()->source->responses.units(), 60);
    EXPECT_TRUE(window.windowTitle().contains("dropped.neurolens.h5"));
    // Opened files are remembered.
    const QStringList recent = QSettings().value("recentFiles").toStringList();
    EXPECT_TRUE(recent.contains(QString::fromStdString(path))) << recent.join(", ").toStdString();
}

TEST(MainWindow, BadFilesTakeTheErrorPathAndTheAppKeepsWorking)
{
    test::TempDir dir;
    const std::string bad = dir.file("bad.h5");
    std::ofstream(bad) << "not hdf5";
    const std::string good = writeSmallNative(dir, "good.neurolens.h5");
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    QSignalSpy failed(&window.datasets(), &DatasetController::loadFailed);
    QSignalSpy ready(&window, &MainWindow::viewsReady);
    dropFiles(window, {QString::fromStdString(bad), QString::fromStdString(dir.file("missing.h5")),
                       QString::fromStdString(good)});
    ASSERT_TRUE(ready.wait(60000));
    ASSERT_EQ(failed.count(), 2);
    EXPECT_TRUE(failed.at(0).at(1).toString().contains("not an HDF5 file"));
    EXPECT_TRUE(failed.at(1).at(1).toString().contains("no such file"));
    EXPECT_EQ(window.datasets().recordings().size(), 1u);
    EXPECT_EQ(window.datasets().current()->responses.units(), 60);
}

TEST(MainWindow, CancelStopsALoad)
{
    MainWindow window;
    QSignalSpy cancelled(&window.datasets(), &DatasetController::loadCancelled);
    QSignalSpy loaded(&window.datasets(), &DatasetController::loaded);
    window.openSimulatedSession(2);
    window.datasets().cancel();
    ASSERT_TRUE(cancelled.wait(20000));
    EXPECT_EQ(loaded.count(), 0);
    EXPECT_FALSE(window.datasets().busy());
}

TEST(MainWindow, PreprocessingRecomputesOnAWorkerThread)
{
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    openSmall(window);
    const int before = window.analyses().current()->pre.recording.responses.units();
    PreprocessOptions o = window.preprocessing()->options();
    o.topVariance = 0.5;
    o.bin = 2;
    window.preprocessing()->setOptions(o);
    QSignalSpy analysed(&window.analyses(), &AnalysisController::analysed);
    window.preprocessing()->findChild<QPushButton*>()->click();
    EXPECT_TRUE(window.analyses().busy());
    ASSERT_TRUE(analysed.wait(60000));
    const AnalysisPtr a = window.analyses().current();
    EXPECT_LT(a->pre.recording.responses.units(), before);
    EXPECT_EQ(a->bins(), 300);  // 2 bins per frame
    EXPECT_EQ(window.embedding()->view()->pointCount(), 4 * 300);
}

TEST(MainWindow, DroppedNwbSessionLoadsWithItsSummary)
{
    test::TempDir dir;
    const std::string path = dir.file("session.nwb");
    test::writeNwbFixture(path);
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.setAskNwbOptions(false);
    window.show();
    QSignalSpy loaded(&window.datasets(), &DatasetController::loaded);
    dropFiles(window, {QString::fromStdString(path)});
    ASSERT_TRUE(loaded.wait(30000));
    const auto& entry = window.datasets().recordings().at(0);
    ASSERT_TRUE(entry.nwb.has_value());
    EXPECT_EQ(entry.nwb->unitsPassingQc, 2);
    EXPECT_EQ(entry.recording->format, "nwb");
    EXPECT_EQ(entry.recording->responses.units(), 2);
    EXPECT_EQ(entry.recording->responses.binsPerFrame(), 4);
    // Hand-computed, 25 ms sub-bins: unit 11 has 10.01 (frame 0, bin 0), 10.06 and 10.07 (frame 0, bin 2),
    // 10.27 (frame 2, bin 2) in repeat 0, and 10.30 at the start of repeat 1.
    std::vector<float> counts;
    for (int b = 0; b < 12; ++b) counts.push_back(entry.recording->responses.at(0, b, 0));
    EXPECT_EQ(counts, (std::vector<float>{1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0}));
    EXPECT_EQ(entry.recording->responses.at(1, 0, 0), 1.0f);
    const auto items = window.browser()->tree()->findItems("Session file", Qt::MatchRecursive);
    ASSERT_EQ(items.size(), 1);
    EXPECT_TRUE(items[0]->text(1).contains("2 pass"));
}

TEST(NwbOptionsDialog, OffersAreasBlocksAndTheFilter)
{
    test::TempDir dir;
    const std::string path = dir.file("session.nwb");
    test::writeNwbFixture(path);
    NwbOptionsDialog dialog(QString::fromStdString(path), NwbReader::summarize(path));
    auto combos = dialog.findChildren<QComboBox*>();
    ASSERT_EQ(combos.size(), 3);  // area, stimulus, block
    QComboBox* area = combos[0];
    QComboBox* block = combos[2];
    EXPECT_EQ(area->count(), 3);  // all, VISl, VISp (passing the filter)
    EXPECT_EQ(block->count(), 2);
    area->setCurrentIndex(area->findData("VISl"));
    block->setCurrentIndex(1);
    ReadOptions o = dialog.options();
    EXPECT_EQ(o.area, "VISl");
    EXPECT_EQ(o.block, 1);
    EXPECT_TRUE(o.qcFilter);
    EXPECT_EQ(o.stimulus, "natural_movie_one");
    dialog.findChild<QCheckBox*>()->setChecked(false);
    EXPECT_EQ(area->count(), 4);  // all, VISl, VISp and "unknown" (outside the brain) without the filter
    EXPECT_FALSE(dialog.options().qcFilter);
}

TEST(MainWindow, DroppedMovieAndFeaturesAttachToTheRecording)
{
    test::TempDir dir;
    Recording six = test::smallRecording(3, 12, 4, 2);  // 6 frames, like the fixtures
    six.movie.reset();
    const std::string path = dir.file("six.neurolens.h5");
    writeNative(six, path);
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    QSignalSpy ready(&window, &MainWindow::viewsReady);
    window.openFiles({QString::fromStdString(path)});
    ASSERT_TRUE(ready.wait(30000));
    QSignalSpy attached(&window.datasets(), &DatasetController::attached);
    QSignalSpy failed(&window.datasets(), &DatasetController::loadFailed);
    const QString fixtures = QString::fromStdString(test::sourceDir() + "/tests/core/io/fixtures/");
    dropFiles(window, {fixtures + "movie.npy", fixtures + "features.npz", fixtures + "features_wrong_rows.npy"});
    ASSERT_TRUE(waitUntil([&] { return attached.count() + failed.count() >= 3; }));
    EXPECT_EQ(attached.count(), 2);
    ASSERT_EQ(failed.count(), 1);
    EXPECT_TRUE(failed.at(0).at(1).toString().contains("5 rows")) << failed.at(0).at(1).toString().toStdString();
    const RecordingPtr current = window.datasets().current();
    ASSERT_TRUE(current->movie.has_value());
    EXPECT_EQ(current->features.count("features"), 1u);
    EXPECT_EQ(window.datasets().recordings().size(), 1u);  // attached, not opened as another recording
}

TEST(MainWindow, MovieTemplateBesideAnNwbSessionIsOffered)
{
    test::TempDir dir;
    const std::string nwb = dir.file("session_715093703.nwb");
    test::writeNwbFixture(nwb);
    std::filesystem::copy_file(test::sourceDir() + "/tests/core/io/fixtures/natural_movie_1.h5", dir.file("natural_movie_1.h5"));
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.setAskNwbOptions(false);
    QSignalSpy offered(&window.datasets(), &DatasetController::movieOffered);
    QSignalSpy loaded(&window.datasets(), &DatasetController::loaded);
    window.openFiles({QString::fromStdString(nwb)});
    ASSERT_TRUE(loaded.wait(30000));
    ASSERT_EQ(offered.count(), 1);
    EXPECT_TRUE(offered.at(0).at(0).toString().endsWith("natural_movie_1.h5"));
}

TEST(MainWindow, DecoderPanelShowsMetricsAndDecodedFrames)
{
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    openSmall(window);
    DecoderPanel* panel = window.decoder();
    QSignalSpy decoded(panel, &DecoderPanel::decoded);
    panel->findChildren<QComboBox*>()[0]->setCurrentIndex(2);  // kNN
    panel->findChildren<QSpinBox*>().last()->setValue(2);      // shuffles
    panel->run();
    ASSERT_TRUE(decoded.wait(60000));
    EXPECT_FALSE(panel->metrics()->item(4, 0)->text().isEmpty());  // within 1 s, test
    EXPECT_NE(panel->metrics()->item(4, 3)->text(), QString("–"));  // shuffled column filled
    EXPECT_EQ(panel->strip()->count(), 60);
    // Clicking a decoded frame selects its test sample.
    QSignalSpy selected(&window.selection(), &SampleSelection::changed);
    QWidget* canvas = panel->strip()->widget();
    QTest::mouseClick(canvas, Qt::LeftButton, Qt::NoModifier, QPoint(8 + 3 * 136 + 20, 20));
    ASSERT_GE(selected.count(), 1);
    EXPECT_EQ(window.selection().current(), (Sample{3, 3}));  // test repeat 3 (the last of 4), bin 3

    // The errors colour the scatter: the test repeat's samples by |decoded - true|, the others none.
    const auto result = decoded.last().at(0).value<std::shared_ptr<const DecodeResult>>();
    ASSERT_TRUE(panel->colourButton()->isEnabled());
    panel->colourButton()->click();
    EmbeddingPanel* embedding = window.embedding();
    EXPECT_EQ(embedding->colourBy()->currentData().toString(), QString("error"));
    VtkScatterView* view = embedding->view();
    EXPECT_TRUE(std::isnan(view->value(0)));  // repeat 0 was not tested
    for (int b : {0, 7, 149}) {
        const double decodedFrame = std::clamp(std::round(result->predicted[std::size_t(b)]), 0.0, 149.0);
        EXPECT_FLOAT_EQ(view->value(3 * 150 + b), float(std::abs(decodedFrame - result->truth[std::size_t(b)]))) << b;
    }

    // A sweep of the number of PCs fills the sweep chart with one point per value; a bad value is
    // reported, not run.
    QSignalSpy failed(panel, &DecoderPanel::failed);
    panel->sweepParameter()->setCurrentIndex(panel->sweepParameter()->findData("components"));
    panel->sweepValues()->setText("1, 2 x");
    panel->runSweep();
    EXPECT_EQ(failed.count(), 1);
    panel->sweepValues()->setText("5 1 2");
    panel->runSweep();
    ASSERT_TRUE(waitUntil([&] { return panel->sweepChart()->points().size() == 3; }, 60000));
    EXPECT_EQ(panel->sweepChart()->points().front().value, 1.0);  // sorted
    EXPECT_EQ(panel->sweepChart()->chart()->series().size(), 4);   // chance, train, test, best
    for (const SweepPoint& p : panel->sweepChart()->points()) EXPECT_GE(p.train.within, p.test.within - 0.2);

    // For a person to look at: NEUROLENS_TEST_SCREENSHOTS=DIR saves the window with the panel.
    if (const char* dir = std::getenv("NEUROLENS_TEST_SCREENSHOTS")) {
        window.findChild<QDockWidget*>("DecodingDock")->show();
        window.resize(1600, 1000);
        QTest::qWait(500);
        window.grab().save(QString::fromLocal8Bit(dir) + "/decoder.png");
    }
}

TEST(MainWindow, TsneStreamsIntoTheViewAndPausesResumesAndCancels)
{
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    openSmall(window);
    EmbeddingPanel* panel = window.embedding();
    TsneJob* job = panel->tsne();
    QSignalSpy layouts(job, &TsneJob::layoutChanged);
    QSignalSpy finished(job, &TsneJob::finished);
    panel->tsneControls()->iterations()->setValue(3000);
    panel->method()->setCurrentIndex(panel->method()->findData("tsne"));  // starts it
    ASSERT_TRUE(job->busy());
    ASSERT_TRUE(layouts.wait(30000));
    EXPECT_EQ(panel->view()->pointCount(), 600);  // the layout is in the view while it optimises
    EXPECT_EQ(panel->view()->dimensions(), 3);

    // Paused: no layout arrives; resumed: they flow again.
    panel->tsneControls()->pauseButton()->click();
    ASSERT_TRUE(job->paused());
    QTest::qWait(150);  // let frames already posted arrive
    const int before = layouts.count();
    QTest::qWait(400);
    EXPECT_EQ(layouts.count(), before);
    panel->tsneControls()->pauseButton()->click();
    ASSERT_FALSE(job->paused());
    ASSERT_TRUE(waitUntil([&] { return layouts.count() > before; }, 10000));
    // At most ~25 layouts a second reach the GUI.
    QElapsedTimer clock;
    clock.start();
    const int counted = layouts.count();
    QTest::qWait(1000);
    EXPECT_LE(layouts.count() - counted, int(clock.elapsed() / 40) + 2);

    // Cancel stops it and keeps the last layout in the view.
    QSignalSpy cancelled(job, &TsneJob::cancelled);
    panel->tsneControls()->cancelButton()->click();
    ASSERT_TRUE(cancelled.wait(10000));
    EXPECT_FALSE(job->busy());
    EXPECT_EQ(finished.count(), 0);
    EXPECT_EQ(panel->view()->pointCount(), 600);

    // A 2D run to the end: the final layout is shown and the status names its KL divergence.
    panel->tsneControls()->iterations()->setValue(400);
    panel->dims()->setCurrentIndex(panel->dims()->findData(2));  // restarts in 2D
    ASSERT_TRUE(finished.wait(60000));
    ASSERT_TRUE(panel->tsneLayout());
    EXPECT_EQ(panel->tsneLayout()->cols(), 2);
    EXPECT_EQ(panel->view()->dimensions(), 2);
    EXPECT_TRUE(panel->tsneControls()->status().contains("KL divergence"));
    // Back to PCA and to t-SNE again: the layout is kept, not recomputed.
    panel->method()->setCurrentIndex(panel->method()->findData("pca"));
    panel->method()->setCurrentIndex(panel->method()->findData("tsne"));
    EXPECT_FALSE(job->busy());
    EXPECT_EQ(panel->view()->dimensions(), 2);
    if (const char* dir = std::getenv("NEUROLENS_TEST_SCREENSHOTS")) {
        window.resize(1600, 1000);
        QTest::qWait(500);
        window.grab().save(QString::fromLocal8Bit(dir) + "/tsne.png");
    }
}

TEST(MainWindow, TrainingDockTrainsAVaeWhoseLatentsJoinTheViews)
{
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    openSmall(window);
    TrainingDock* dock = window.training();
    TrainingJob* job = dock->job();
    QSignalSpy epochs(job, &TrainingJob::epochDone);
    QSignalSpy finished(job, &TrainingJob::finished);
    dock->guidance()->setCurrentIndex(dock->guidance()->findData("frame"));
    dock->epochs()->setValue(4);
    dock->latent()->setValue(8);
    dock->startButton()->click();
    ASSERT_TRUE(job->busy());
    EXPECT_FALSE(dock->startButton()->isEnabled());
    ASSERT_TRUE(finished.wait(120000));
    EXPECT_EQ(epochs.count(), 4);
    ASSERT_TRUE(waitUntil([&] { return dock->startButton()->isEnabled(); }));
    auto* loss = qobject_cast<QLineSeries*>(dock->lossChart()->chart()->series().first());
    ASSERT_TRUE(loss);
    EXPECT_EQ(loss->count(), 4);
    EXPECT_TRUE(dock->log()->toPlainText().contains("epoch 4:"));
    // The latents are a stored embedding now: the embedding view and the decoder offer them.
    ASSERT_TRUE(waitUntil([&] { return window.embedding()->method()->findData("result:vae") >= 0; }, 10000));
    window.embedding()->method()->setCurrentIndex(window.embedding()->method()->findData("result:vae"));
    EXPECT_EQ(window.embedding()->view()->pointCount(), 600);
    EXPECT_TRUE(waitUntil([&] {
        for (QComboBox* c : window.decoder()->findChildren<QComboBox*>())
            if (c->findData("vae") >= 0) return true;
        return false;
    }));

    // A long run pauses (no epochs while paused), resumes and cancels.
    QSignalSpy cancelled(job, &TrainingJob::cancelled);
    dock->epochs()->setValue(100000);
    dock->startButton()->click();
    ASSERT_TRUE(waitUntil([&] { return epochs.count() > 5; }, 60000)) << dock->log()->toPlainText().toStdString();
    dock->pauseButton()->click();
    ASSERT_TRUE(job->paused());
    QTest::qWait(300);
    const int before = epochs.count();
    QTest::qWait(700);
    EXPECT_EQ(epochs.count(), before);
    dock->pauseButton()->click();
    ASSERT_TRUE(waitUntil([&] { return epochs.count() > before; }, 30000));
    QElapsedTimer clock;
    clock.start();
    dock->cancelButton()->click();
    ASSERT_TRUE(cancelled.wait(5000));
    EXPECT_LT(clock.elapsed(), 1500);
    EXPECT_TRUE(waitUntil([&] { return dock->startButton()->isEnabled(); }));
    if (const char* dir = std::getenv("NEUROLENS_TEST_SCREENSHOTS")) {
        window.findChild<QDockWidget*>("TrainingDock")->show();
        window.findChild<QDockWidget*>("TrainingDock")->raise();
        window.resize(1600, 1000);
        QTest::qWait(500);
        window.grab().save(QString::fromLocal8Bit(dir) + "/training.png");
    }
}

TEST(MainWindow, TrainingDockTrainsCebraAndItsEmbeddingJoinsTheViews)
{
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    openSmall(window);
    TrainingDock* dock = window.training();
    TrainingJob* job = dock->job();
    QSignalSpy finished(job, &TrainingJob::finished);
    dock->model()->setCurrentIndex(dock->model()->findData("cebra"));
    EXPECT_EQ(dock->resultName()->text(), QString("cebra"));
    dock->conditional()->setCurrentIndex(dock->conditional()->findData("frame"));
    dock->architecture()->setCurrentIndex(dock->architecture()->findData("offset1"));
    dock->iterations()->setValue(300);
    dock->cebraBatch()->setValue(128);
    dock->cebraDims()->setValue(8);
    dock->startButton()->click();
    ASSERT_TRUE(finished.wait(120000)) << dock->log()->toPlainText().toStdString();
    auto* loss = qobject_cast<QLineSeries*>(dock->lossChart()->chart()->series().first());
    ASSERT_TRUE(loss);
    EXPECT_EQ(loss->count(), 3);  // one point per 100 steps
    int knnPoints = 0;
    for (QAbstractSeries* s : dock->scoreChart()->chart()->series())
        if (s->isVisible()) knnPoints += qobject_cast<QLineSeries*>(s)->count();
    EXPECT_GE(knnPoints, 1);  // the validation kNN score
    const auto outcome = finished.last().at(0).value<std::shared_ptr<const TrainingOutcome>>();
    EXPECT_TRUE(outcome->cebra);
    EXPECT_GT(outcome->knn.within, outcome->knn.chanceWithin);
    ASSERT_TRUE(waitUntil([&] { return window.embedding()->method()->findData("result:cebra") >= 0; }, 10000));
    window.embedding()->method()->setCurrentIndex(window.embedding()->method()->findData("result:cebra"));
    EXPECT_EQ(window.embedding()->view()->pointCount(), 600);
    if (const char* dir = std::getenv("NEUROLENS_TEST_SCREENSHOTS")) {
        window.findChild<QDockWidget*>("TrainingDock")->show();
        window.findChild<QDockWidget*>("TrainingDock")->raise();
        window.resize(1600, 1000);
        QTest::qWait(500);
        window.grab().save(QString::fromLocal8Bit(dir) + "/cebra.png");
    }
}

TEST(MainWindow, AlignmentViewScoresUnitsAndColoursTheRaster)
{
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    openSmall(window);
    // A stored embedding: a short CEBRA run from the training dock.
    TrainingDock* dock = window.training();
    QSignalSpy trained(dock->job(), &TrainingJob::finished);
    dock->model()->setCurrentIndex(dock->model()->findData("cebra"));
    dock->architecture()->setCurrentIndex(dock->architecture()->findData("offset1"));
    dock->iterations()->setValue(100);
    dock->cebraBatch()->setValue(64);
    dock->cebraDims()->setValue(8);
    dock->startButton()->click();
    ASSERT_TRUE(trained.wait(120000));
    AlignmentPanel* panel = window.alignment();
    ASSERT_TRUE(waitUntil([&] { return panel->embedding()->findData("cebra") >= 0; }));
    panel->embedding()->setCurrentIndex(panel->embedding()->findData("cebra"));
    QSignalSpy aligned(panel, &AlignmentPanel::aligned);
    panel->run();
    ASSERT_TRUE(aligned.wait(60000));
    ASSERT_TRUE(panel->outcome());
    EXPECT_EQ(panel->outcome()->result.r2PerUnit.size(), 111);
    EXPECT_EQ(panel->outcome()->dims, 8);
    EXPECT_EQ(panel->histogram()->chart()->series().size(), 2);  // the embedding and the PCA baseline
    EXPECT_EQ(panel->units()->rowCount(), 20);  // the 10 best and the 10 worst units
    // The raster's units take their R² as a colour strip, and lose it when unticked.
    panel->colourRaster()->setChecked(true);
    EXPECT_EQ(window.raster()->view()->unitAnnotation().size(), 111u);
    EXPECT_FLOAT_EQ(window.raster()->view()->unitAnnotation()[5], float(panel->outcome()->result.r2PerUnit[5]));
    panel->colourRaster()->setChecked(false);
    EXPECT_TRUE(window.raster()->view()->unitAnnotation().empty());
    if (const char* dir = std::getenv("NEUROLENS_TEST_SCREENSHOTS")) {
        panel->colourRaster()->setChecked(true);
        window.findChild<QDockWidget*>("AlignmentDock")->show();
        window.findChild<QDockWidget*>("AlignmentDock")->raise();
        window.resize(1600, 1000);
        QTest::qWait(500);
        window.grab().save(QString::fromLocal8Bit(dir) + "/alignment.png");
    }
}
