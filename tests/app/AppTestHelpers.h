#pragma once
// Helpers shared by the app tests (one QApplication per process, see AppTestMain.cpp).

#include "MainWindow.h"
#include "TrainingDock.h"
#include "TrainingJob.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

#include <gtest/gtest.h>

namespace neurolens::test {

// Opens the small simulated session and waits until every view shows it.
inline void openSmall(MainWindow& window)
{
    QSignalSpy ready(&window, &MainWindow::viewsReady);
    window.openSimulatedSession(5, 120, 4, 150);
    ASSERT_TRUE(ready.wait(60000));
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

// Trains a small CEBRA (offset1, frame conditional) from the training dock and waits for it.
inline std::shared_ptr<const TrainingOutcome> trainCebraFromDock(MainWindow& window, int steps,
                                                                 int batch, int dims = 8)
{
    TrainingDock* dock = window.training();
    QSignalSpy finished(dock->job(), &TrainingJob::finished);
    dock->model()->setCurrentIndex(dock->model()->findData("cebra"));
    dock->conditional()->setCurrentIndex(dock->conditional()->findData("frame"));
    dock->architecture()->setCurrentIndex(dock->architecture()->findData("offset1"));
    dock->iterations()->setValue(steps);
    dock->cebraBatch()->setValue(batch);
    dock->cebraDims()->setValue(dims);
    dock->startButton()->click();
    if (!finished.wait(120000)) {
        ADD_FAILURE() << dock->log()->toPlainText().toStdString();
        return nullptr;
    }
    return finished.last().at(0).value<std::shared_ptr<const TrainingOutcome>>();
}

}  // namespace neurolens::test
