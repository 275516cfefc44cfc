// The window fits ordinary screens: at 1366 × 768 (the most common laptop) and 1920 × 1080, after
// every dock is opened, a decoding and a 32-dimensional CEBRA training have run and a point of the
// 32-dimensional embedding is hovered, the window is no larger than the screen it was given, and no
// dock's panel is wider than the dock (nothing to scroll sideways to).

#include "AppTestHelpers.h"
#include "DecoderPanel.h"
#include "EmbeddingPanel.h"

#include "neurolens/widgets/VtkScatterView.h"

#include <QComboBox>
#include <QDockWidget>
#include <QScrollArea>
#include <QSignalSpy>

#include <cstdlib>

using namespace neurolens;

namespace {

void expectWithin(const MainWindow& window, const QSize& screen, const char* when)
{
    EXPECT_LE(window.width(), screen.width()) << when;
    EXPECT_LE(window.height(), screen.height()) << when;
    EXPECT_LE(window.minimumSizeHint().width(), screen.width()) << when;
    EXPECT_LE(window.minimumSizeHint().height(), screen.height()) << when;
}

// The panel in each dock fits the dock's width; on failure, the widest widgets in it are named.
void expectDocksFit(const MainWindow& window)
{
    for (auto* dock : window.findChildren<QDockWidget*>()) {
        auto* scroll = qobject_cast<QScrollArea*>(dock->widget());
        if (!scroll || !scroll->widget() || dock->isFloating() || dock->visibleRegion().isEmpty())
            continue;
        const int need = scroll->widget()->minimumSizeHint().width();
        const int have = scroll->viewport()->width();
        std::string widest;
        if (need > have)
            for (auto* w : scroll->widget()->findChildren<QWidget*>())
                if (w->isVisible() && w->minimumSizeHint().width() > have / 2)
                    widest += std::string(" ") + w->metaObject()->className() + "=" +
                              std::to_string(w->minimumSizeHint().width());
        EXPECT_LE(need, have) << dock->objectName().toStdString() << ":" << widest;
    }
}

}  // namespace

class Layout : public ::testing::TestWithParam<QSize> {};

TEST_P(Layout, TheWindowStaysWithinTheScreen)
{
    const QSize screen = GetParam();
    MainWindow window;
    window.setShowErrorDialogs(false);
    window.resize(screen);
    window.show();
    test::openSmall(window);
    expectWithin(window, screen, "opened");
    for (auto* dock : window.findChildren<QDockWidget*>()) {
        dock->show();
        dock->raise();
        QTest::qWait(50);
        expectWithin(window, screen, dock->objectName().toUtf8().constData());
    }
    {
        QSignalSpy decoded(window.decoder(), &DecoderPanel::decoded);
        window.decoder()->run();
        ASSERT_TRUE(decoded.wait(60000));
    }
    expectWithin(window, screen, "decoded");
    ASSERT_TRUE(test::trainCebraFromDock(window, 100, 64, 32));
    expectWithin(window, screen, "trained");
    EmbeddingPanel* embedding = window.embedding();
    QComboBox* method = embedding->method();
    const auto cebraIndex = [method] {
        for (int i = 0; i < method->count(); ++i)
            if (method->itemText(i).contains(QStringLiteral("cebra"))) return i;
        return -1;
    };
    ASSERT_TRUE(test::waitUntil([&] { return cebraIndex() >= 0; }));
    method->setCurrentIndex(cebraIndex());
    QTest::qWait(200);
    Q_EMIT embedding->view()->pointHovered(7);
    QTest::qWait(200);
    expectWithin(window, screen, "hovered a 32-dimensional point");
    for (auto* dock : window.findChildren<QDockWidget*>()) {
        dock->raise();
        QTest::qWait(50);
        expectDocksFit(window);
    }
    // Each dock in front, with its results, for a look.
    if (const char* dir = std::getenv("NEUROLENS_TEST_SCREENSHOTS"))
        for (auto* dock : window.findChildren<QDockWidget*>()) {
            dock->raise();
            QTest::qWait(200);
            window.grab().save(QStringLiteral("%1/layout-%2x%3-%4.png")
                                   .arg(QString::fromLocal8Bit(dir))
                                   .arg(screen.width())
                                   .arg(screen.height())
                                   .arg(dock->objectName()));
        }
}

INSTANTIATE_TEST_SUITE_P(OrdinaryScreens, Layout,
                         ::testing::Values(QSize(1366, 768), QSize(1920, 1080)),
                         [](const ::testing::TestParamInfo<QSize>& param) {
                             return "Screen" + std::to_string(param.param.width()) + "x" +
                                    std::to_string(param.param.height());
                         });
