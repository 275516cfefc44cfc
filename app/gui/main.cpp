// neurolens: the desktop application. With no file arguments it opens the built-in simulated session.
//   neurolens [FILE...] [--screenshot PATH]   (--screenshot: save the window once loading ends, then quit)

#include "MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QTimer>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("neurolens"));
    QApplication::setOrganizationName(QStringLiteral("neurolens"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/neurolens/icons/neurolens.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Explore how a visual-cortex population encodes a movie."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Save a PNG of the window once loading ends, then quit."),
                                  QStringLiteral("path"));
    parser.addOption(screenshot);
    parser.addPositionalArgument(QStringLiteral("files"), QStringLiteral("Recordings to open."), QStringLiteral("[files...]"));
    parser.process(app);

    neurolens::MainWindow window;
    const QString shot = parser.value(screenshot);
    if (!shot.isEmpty()) {
        window.setShowErrorDialogs(false);
        QObject::connect(&window.datasets(), &neurolens::DatasetController::idle, &window, [&window, shot] {
            // Let the last layout and paint settle before grabbing.
            QTimer::singleShot(200, &window, [&window, shot] {
                const bool ok = window.grab().save(shot);
                QApplication::exit(ok ? 0 : 1);
            });
        });
    }
    window.show();
    const QStringList files = parser.positionalArguments();
    if (files.isEmpty())
        window.datasets().openSimulatedSession(1);
    else
        window.datasets().openFiles(files);
    return QApplication::exec();
}
