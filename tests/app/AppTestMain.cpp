// One QApplication for the app tests, with the OpenGL format VTK needs, and settings kept apart from
// a user's own.

#include "neurolens/widgets/VtkScatterView.h"

#include <QApplication>
#include <QSettings>
#include <QSurfaceFormat>

#include <gtest/gtest.h>

int main(int argc, char** argv)
{
    QSurfaceFormat::setDefaultFormat(neurolens::VtkScatterView::defaultFormat());
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("neurolens-tests"));
    QApplication::setApplicationName(QStringLiteral("neurolens-tests"));
    QSettings().clear();
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
