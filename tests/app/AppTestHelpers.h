#pragma once
// Helpers shared by the app tests (one QApplication per process, see AppTestMain.cpp).

#include "MainWindow.h"

#include <QElapsedTimer>
#include <QSignalSpy>
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

}  // namespace neurolens::test
