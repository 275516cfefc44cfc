// The Behaviour dock: the simulated session's running speed and pupil area listed, decoded on a
// worker with their controls, the trace drawn, the tuned field following its checkbox, and the
// decoding exported as a table.
#include "AppTestHelpers.h"
#include "TestSupport.h"

#include "BehaviourPanel.h"
#include "MainWindow.h"
#include "SignificancePanel.h"
#include "TrainingDock.h"
#include "TrainingForms.h"

#include "neurolens/io/ResultTables.h"

#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

using namespace neurolens;
using namespace neurolens::test;

TEST(MainWindow, BehaviourDockDecodesRunningSpeedWithItsControls)
{
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    openSmall(window);
    // CEBRA's and the significance curve's label lists offer each series and both together.
    for (QComboBox* labels :
         {window.training()->cebraForm()->conditional(), window.significance()->conditional()}) {
        EXPECT_GE(labels->findData("behaviour:running_speed"), 0);
        EXPECT_GE(labels->findData("behaviour:pupil_area,running_speed"), 0);
    }
    BehaviourPanel* panel = window.behaviour();
    ASSERT_EQ(panel->behaviour()->count(), 2);
    EXPECT_EQ(panel->behaviour()->itemData(0).toString(), "pupil_area");
    EXPECT_EQ(panel->behaviour()->itemData(1).toString(), "running_speed");
    panel->behaviour()->setCurrentIndex(1);
    ASSERT_TRUE(panel->runButton()->isEnabled());
    QSignalSpy decoded(panel, &BehaviourPanel::decoded);
    panel->runButton()->click();
    ASSERT_TRUE(decoded.wait(60000));
    const auto& r = panel->result();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->options.behaviour, "running_speed");
    EXPECT_EQ(r->options.model, "ridge");
    EXPECT_EQ(r->tuned, "alpha");
    EXPECT_EQ(r->testRepeats, std::vector<int>{3});  // openSmall: 4 repeats
    EXPECT_EQ(r->shuffles, 5);
    EXPECT_FALSE(panel->metrics()->item(0, 0)->text().isEmpty());
    EXPECT_TRUE(panel->summary()->text().contains("shuffles"));
    int lines = 0;
    for (QAbstractSeries* s : panel->chart()->chart()->series())
        lines += qobject_cast<QLineSeries*>(s) != nullptr;
    EXPECT_EQ(lines, 2);  // true and decoded
    const ResultTable t = behaviourDecodingTable(panel->resultAnalysis()->pre.recording, *r);
    EXPECT_EQ(t.kind, "behaviour_decoding");
    EXPECT_EQ(t.names[4], "true_running_speed");

    // A fixed alpha: the checkbox off passes the field's value.
    panel->choose()->setChecked(false);
    EXPECT_EQ(panel->options().parameters.numbers.count("alpha"), 1u);
    panel->choose()->setChecked(true);
    EXPECT_EQ(panel->options().parameters.numbers.count("alpha"), 0u);
    panel->model()->setCurrentIndex(panel->model()->findData("knn"));
    EXPECT_EQ(panel->options().model, "knn");

    // A behaviour log dropped onto the window joins the recording on screen through its session
    // clock (the simulated repeats run back to back from 0 s, 5 s each) and reaches the panels.
    TempDir tmp;
    const std::string csv = tmp.file("log.csv");
    {
        std::ofstream f(csv);
        f << "time,treadmill\n";
        for (int i = 0; i <= 1000; ++i) f << i * 0.02 << "," << (i % 50) * 0.1 << "\n";
    }
    window.openFiles({QString::fromStdString(csv)});
    ASSERT_TRUE(waitUntil([&] { return panel->behaviour()->findData("treadmill") >= 0; }, 60000));
    EXPECT_EQ(panel->behaviour()->count(), 3);
    EXPECT_FALSE(panel->result());  // made on the samples before: cleared
    if (const char* dir = std::getenv("NEUROLENS_TEST_SCREENSHOTS")) {
        window.findChild<QDockWidget*>("BehaviourDock")->show();
        window.findChild<QDockWidget*>("BehaviourDock")->raise();
        window.resize(1600, 1000);
        QTest::qWait(500);
        window.grab().save(QString::fromLocal8Bit(dir) + "/behaviour.png");
    }
}
