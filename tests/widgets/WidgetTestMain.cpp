// One QApplication for the widget tests, with the OpenGL format VTK needs (set before it exists).

#include "neurolens/widgets/VtkScatterView.h"

#include <QApplication>
#include <QSurfaceFormat>

#include <gtest/gtest.h>

int main(int argc, char** argv)
{
    QSurfaceFormat::setDefaultFormat(neurolens::VtkScatterView::defaultFormat());
    QApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
