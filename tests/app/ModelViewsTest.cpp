// The views that run models in the background, under a real (virtual) X server: t-SNE streamed into
// the embedding view, the training dock (VAE, CEBRA) and the alignment view.

#include "AppTestHelpers.h"
#include "TestSupport.h"

#include "AlignmentPanel.h"
#include "DecoderPanel.h"
#include "EmbeddingJob.h"
#include "EmbeddingPanel.h"
#include "MainWindow.h"
#include "MethodControls.h"
#include "PreprocessPanel.h"
#include "RasterPanel.h"
#include "RepeatSplitEditor.h"
#include "SessionController.h"
#include "SignificancePanel.h"
#include "TrainingDock.h"
#include "TrainingJob.h"
#include "UnitPanel.h"
#include "UnsavedWork.h"

#include "neurolens/embed/EmbeddingMethod.h"
#include "neurolens/widgets/ParameterForm.h"

#include "neurolens/widgets/RasterView.h"
#include "neurolens/widgets/UnitView.h"
#include "neurolens/widgets/VtkScatterView.h"

#include <QApplication>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QTimer>

#include <gtest/gtest.h>

#include <cstdlib>

using namespace neurolens;
using neurolens::test::openSmall;
using neurolens::test::trainCebraFromDock;
using neurolens::test::waitUntil;

