// neurolens: the desktop application. With no file arguments it opens the built-in simulated
// session.
//   neurolens [FILE...] [--screenshot PATH [--size WxH]]
// --screenshot: once every view is computed and drawn, save a PNG of the main window and quit.
// --startup-times: print when the window was shown and when every view was drawn (seconds since
// the process started, loading and re-execution included), then quit.

#include "MainWindow.h"

#include "neurolens/jobs/ThreadEnvironment.h"
#include "neurolens/widgets/VtkScatterView.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QRegularExpression>
#include <QSurfaceFormat>
#include <QTimer>

#include <unistd.h>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

namespace {

// Seconds since this process started (from /proc: the kernel's start time, in clock ticks since
// boot), so that start-up times include loading the libraries; -1 where /proc is missing.
double secondsSinceProcessStart()
{
    std::ifstream stat("/proc/self/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto close = text.rfind(')');  // the command name may hold spaces
    if (close == std::string::npos) return -1;
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    for (int i = 3; i <= 22 && fields >> field; ++i)
        if (i == 22) {
            timespec now{};
            clock_gettime(CLOCK_BOOTTIME, &now);
            return double(now.tv_sec) + now.tv_nsec * 1e-9 -
                   std::stod(field) / double(sysconf(_SC_CLK_TCK));
        }
    return -1;
}

}  // namespace

int main(int argc, char** argv)
{
    neurolens::settleThreadEnvironment(argv);
    // VTK needs an OpenGL 3.2 core context: the default format must be set before QApplication
    // exists.
    QSurfaceFormat::setDefaultFormat(neurolens::VtkScatterView::defaultFormat());
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("neurolens"));
    QApplication::setOrganizationName(QStringLiteral("neurolens"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/neurolens/icons/neurolens.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Explore how a visual-cortex population encodes a movie."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("Save a PNG of the window once every view is drawn, then quit."),
        QStringLiteral("path"));
    const QCommandLineOption size(QStringLiteral("size"),
                                  QStringLiteral("Window size for --screenshot, e.g. 1600x1000."),
                                  QStringLiteral("WxH"));
    const QCommandLineOption startupTimes(
        QStringLiteral("startup-times"),
        QStringLiteral("Print when the window was shown and every view drawn, then quit."));
    parser.addOption(screenshot);
    parser.addOption(size);
    parser.addOption(startupTimes);
    parser.addPositionalArgument(QStringLiteral("files"), QStringLiteral("Recordings to open."),
                                 QStringLiteral("[files...]"));
    parser.process(app);

    neurolens::MainWindow window;
    const QString shot = parser.value(screenshot);
    if (!shot.isEmpty()) {
        window.setShowErrorDialogs(false);
        window.setAskReadOptions(false);
        const auto match =
            QRegularExpression(QStringLiteral("^(\\d+)x(\\d+)$")).match(parser.value(size));
        if (match.hasMatch()) window.resize(match.captured(1).toInt(), match.captured(2).toInt());
        auto save = [&window, shot](int code) {
            QTimer::singleShot(300, &window, [&window, shot, code] {
                const bool ok = window.grab().save(shot);
                if (!ok) std::fprintf(stderr, "neurolens: cannot write %s\n", qPrintable(shot));
                QApplication::exit(ok ? code : 1);
            });
        };
        QObject::connect(&window, &neurolens::MainWindow::viewsReady, &window, [save] { save(0); });
        QObject::connect(&window.datasets(), &neurolens::DatasetController::loadFailed, &window,
                         [save](const QString& path, const QString& message) {
                             std::fprintf(stderr, "neurolens: %s: %s\n", qPrintable(path),
                                          qPrintable(message));
                             save(3);
                         });
        QObject::connect(&window.analyses(), &neurolens::AnalysisController::failed, &window,
                         [save](const QString& message) {
                             std::fprintf(stderr, "neurolens: %s\n", qPrintable(message));
                             save(4);
                         });
    }
    if (parser.isSet(startupTimes)) {
        window.setShowErrorDialogs(false);
        window.setAskReadOptions(false);
        QTimer::singleShot(0, &window, [] {
            std::fprintf(stderr, "neurolens: window shown after %.2f s\n",
                         secondsSinceProcessStart());
        });
        QObject::connect(&window, &neurolens::MainWindow::viewsReady, &window, [] {
            std::fprintf(stderr, "neurolens: every view drawn after %.2f s\n",
                         secondsSinceProcessStart());
            QApplication::exit(0);
        });
    }
    window.show();
    const QStringList files = parser.positionalArguments();
    if (files.isEmpty())
        window.openSimulatedSession();
    else
        window.openFiles(files);
    return QApplication::exec();
}
