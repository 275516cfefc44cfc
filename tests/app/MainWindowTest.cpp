// The main window under a real (virtual) X server: loading and analysis off the GUI thread, the
// views they fill, the shared selection, drops, errors without a crash, cancel, preprocessing,
// recent files, the decoder panel. The model views (t-SNE, training, alignment) are in
// ModelViewsTest.cpp.

#include "AppTestHelpers.h"
#include "NwbFixture.h"
#include "TestSupport.h"

#include "BrowserPanel.h"
#include "DecoderPanel.h"
#include "EmbeddingPanel.h"
#include "KilosortOptionsDialog.h"
#include "MainWindow.h"
#include "NwbOptionsDialog.h"
#include "PreprocessPanel.h"
#include "RasterPanel.h"
#include "SweepChart.h"
#include "UnitPanel.h"

#include "neurolens/io/NativeWriter.h"
#include "neurolens/sim/Simulator.h"
#include "neurolens/widgets/FramePreview.h"
#include "neurolens/widgets/FrameStrip.h"
#include "neurolens/widgets/RasterView.h"
#include "neurolens/widgets/UnitView.h"
#include "neurolens/widgets/VarianceChart.h"
#include "neurolens/widgets/VtkScatterView.h"

#include <QAction>
#include <QApplication>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTableWidget>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>
#include <QUrl>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

using namespace neurolens;
using neurolens::test::openSmall;
using neurolens::test::waitUntil;

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

