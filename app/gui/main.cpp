// neurolens: the desktop application. With no file arguments it opens the built-in simulated
// session.
//   neurolens [FILE...] [--screenshot PATH [--size WxH]]
// --screenshot: once every view is computed and drawn, save a PNG of the main window and quit.

#include "MainWindow.h"

#include "neurolens/jobs/ThreadEnvironment.h"
#include "neurolens/widgets/VtkScatterView.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QRegularExpression>
#include <QSurfaceFormat>
#include <QTimer>

#include <cstdio>

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
    parser.addOption(screenshot);
    parser.addOption(size);
    parser.addPositionalArgument(QStringLiteral("files"), QStringLiteral("Recordings to open."),
                                 QStringLiteral("[files...]"));
    parser.process(app);

    neurolens::MainWindow window;
    const QString shot = parser.value(screenshot);
    if (!shot.isEmpty()) {
        window.setShowErrorDialogs(false);
        window.setAskNwbOptions(false);
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
    window.show();
    const QStringList files = parser.positionalArguments();
    if (files.isEmpty())
        window.openSimulatedSession();
    else
        window.openFiles(files);
    return QApplication::exec();
}
