// One QApplication for the app tests, with the OpenGL format VTK needs, and settings kept apart
// from a user's own and from other test processes.

#include "neurolens/widgets/VtkScatterView.h"

#include <QApplication>
#include <QFile>
#include <QSettings>
#include <QSurfaceFormat>

#include <gtest/gtest.h>

int main(int argc, char** argv)
{
    QSurfaceFormat::setDefaultFormat(neurolens::VtkScatterView::defaultFormat());
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("neurolens-tests"));
    // ctest runs test cases in parallel processes: each gets its own settings file, removed at the
    // end.
    QApplication::setApplicationName(
        QStringLiteral("neurolens-tests-%1").arg(QCoreApplication::applicationPid()));
    QSettings().clear();
    ::testing::InitGoogleTest(&argc, argv);
    const int result = RUN_ALL_TESTS();
    QSettings settings;
    settings.clear();
    settings.sync();
    QFile::remove(settings.fileName());
    return result;
}