std::string writeSmallNative(const test::TempDir& dir, const std::string& name)
{
    SimulationOptions o = smallSession();
    o.units = 60;
    const std::string path = dir.file(name);
    writeNative(simulateSession(o), path);
    return path;
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
        for (int x = 0; x < image.width(); x += 2)
            coloured += image.pixelColor(x, y).hsvSaturation() > 80;
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
    EXPECT_TRUE(window.framePreview()->caption().contains(
        QString("frame %1").arg(window.analyses().current()->frameOf(s.bin))));
    // Clicking the raster moves the selection in time.
    RasterView* raster = window.raster()->view();
    const QRect plot = raster->plotRect();
    const int x = plot.left() + plot.width() / 4;
    QTest::mouseClick(raster, Qt::LeftButton, Qt::NoModifier, QPoint(x, plot.center().y()));
    EXPECT_EQ(window.selection().current().bin, raster->binAt(x));
    EXPECT_EQ(view->selectedPoint(),
              window.embedding()->sampleToPoint(window.selection().current()));
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

TEST(MainWindow, ATruncatedNwbIsRefusedAsARecordingAndRecordingsClose)
{
    test::TempDir dir;
    const std::string nwb = dir.file("cut.nwb");
    std::ofstream(nwb) << "\x89HDF\r\n";  // an HDF5 signature, and then nothing
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    openSmall(window);
    QSignalSpy failed(&window.datasets(), &DatasetController::loadFailed);
    window.openFiles({QString::fromStdString(nwb)});
    ASSERT_TRUE(failed.wait(30000));
    const QString message = failed.at(0).at(1).toString();
    EXPECT_TRUE(message.contains("not a recording")) << message.toStdString();
    EXPECT_FALSE(message.contains("movie")) << message.toStdString();
    // Two recordings open: the current one closes and its neighbour is shown; the last stays.
    QSignalSpy ready(&window, &MainWindow::viewsReady);
    window.openSimulatedSession(7, 90, 4, 150);
    ASSERT_TRUE(ready.wait(60000));
    ASSERT_EQ(window.datasets().recordings().size(), 2u);
    EXPECT_EQ(window.datasets().currentIndex(), 1);
    ASSERT_TRUE(window.datasets().close(1));
    ASSERT_TRUE(ready.wait(60000));
    EXPECT_EQ(window.datasets().recordings().size(), 1u);
    EXPECT_EQ(window.datasets().currentIndex(), 0);
    EXPECT_EQ(window.analyses().current()->pre.recording.units.size() > 90, true);
    EXPECT_FALSE(window.datasets().close(0));
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
    window.setAskReadOptions(false);
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
    // Hand-computed, 25 ms sub-bins: unit 11 has 10.01 (frame 0, bin 0), 10.06 and 10.07 (frame 0,
    // bin 2), 10.27 (frame 2, bin 2) in repeat 0, and 10.30 at the start of repeat 1.
    std::vector<float> counts;
    for (int b = 0; b < 12; ++b) counts.push_back(entry.recording->responses.at(0, b, 0));
    EXPECT_EQ(counts, (std::vector<float>{1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0}));
    EXPECT_EQ(entry.recording->responses.at(1, 0, 0), 1.0f);
    const auto items = window.browser()->tree()->findItems("Session file", Qt::MatchRecursive);
    ASSERT_EQ(items.size(), 1);
    EXPECT_TRUE(items[0]->text(1).contains("2 pass"));
    EXPECT_TRUE(window.lastWarning().isEmpty());
    EXPECT_EQ(entry.name, QString("session.nwb · all areas · block 0"));

    // A presentation showing frame 10^9: the window says which repeat it skipped and why.
    test::NwbFixtureOptions huge;
    huge.hugeFrame = true;
    const std::string odd = dir.file("odd.nwb");
    test::writeNwbFixture(odd, huge);
    dropFiles(window, {QString::fromStdString(odd)});
    ASSERT_TRUE(loaded.wait(30000));
    EXPECT_TRUE(window.lastWarning().contains("presentation 4 shows frame 1000000000"))
        << window.lastWarning().toStdString();
}

TEST(MainWindow, DroppedMovieAndFeaturesAttachToTheRecording)
{
    test::TempDir dir;
    Recording six = test::smallRecording(3, 12, 4, 2);  // 6 frames, like the fixtures
    six.movie.reset();
    // Behaviour with a blink: unknown samples must not make an attachment look like new data.
    six.behaviour["pupil"] = std::vector<float>(3 * 12, 1.0f);
    six.behaviour["pupil"][4] = NAN;
    const std::string path = dir.file("six.neurolens.h5");
    writeNative(six, path);
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    QSignalSpy ready(&window, &MainWindow::viewsReady);
    window.openFiles({QString::fromStdString(path)});
    ASSERT_TRUE(ready.wait(30000));
    // File → Attach Movie or Features… is offered once a recording is open.
    bool offered = false;
    for (QAction* a : window.findChildren<QAction*>())
        if (a->text() == QStringLiteral("&Attach Movie or Features…")) offered = a->isEnabled();
    EXPECT_TRUE(offered);
    window.selection().select({1, 5});
    const std::uint64_t dataId = window.analyses().current()->dataId;
    QSignalSpy reanalysed(&window.analyses().runner(), &JobRunner::started);
    QSignalSpy attached(&window.datasets(), &DatasetController::attached);
    QSignalSpy failed(&window.datasets(), &DatasetController::loadFailed);
    const QString fixtures = QString::fromStdString(test::sourceDir() + "/tests/core/io/fixtures/");
    // features_wrong_rows.npy has no row per frame: the window asks whether to attach it.
    int asked = 0;
    QTimer answer;
    QObject::connect(&answer, &QTimer::timeout, [&asked] {
        if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget()))
            for (QAbstractButton* b : box->buttons())
                if (b->text() == QStringLiteral("Attach")) {
                    ++asked;
                    b->click();
                }
    });
    answer.start(20);
    dropFiles(window, {fixtures + "movie.npy", fixtures + "features.npz",
                       fixtures + "features_wrong_rows.npy"});
    ASSERT_TRUE(waitUntil([&] { return attached.count() + failed.count() >= 3; }));
    EXPECT_EQ(attached.count(), 2);
    ASSERT_EQ(failed.count(), 1);
    EXPECT_EQ(asked, 1);
    EXPECT_TRUE(failed.at(0).at(1).toString().contains("5 rows"))
        << failed.at(0).at(1).toString().toStdString();
    const RecordingPtr current = window.datasets().current();
    ASSERT_TRUE(current->movie.has_value());
    EXPECT_EQ(current->features.count("features"), 1u);
    EXPECT_EQ(window.datasets().recordings().size(),
              1u);  // attached, not opened as another recording
    // Nothing was recomputed: the same analysis, now with the movie and features, and the same
    // selected sample.
    QCoreApplication::processEvents();
    EXPECT_EQ(reanalysed.count(), 0);
    const AnalysisPtr analysis = window.analyses().current();
    EXPECT_EQ(analysis->dataId, dataId);
    EXPECT_TRUE(analysis->pre.recording.movie.has_value());
    EXPECT_EQ(analysis->pre.recording.features.count("features"), 1u);
    EXPECT_EQ(analysis->source, current);
    EXPECT_EQ(window.selection().current().repeat, 1);
    EXPECT_EQ(window.selection().current().bin, 5);
}

