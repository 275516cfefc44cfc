// The main window under a real (virtual) X server: loading off the GUI thread, the summary it shows,
// errors reported without blocking, cancel.

#include "TestSupport.h"

#include "MainWindow.h"
#include "neurolens/widgets/RecordingSummaryView.h"

#include <QApplication>
#include <QSignalSpy>

#include <gtest/gtest.h>

#include <fstream>

using namespace neurolens;

namespace {
class MainWindowTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        static int argc = 1;
        static char name[] = "test_app";
        static char* argv[] = {name, nullptr};
        if (!QApplication::instance()) app_ = new QApplication(argc, argv);
    }
    static QApplication* app_;
};
QApplication* MainWindowTest::app_ = nullptr;
}  // namespace

TEST_F(MainWindowTest, LoadsTheSimulatedSessionOffTheGuiThread)
{
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    QSignalSpy loaded(&window.datasets(), &DatasetController::loaded);
    window.datasets().openSimulatedSession(1);
    EXPECT_TRUE(window.datasets().busy());
    ASSERT_TRUE(loaded.wait(60000));
    EXPECT_EQ(window.summaryView()->field("units"), "800");
    EXPECT_EQ(window.summaryView()->field("repeats"), "10");
    EXPECT_EQ(window.summaryView()->field("frames"), "900");
    EXPECT_TRUE(window.summaryView()->field("areas").startsWith("VISp"));
    EXPECT_TRUE(window.windowTitle().contains("simulated"));
}

TEST_F(MainWindowTest, UnreadableFileIsReportedAndTheAppKeepsWorking)
{
    test::TempDir dir;
    const std::string bad = dir.file("bad.h5");
    std::ofstream(bad) << "not hdf5";
    MainWindow window;
    window.setShowErrorDialogs(false);
    QSignalSpy failed(&window.datasets(), &DatasetController::loadFailed);
    QSignalSpy idle(&window.datasets(), &DatasetController::idle);
    window.datasets().openFiles({QString::fromStdString(bad), QString::fromStdString(dir.file("missing.h5"))});
    while (idle.count() == 0) ASSERT_TRUE(idle.wait(20000));
    ASSERT_EQ(failed.count(), 2);
    EXPECT_TRUE(failed.at(0).at(1).toString().contains("not an HDF5 file"));
    EXPECT_TRUE(window.lastError().contains("no such file"));
    EXPECT_FALSE(window.datasets().busy());
}

TEST_F(MainWindowTest, CancelStopsALoad)
{
    MainWindow window;
    QSignalSpy cancelled(&window.datasets(), &DatasetController::loadCancelled);
    QSignalSpy loaded(&window.datasets(), &DatasetController::loaded);
    window.datasets().openSimulatedSession(2);
    window.datasets().cancel();
    ASSERT_TRUE(cancelled.wait(20000));
    EXPECT_EQ(loaded.count(), 0);
    EXPECT_FALSE(window.datasets().busy());
}
