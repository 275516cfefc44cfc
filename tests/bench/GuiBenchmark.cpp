// GUI benchmarks (run under Xvfb by run-benchmarks.sh, never by ctest):
//  1. rotation: frames per second while a 36 000-point cloud (the simulated session at 120 Hz: 10
//     repeats x 3600 bins, first three PCs) turns 2 degrees per frame in the main window's 3D view;
//  2. stall: the longest gap between ticks of a 5 ms timer on the GUI thread while the analysis of
//     the default session (preprocessing + PCA) runs on its worker thread and its result is shown.
// Prints one JSON object.

#include "AnalysisController.h"
#include "EmbeddingPanel.h"
#include "MainWindow.h"

#include "neurolens/preprocess/Preprocess.h"
#include "neurolens/sim/Simulator.h"
#include "neurolens/widgets/VtkScatterView.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSignalSpy>
#include <QSurfaceFormat>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace neurolens;

namespace {

// Frames per second while the main window's 3D view (default window size) turns a 36 000-point
// cloud: the simulated session analysed at 120 Hz (bin size 1). Each frame waits until Qt has
// composed and swapped it, so this is what a user sees.
double rotationFps(QSize* viewSize)
{
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    QSignalSpy ready(&window, &MainWindow::viewsReady);
    window.openSimulatedSession();
    ready.wait(120000);
    PreprocessOptions options;
    options.bin = 1;
    window.analyses().analyse(window.datasets().current(), options);
    ready.wait(120000);
    VtkScatterView* view = window.embedding()->view();
    *viewSize = view->size();
    QSignalSpy swapped(view, &QOpenGLWidget::frameSwapped);
    view->rotateBy(2.0);
    swapped.wait(5000);
    const int frameCount = 180;
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < frameCount; ++i) {
        view->rotateBy(2.0);
        if (!swapped.wait(5000)) break;
    }
    std::fprintf(stderr, "rotation: %d points in a %d x %d view\n", view->pointCount(),
                 view->width(), view->height());
    return frameCount / (clock.nsecsElapsed() / 1e9);
}

double longestStallMs()
{
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.show();
    QSignalSpy ready(&window, &MainWindow::viewsReady);
    window.openSimulatedSession();
    ready.wait(120000);
    // Re-run the analysis with other settings and watch the GUI thread's event loop meanwhile.
    QElapsedTimer clock;
    qint64 last = 0, longest = 0;
    QTimer ticker;
    ticker.setInterval(5);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        longest = std::max(longest, now - last);
        if (qEnvironmentVariableIsSet("NEUROLENS_BENCH_VERBOSE") && now - last > 25000000)
            std::fprintf(stderr, "gap %.1f ms ending at %.1f ms\n", (now - last) / 1e6, now / 1e6);
        last = now;
    });
    PreprocessOptions options;
    options.topVariance = 0.95;
    clock.start();
    ticker.start();
    QSignalSpy again(&window, &MainWindow::viewsReady);
    QObject::connect(&window.analyses(), &AnalysisController::analysed, [&] {
        if (qEnvironmentVariableIsSet("NEUROLENS_BENCH_VERBOSE"))
            std::fprintf(stderr, "analysed at %.1f ms\n", clock.nsecsElapsed() / 1e6);
    });
    QObject::connect(&window, &MainWindow::viewsReady, [&] {
        if (qEnvironmentVariableIsSet("NEUROLENS_BENCH_VERBOSE"))
            std::fprintf(stderr, "views ready at %.1f ms\n", clock.nsecsElapsed() / 1e6);
    });
    window.analyses().analyse(window.datasets().current(), options);
    again.wait(120000);
    QEventLoop settle;
    QTimer::singleShot(200, &settle, &QEventLoop::quit);
    settle.exec();
    ticker.stop();
    return longest / 1e6;
}

}  // namespace

int main(int argc, char** argv)
{
    QSurfaceFormat::setDefaultFormat(VtkScatterView::defaultFormat());
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("neurolens-bench"));
    QSize viewSize;
    const double fps = rotationFps(&viewSize);
    const double stall = longestStallMs();
    std::printf(
        "{\"rotation_points\": 36000, \"view\": \"%dx%d\", \"rotation_fps\": %.1f, "
        "\"analysis_longest_gui_stall_ms\": %.1f}\n",
        viewSize.width(), viewSize.height(), fps, stall);
    return 0;
}