TEST(MainWindow, MovieTemplateBesideAnNwbSessionIsOffered)
{
    test::TempDir dir;
    const std::string nwb = dir.file("session_715093703.nwb");
    test::writeNwbFixture(nwb);
    std::filesystem::copy_file(test::sourceDir() + "/tests/core/io/fixtures/natural_movie_1.h5",
                               dir.file("natural_movie_1.h5"));
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.setAskReadOptions(false);
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
    EXPECT_FALSE(panel->setDecoder("forest", {}));
    Parameters k;
    k.numbers["k"] = 4;
    ASSERT_TRUE(panel->setDecoder("knn", k));
    EXPECT_EQ(panel->options().parameters.numbers.at("k"), 4);
    panel->findChildren<QSpinBox*>().last()->setValue(2);  // shuffles
    panel->run();
    ASSERT_TRUE(decoded.wait(60000));
    EXPECT_FALSE(panel->metrics()->item(4, 0)->text().isEmpty());   // within 1 s, test
    EXPECT_NE(panel->metrics()->item(4, 3)->text(), QString("–"));  // shuffled column filled
    EXPECT_EQ(panel->strip()->count(), 60);
    // The results say what made them, and become stale when a setting changes.
    const QString label = panel->resultLabel()->text();
    EXPECT_TRUE(label.contains("k 4") && label.contains("tested on 3")) << label.toStdString();
    EXPECT_TRUE(panel->metrics()->isEnabled());
    k.numbers["k"] = 7;
    ASSERT_TRUE(panel->setDecoder("knn", k));
    EXPECT_TRUE(panel->resultLabel()->text().contains("Stale"))
        << panel->resultLabel()->text().toStdString();
    EXPECT_FALSE(panel->metrics()->isEnabled());
    k.numbers["k"] = 4;
    ASSERT_TRUE(panel->setDecoder("knn", k));
    EXPECT_FALSE(panel->resultLabel()->text().contains("Stale"));
    // Clicking a decoded frame selects its test sample.
    QSignalSpy selected(&window.selection(), &SampleSelection::changed);
    QWidget* canvas = panel->strip()->widget();
    QTest::mouseClick(canvas, Qt::LeftButton, Qt::NoModifier, QPoint(8 + 3 * 136 + 20, 20));
    ASSERT_GE(selected.count(), 1);
    EXPECT_EQ(window.selection().current(),
              (Sample{3, 3}));  // test repeat 3 (the last of 4), bin 3

    // The errors colour the scatter: the test repeat's samples by |decoded - true|, the others
    // none.
    const auto result = decoded.last().at(0).value<std::shared_ptr<const DecodeResult>>();
    ASSERT_TRUE(panel->colourButton()->isEnabled());
    panel->colourButton()->click();
    EmbeddingPanel* embedding = window.embedding();
    EXPECT_EQ(embedding->colourBy()->currentData().toString(), QString("error"));
    if (const char* dir = std::getenv("NEUROLENS_TEST_SCREENSHOTS")) {
        QTest::qWait(300);
        window.grab().save(QString::fromLocal8Bit(dir) + "/decoding-error-colours.png");
    }
    VtkScatterView* view = embedding->view();
    EXPECT_TRUE(std::isnan(view->value(0)));  // repeat 0 was not tested
    for (int b : {0, 7, 149}) {
        const double decodedFrame =
            std::clamp(std::round(result->predicted[std::size_t(b)]), 0.0, 149.0);
        EXPECT_FLOAT_EQ(view->value(3 * 150 + b),
                        float(std::abs(decodedFrame - result->truth[std::size_t(b)])))
            << b;
    }

    // A sweep of the number of PCs fills the sweep chart with one point per value; a bad value is
    // reported, not run.
    QSignalSpy failed(panel, &DecoderPanel::failed);
    panel->sweepParameter()->setCurrentIndex(panel->sweepParameter()->findData("pcs"));
    panel->sweepValues()->setText("1, 2 x");
    panel->runSweep();
    EXPECT_EQ(failed.count(), 1);
    panel->sweepValues()->setText("5 1 2");
    panel->runSweep();
    ASSERT_TRUE(waitUntil([&] { return panel->sweepChart()->points().size() == 3; }, 60000));
    EXPECT_EQ(panel->sweepChart()->points().front().value, 1.0);  // sorted
    EXPECT_EQ(panel->sweepChart()->chart()->series().size(), 4);  // chance, train, test, best
    for (const SweepPoint& p : panel->sweepChart()->points())
        EXPECT_GE(p.train.within, p.test.within - 0.2);

    // For a person to look at: NEUROLENS_TEST_SCREENSHOTS=DIR saves the window with the panel.
    if (const char* dir = std::getenv("NEUROLENS_TEST_SCREENSHOTS")) {
        window.findChild<QDockWidget*>("DecodingDock")->show();
        window.resize(1600, 1000);
        QTest::qWait(500);
        window.grab().save(QString::fromLocal8Bit(dir) + "/decoder.png");
    }
}