TEST(MainWindow, TsneStreamsIntoTheViewAndPausesResumesAndCancels)
{
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    openSmall(window);
    EmbeddingPanel* panel = window.embedding();
    EmbeddingJob* job = panel->job();
    QSignalSpy layouts(job, &EmbeddingJob::layoutChanged);
    QSignalSpy finished(job, &EmbeddingJob::finished);
    MethodControls* controls = panel->methodControls();
    controls->setMethod("tsne");
    Parameters iterations;
    iterations.numbers["iterations"] = 3000;
    controls->form()->setValues(iterations);
    panel->method()->setCurrentIndex(panel->method()->findData("tsne"));  // starts it
    ASSERT_TRUE(job->busy());
    ASSERT_TRUE(layouts.wait(30000));
    EXPECT_EQ(panel->view()->pointCount(), 600);  // the layout is in the view while it optimises
    EXPECT_EQ(panel->view()->dimensions(), 3);

    // Paused: no layout arrives; resumed: they flow again.
    controls->pauseButton()->click();
    ASSERT_TRUE(job->paused());
    QTest::qWait(150);  // let frames already posted arrive
    const int before = layouts.count();
    QTest::qWait(400);
    EXPECT_EQ(layouts.count(), before);
    controls->pauseButton()->click();
    ASSERT_FALSE(job->paused());
    ASSERT_TRUE(waitUntil([&] { return layouts.count() > before; }, 10000));
    // At most ~25 layouts a second reach the GUI.
    QElapsedTimer clock;
    clock.start();
    const int counted = layouts.count();
    QTest::qWait(1000);
    EXPECT_LE(layouts.count() - counted, int(clock.elapsed() / 40) + 2);

    // Cancel stops it and keeps the last layout in the view.
    QSignalSpy cancelled(job, &EmbeddingJob::cancelled);
    controls->cancelButton()->click();
    ASSERT_TRUE(cancelled.wait(10000));
    EXPECT_FALSE(job->busy());
    EXPECT_EQ(finished.count(), 0);
    EXPECT_EQ(panel->view()->pointCount(), 600);

    // A 2D run to the end: the final layout is shown and the status names its KL divergence.
    iterations.numbers["iterations"] = 400;
    controls->form()->setValues(iterations);
    panel->dims()->setCurrentIndex(panel->dims()->findData(2));  // restarts in 2D
    ASSERT_TRUE(finished.wait(60000));
    ASSERT_TRUE(panel->layout("tsne"));
    EXPECT_EQ(panel->layout("tsne")->cols(), 2);
    EXPECT_EQ(panel->view()->dimensions(), 2);
    EXPECT_TRUE(controls->status().contains("KL divergence"));
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

TEST(MainWindow, UnsavedWorkIsAskedAboutBeforeApplyAndOnClose)
{
    const test::TempDir dir;
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    openSmall(window);
    // A t-SNE layout computed: work a session would keep, not saved yet.
    EmbeddingPanel* panel = window.embedding();
    QSignalSpy finished(panel->job(), &EmbeddingJob::finished);
    Parameters iterations;
    iterations.numbers["iterations"] = 250;
    panel->methodControls()->setMethod("tsne");
    panel->methodControls()->form()->setValues(iterations);
    panel->dims()->setCurrentIndex(panel->dims()->findData(2));
    panel->method()->setCurrentIndex(panel->method()->findData("tsne"));
    ASSERT_TRUE(finished.wait(60000));
    UnsavedWork* unsaved = window.unsavedWork();
    ASSERT_EQ(unsaved->items().size(), 1);
    EXPECT_TRUE(window.isWindowModified());

    QStringList asked;
    QMessageBox::StandardButton answer = QMessageBox::Cancel;
    unsaved->setAsk([&](const QString& text, QMessageBox::StandardButtons buttons) {
        asked << text;
        EXPECT_TRUE(buttons.testFlag(QMessageBox::Save));
        return answer;
    });
    QSignalSpy reanalysed(&window.analyses().runner(), &JobRunner::started);
    auto* apply = window.preprocessing()->findChild<QPushButton*>();
    ASSERT_NE(apply, nullptr);
    ASSERT_EQ(apply->text(), QStringLiteral("Apply"));
    // Cancel: nothing recomputed, the layout kept; the window does not close.
    apply->click();
    ASSERT_EQ(asked.size(), 1);
    EXPECT_TRUE(asked[0].contains(QStringLiteral("t-SNE layout"))) << asked[0].toStdString();
    EXPECT_EQ(reanalysed.count(), 0);
    EXPECT_TRUE(panel->layout("tsne"));
    EXPECT_FALSE(window.close());
    EXPECT_TRUE(window.isVisible());
    EXPECT_EQ(asked.size(), 2);

    // Saved: nothing is unsaved, nothing asked.
    window.saveSessionAs(QString::fromStdString(dir.file("s.neurolens-session")));
    EXPECT_TRUE(unsaved->items().isEmpty());
    EXPECT_FALSE(window.isWindowModified());
    // Save from the question: the session is written, then the analysis recomputed.
    unsaved->note(QStringLiteral("the trained model “cebra”"));
    answer = QMessageBox::Save;
    apply->click();
    EXPECT_EQ(asked.size(), 3);
    EXPECT_TRUE(unsaved->items().isEmpty());
    EXPECT_EQ(reanalysed.count(), 1);
    // Discard: the window closes.
    unsaved->note(QStringLiteral("the trained model “cebra”"));
    answer = QMessageBox::Discard;
    EXPECT_TRUE(window.close());
    EXPECT_EQ(asked.size(), 4);

    // The question as a user sees it (its default dialog), kept for a look when asked.
    if (const char* shots = std::getenv("NEUROLENS_TEST_SCREENSHOTS")) {
        UnsavedWork real(&window);
        real.note(QStringLiteral("the t-SNE layout"));
        real.note(QStringLiteral("the trained model “cebra”"));
        QTimer::singleShot(300, [shots] {
            if (QWidget* box = QApplication::activeModalWidget()) {
                box->grab().save(QString::fromLocal8Bit(shots) + "/unsaved-work.png");
                box->close();
            }
        });
        EXPECT_FALSE(real.confirm(QStringLiteral("Closing the window"), [] { return false; }));
    }
}

TEST(MainWindow, ClosingWhileATrainingRunsAsksFirst)
{
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    openSmall(window);
    TrainingDock* dock = window.training();
    dock->model()->setCurrentIndex(dock->model()->findData("cebra"));
    dock->iterations()->setValue(100000);
    dock->cebraBatch()->setValue(64);
    QSignalSpy started(&dock->job()->runner(), &JobRunner::started);
    dock->startButton()->click();
    ASSERT_TRUE(dock->job()->busy() || started.wait(10000));
    QStringList asked;
    QMessageBox::StandardButton answer = QMessageBox::Cancel;
    window.unsavedWork()->setAsk([&](const QString& text, QMessageBox::StandardButtons buttons) {
        asked << text;
        EXPECT_FALSE(buttons.testFlag(QMessageBox::Save));  // nothing to save while it runs
        return answer;
    });
    // Cancel: the window stays and the training goes on.
    EXPECT_FALSE(window.close());
    ASSERT_EQ(asked.size(), 1);
    EXPECT_TRUE(asked[0].contains(QStringLiteral("the training"))) << asked[0].toStdString();
    EXPECT_TRUE(window.isVisible());
    EXPECT_TRUE(dock->job()->busy());
    // Discard: the window closes (and the training is stopped with it).
    answer = QMessageBox::Discard;
    EXPECT_TRUE(window.close());
    EXPECT_EQ(asked.size(), 2);
}

TEST(MainWindow, ASessionBringsBackTheTrainingCurvesAndLog)
{
    const test::TempDir dir;
    const QString path = QString::fromStdString(dir.file("trained.neurolens-session"));
    std::size_t points = 0;
    QString log;
    {
        MainWindow window;
        window.setShowErrorDialogs(false);
        window.show();
        openSmall(window);
        const auto outcome = trainCebraFromDock(window, 300, 64);
        ASSERT_TRUE(outcome);
        points = outcome->model->history().size();
        log = window.training()->log()->toPlainText();
        window.saveSessionAs(path);
        ASSERT_TRUE(window.lastError().isEmpty()) << window.lastError().toStdString();
    }
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    QSignalSpy restored(window.sessions(), &SessionController::sessionRestored);
    window.openSession(path);
    ASSERT_TRUE(restored.wait(60000));
    TrainingDock* dock = window.training();
    EXPECT_TRUE(dock->cebraSelected());
    const auto series = dock->lossChart()->chart()->series();
    ASSERT_FALSE(series.isEmpty());
    EXPECT_EQ(std::size_t(static_cast<QLineSeries*>(series[0])->count()), points);
    EXPECT_TRUE(dock->log()->toPlainText().startsWith(log))
        << dock->log()->toPlainText().toStdString();
    EXPECT_TRUE(dock->log()->toPlainText().contains(QStringLiteral("step 100")));
    if (const char* shots = std::getenv("NEUROLENS_TEST_SCREENSHOTS")) {
        window.resize(1600, 1000);
        QTest::qWait(300);
        dock->resize(520, 900);
        dock->grab().save(QString::fromLocal8Bit(shots) + "/session-training.png");
    }
}

TEST(MainWindow, EveryRegisteredEmbeddingMethodIsOfferedAndRuns)
{
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    openSmall(window);
    EmbeddingPanel* panel = window.embedding();
    for (const EmbeddingSpec& m : embeddingMethods())
        EXPECT_GE(panel->method()->findData(QString::fromStdString(m.name)), 0) << m.name;
    // Factor analysis: no code of its own in the window; its parameters come from the registry.
    QSignalSpy finished(panel->job(), &EmbeddingJob::finished);
    panel->method()->setCurrentIndex(panel->method()->findData("fa"));
    ASSERT_TRUE(finished.wait(60000));
    ASSERT_TRUE(panel->layout("fa"));
    EXPECT_EQ(panel->layout("fa")->cols(), 3);
    EXPECT_EQ(panel->view()->pointCount(), 600);
    EXPECT_EQ(panel->shownName(), QString("fa"));
    EXPECT_TRUE(panel->methodControls()->status().contains("factors share"))
        << panel->methodControls()->status().toStdString();
    ASSERT_NE(panel->methodControls()->form()->field("tol"), nullptr);
    EXPECT_FALSE(panel->methodControls()->pauseButton()->isVisible());  // it does not stream
    // A bad request is reported in the status, not thrown: more factors than the view's 3 cannot be
    // asked here, so ask t-SNE for a perplexity the 600 samples cannot give.
    Parameters perplexity;
    perplexity.numbers["perplexity"] = 500;
    panel->methodControls()->setMethod("tsne");
    panel->methodControls()->form()->setValues(perplexity);
    QSignalSpy failed(panel->job(), &EmbeddingJob::failed);
    panel->method()->setCurrentIndex(panel->method()->findData("tsne"));
    ASSERT_TRUE(failed.wait(30000));
    EXPECT_TRUE(panel->methodControls()->status().contains("failed"))
        << panel->methodControls()->status().toStdString();
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
    ASSERT_TRUE(waitUntil([&] { return window.embedding()->method()->findData("result:vae") >= 0; },
                          10000));
    window.embedding()->method()->setCurrentIndex(
        window.embedding()->method()->findData("result:vae"));
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
    ASSERT_TRUE(waitUntil([&] { return epochs.count() > 5; }, 60000))
        << dock->log()->toPlainText().toStdString();
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
    dock->model()->setCurrentIndex(dock->model()->findData("cebra"));
    EXPECT_EQ(dock->resultName()->text(), QString("cebra"));
    const auto outcome = trainCebraFromDock(window, 300, 128);
    ASSERT_TRUE(outcome);
    auto* loss = qobject_cast<QLineSeries*>(dock->lossChart()->chart()->series().first());
    ASSERT_TRUE(loss);
    EXPECT_EQ(loss->count(), 3);  // one point per 100 steps
    int knnPoints = 0;
    for (QAbstractSeries* s : dock->scoreChart()->chart()->series())
        if (s->isVisible()) knnPoints += qobject_cast<QLineSeries*>(s)->count();
    EXPECT_GE(knnPoints, 1);  // the validation kNN score
    ASSERT_TRUE(outcome->cebra());
    EXPECT_FALSE(outcome->vae());
    EXPECT_GT(outcome->cebra()->knn.within, outcome->cebra()->knn.chanceWithin);
    // Issue #18: the split it trained on, shown in the dock, and the controls on the encoder
    // itself.
    EXPECT_EQ(outcome->split.train, (std::vector<int>{0}));
    EXPECT_EQ(outcome->split.test, (std::vector<int>{3}));
    EXPECT_TRUE(dock->split()->summary()->text().contains("train 0, validation 1-2, test 3"));
    EXPECT_EQ(outcome->cebra()->controls.shuffleWithin.size(), 2u);
    EXPECT_TRUE(outcome->cebra()->controls.timeOnlyRan);
    EXPECT_TRUE(dock->heldOut()->text().contains("shuffled labels"));
    EXPECT_TRUE(dock->heldOut()->text().contains("CEBRA-Time"));
    // A split that does not make one (a repeat both training and test) disables Start and says why.
    dock->split()->train()->setText("0-2");
    dock->split()->test()->setText("2");
    EXPECT_FALSE(dock->startButton()->isEnabled());
    EXPECT_TRUE(dock->split()->summary()->text().contains("test repeat"));
    dock->split()->train()->clear();
    dock->split()->test()->clear();
    EXPECT_TRUE(dock->startButton()->isEnabled());
    ASSERT_TRUE(waitUntil(
        [&] { return window.embedding()->method()->findData("result:cebra") >= 0; }, 10000));
    window.embedding()->method()->setCurrentIndex(
        window.embedding()->method()->findData("result:cebra"));
    EXPECT_EQ(window.embedding()->view()->pointCount(), 600);
    if (const char* dir = std::getenv("NEUROLENS_TEST_SCREENSHOTS")) {
        window.findChild<QDockWidget*>("TrainingDock")->show();
        window.findChild<QDockWidget*>("TrainingDock")->raise();
        window.resize(1600, 1000);
        QTest::qWait(500);
        window.grab().save(QString::fromLocal8Bit(dir) + "/cebra.png");
        for (QWidget* w = dock->heldOut(); w; w = w->parentWidget())
            if (auto* tabs = qobject_cast<QTabWidget*>(w)) {
                tabs->setCurrentWidget(dock->heldOut());
                break;
            }
        QTest::qWait(200);
        window.grab().save(QString::fromLocal8Bit(dir) + "/cebra-held-out.png");
    }
}

TEST(MainWindow, AlignmentViewScoresUnitsAndColoursTheRaster)
{
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    openSmall(window);
    // A stored embedding: a short CEBRA run from the training dock, tested on the first repeat.
    window.training()->split()->test()->setText("0");
    ASSERT_TRUE(trainCebraFromDock(window, 100, 64));
    AlignmentPanel* panel = window.alignment();
    ASSERT_TRUE(waitUntil([&] { return panel->embedding()->findData("cebra") >= 0; }));
    // It starts on the embedding the scatter shows.
    QComboBox* method = window.embedding()->method();
    for (int i = 0; i < method->count(); ++i)
        if (method->itemText(i).contains(QStringLiteral("cebra"))) method->setCurrentIndex(i);
    EXPECT_EQ(panel->embedding()->currentData().toString(), QString("cebra"));
    panel->embedding()->setCurrentIndex(panel->embedding()->findData("cebra"));
    QSignalSpy aligned(panel, &AlignmentPanel::aligned);
    panel->run();
    ASSERT_TRUE(aligned.wait(60000));
    ASSERT_TRUE(panel->outcome());
    EXPECT_EQ(panel->outcome()->result.r2PerUnit.size(), 111);
    EXPECT_EQ(panel->outcome()->dims, 8);
    // Scored on the repeats the model never saw: its own split, not the default last repeat.
    EXPECT_EQ(panel->outcome()->result.test, (std::vector<int>{0}));
    EXPECT_EQ(panel->outcome()->result.train, (std::vector<int>{1}));
    EXPECT_TRUE(
        window.decoder()->options().testRepeats.empty());  // the responses: the default split
    ASSERT_TRUE(waitUntil([&] { return window.decoder()->features()->findData("cebra") >= 0; }));
    window.decoder()->features()->setCurrentIndex(window.decoder()->features()->findData("cebra"));
    EXPECT_EQ(window.decoder()->options().testRepeats,
              (std::vector<int>{0}));  // the model's latents: its split
    EXPECT_EQ(panel->histogram()->chart()->series().size(),
              2);                               // the embedding and the PCA baseline
    EXPECT_EQ(panel->units()->rowCount(), 20);  // the 10 best and the 10 worst units
    // A unit of the lists shown on its own, with its alignment R².
    QTableWidget* units = panel->units();
    QTest::mouseClick(units->viewport(), Qt::LeftButton, Qt::NoModifier,
                      units->visualItemRect(units->item(0, 0)).center());
    EXPECT_EQ(window.unitPanel()->unit(), units->item(0, 0)->data(Qt::UserRole).toInt());
    EXPECT_TRUE(window.unitPanel()->view()->unit().facts.join(' ').contains("alignment R²"));
    // The raster's units take their R² as a colour strip, and lose it when unticked.
    panel->colourRaster()->setChecked(true);
    EXPECT_EQ(window.raster()->view()->unitAnnotation().size(), 111u);
    EXPECT_FLOAT_EQ(window.raster()->view()->unitAnnotation()[5],
                    float(panel->outcome()->result.r2PerUnit[5]));
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

TEST(MainWindow, SignificanceRunsTheCurveOnAWorkerAndDrawsIt)
{
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    openSmall(window);
    SignificancePanel* panel = window.significance();
    panel->units()->setText("20,all");
    panel->seeds()->setValue(1);
    panel->steps()->setValue(20);
    ASSERT_TRUE(panel->runButton()->isEnabled());
    QSignalSpy computed(panel, &SignificancePanel::computed);
    panel->runButton()->click();
    ASSERT_TRUE(computed.wait(120000));
    ASSERT_TRUE(panel->result());
    EXPECT_EQ(panel->result()->curve.size(), 12u);  // 6 methods x 2 counts
    EXPECT_EQ(panel->result()->split.test, (std::vector<int>{3}));
    int lines = 0;
    for (QAbstractSeries* s : panel->chart()->chart()->series())
        lines += qobject_cast<QLineSeries*>(s) != nullptr;
    EXPECT_EQ(lines, 7);  // six methods and chance
    EXPECT_TRUE(panel->summary()->text().contains("CEBRA"));
    EXPECT_TRUE(panel->summary()->text().contains("beat"));
    // Bad neuron counts say so instead of running.
    QSignalSpy failed(panel, &SignificancePanel::failed);
    panel->units()->setText("ten");
    panel->run();
    EXPECT_EQ(failed.count(), 1);
    if (const char* dir = std::getenv("NEUROLENS_TEST_SCREENSHOTS")) {
        window.findChild<QDockWidget*>("SignificanceDock")->show();
        window.findChild<QDockWidget*>("SignificanceDock")->raise();
        window.resize(1600, 1000);
        QTest::qWait(500);
        window.grab().save(QString::fromLocal8Bit(dir) + "/significance.png");
    }
}