TEST(MainWindow, ArrowKeysStepTheSelectedSampleAndPlusMinusKeepTheSizeBoxTrue)
{
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    openSmall(window);
    VtkScatterView* view = window.embedding()->view();
    const AnalysisPtr analysis = window.analyses().current();
    const int binsPerFrame = analysis->bins() / analysis->pre.recording.frames();
    window.selection().select({2, 17});
    QTest::keyClick(view, Qt::Key_Right);
    EXPECT_EQ(window.selection().current(), (Sample{2, 17 + binsPerFrame}));
    QTest::keyClick(view, Qt::Key_Left);
    QTest::keyClick(view, Qt::Key_Left);
    EXPECT_EQ(window.selection().current(), (Sample{2, 17 - binsPerFrame}));
    QTest::keyClick(view, Qt::Key_Left, Qt::ShiftModifier);
    EXPECT_EQ(window.selection().current(), (Sample{1, 17 - binsPerFrame}));
    QTest::keyClick(view, Qt::Key_Right, Qt::ShiftModifier);
    QTest::keyClick(view, Qt::Key_Right, Qt::ShiftModifier);
    QTest::keyClick(view, Qt::Key_Right, Qt::ShiftModifier);
    EXPECT_EQ(window.selection().current().repeat, analysis->repeats() - 1);  // stops at the last
    const int size = window.embedding()->pointSize()->value();
    QTest::keyClick(view, Qt::Key_Plus);
    QTest::keyClick(view, Qt::Key_Plus);
    EXPECT_EQ(window.embedding()->pointSize()->value(), size + 2);
    EXPECT_EQ(view->pointSize(), size + 2);
}

TEST(MainWindow, AClickedUnitIsOutlinedInTheRasterAndShownOnItsOwn)
{
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.resize(1366, 768);
    window.show();
    openSmall(window);
    const AnalysisPtr analysis = window.analyses().current();
    // A row of the unit table (sorted by id: the view's row is the analysis' unit).
    QTableView* table = window.browser()->table();
    const QModelIndex cell = table->model()->index(3, 0);
    QTest::mouseClick(table->viewport(), Qt::LeftButton, Qt::NoModifier,
                      table->visualRect(cell).center());
    const int unit = window.unitPanel()->unit();
    ASSERT_GE(unit, 0);
    EXPECT_EQ(window.raster()->view()->highlightedUnit(), unit);
    EXPECT_TRUE(window.findChild<QDockWidget*>("UnitDock")->isVisible());
    const UnitView::Unit& shown = window.unitPanel()->view()->unit();
    ASSERT_EQ(shown.repeatsByBins.rows(), analysis->repeats());
    ASSERT_EQ(shown.repeatsByBins.cols(), analysis->bins());
    EXPECT_EQ(shown.repeatsByBins(2, 17), analysis->pre.recording.responses.at(2, 17, unit));
    EXPECT_TRUE(
        shown.title.contains(QString::number(analysis->pre.recording.units.id[std::size_t(unit)])));
    EXPECT_TRUE(shown.facts.join(' ').contains("rate")) << shown.facts.join(' ').toStdString();
    // A click on a raster row shows that row's unit.
    RasterView* raster = window.raster()->view();
    QSignalSpy clicked(raster, &RasterView::unitClicked);
    QTest::mouseClick(raster, Qt::LeftButton, Qt::NoModifier, QPoint(raster->width() / 2, 20));
    ASSERT_EQ(clicked.count(), 1);
    EXPECT_EQ(window.unitPanel()->unit(), clicked.at(0).at(0).toInt());
    if (const char* dir = std::getenv("NEUROLENS_TEST_SCREENSHOTS")) {
        QTest::qWait(300);
        window.grab().save(QString::fromLocal8Bit(dir) + "/unit-view.png");
    }
}

// A recording with behaviour: each series is a "Colour by" choice, and choosing it paints every
// point with its bin's value.
TEST(MainWindow, BehaviourColoursTheScatter)
{
    test::TempDir dir;
    Recording rec = test::smallRecording(3, 12, 4, 1);
    std::vector<float> speed(std::size_t(rec.responses.samples()));
    for (std::size_t i = 0; i < speed.size(); ++i) speed[i] = 0.5f * float(i);
    rec.behaviour["running_speed"] = speed;
    const std::string path = dir.file("running.neurolens.h5");
    writeNative(rec, path);
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    QSignalSpy ready(&window, &MainWindow::viewsReady);
    window.openFiles({QString::fromStdString(path)});
    ASSERT_TRUE(ready.wait(30000));
    QComboBox* colourBy = window.embedding()->colourBy();
    const int i = colourBy->findData(QStringLiteral("behaviour:running_speed"));
    ASSERT_GE(i, 0);
    EXPECT_EQ(colourBy->itemText(i), QString("Running speed"));
    colourBy->setCurrentIndex(i);
    QCoreApplication::processEvents();
    const VtkScatterView* view = window.embedding()->view();
    ASSERT_EQ(view->pointCount(), int(speed.size()));
    EXPECT_FLOAT_EQ(view->value(7), speed[7]);
}
