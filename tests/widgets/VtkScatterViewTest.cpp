// The VTK scatter inside Qt, rendered for real under Xvfb (Mesa llvmpipe).

#include "neurolens/widgets/VtkScatterView.h"

#include <QDir>
#include <QFont>
#include <QFontMetricsF>
#include <QImage>
#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

#include <cmath>

using namespace neurolens;

namespace {

// A deterministic 3D cloud: a noisy trefoil-like loop, coloured by position along it (like frames).
void loopCloud(int n, Eigen::MatrixXf& xyz, std::vector<float>& values)
{
    xyz.resize(n, 3);
    values.resize(n);
    for (int i = 0; i < n; ++i) {
        const double t = 2 * M_PI * i / n;
        const double wobble = 0.15 * std::sin(37.0 * i);
        xyz.row(i) << float(std::sin(t) + 2 * std::sin(2 * t) + wobble),
            float(std::cos(t) - 2 * std::cos(2 * t)), float(-std::sin(3 * t) + wobble);
        values[i] = float(i % 900);
    }
}

// A 480 x 360 view of the loop cloud coloured by frame, one point selected.
void showLoop(VtkScatterView& view, int points, int selected)
{
    view.resize(480, 360);
    Eigen::MatrixXf xyz;
    std::vector<float> values;
    loopCloud(points, xyz, values);
    view.setPoints(xyz, values, ColourMapKind::Cyclic, "frame", {"PC1", "PC2", "PC3"}, 0, 900);
    view.setSelectedPoint(selected);
}

QImage renderView(VtkScatterView& view)
{
    view.show();
    EXPECT_TRUE(QTest::qWaitForWindowExposed(&view));
    return view.grabFramebuffer();
}

// Pixels that are clearly coloured (not white, grey or black).
int colourfulPixels(const QImage& image)
{
    int count = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (c.hsvSaturation() > 80 && c.value() > 60) ++count;
        }
    return count;
}

}  // namespace

TEST(VtkScatterView, RendersColouredPoints)
{
    VtkScatterView view;
    view.resize(480, 360);
    Eigen::MatrixXf xyz;
    std::vector<float> values;
    loopCloud(3000, xyz, values);
    view.setPoints(xyz, values, ColourMapKind::Cyclic, "frame", {"PC1", "PC2", "PC3"}, 0, 900);
    const QImage image = renderView(view);
    ASSERT_FALSE(image.isNull());
    EXPECT_EQ(view.pointCount(), 3000);
    // Many coloured pixels, and of many hues (the cyclic map), on a light background.
    EXPECT_GT(colourfulPixels(image), 2000);
    QSet<int> hues;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2) {
            const QColor c = image.pixelColor(x, y);
            if (c.hsvSaturation() > 80) hues.insert(c.hsvHue() / 30);
        }
    EXPECT_GE(hues.size(), 6);
    EXPECT_GT(image.pixelColor(2, 2).value(), 200);
}

TEST(VtkScatterView, ClickAtAProjectedPointPicksIt)
{
    VtkScatterView view;
    view.resize(400, 300);
    Eigen::MatrixXf xy(100, 2);
    std::vector<float> values(100);
    for (int i = 0; i < 100; ++i) {
        xy.row(i) << float(i % 10), float(i / 10);
        values[i] = float(i);
    }
    view.setPoints(xy, values, ColourMapKind::Sequential, "index", {"x", "y"});
    renderView(view);
    QSignalSpy clicked(&view, &VtkScatterView::pointClicked);
    for (int target : {0, 37, 99}) {
        const QPointF p = view.projectPoint(target);
        ASSERT_GE(p.x(), 0);
        EXPECT_EQ(view.pickAt(p.toPoint()), target);
        QTest::mouseClick(&view, Qt::LeftButton, Qt::NoModifier, p.toPoint());
        ASSERT_EQ(clicked.count(), 1) << "target " << target;
        EXPECT_EQ(clicked.takeFirst().at(0).toInt(), target);
    }
    EXPECT_EQ(view.pickAt(QPoint(2, 2)), -1);  // far from every point
}

TEST(VtkScatterView, SelectionAndPointSize)
{
    VtkScatterView view;
    view.resize(300, 200);
    Eigen::MatrixXf xyz;
    std::vector<float> values;
    loopCloud(500, xyz, values);
    view.setPoints(xyz, values, ColourMapKind::Sequential, "v", {"a", "b", "c"});
    view.setSelectedPoint(42);
    EXPECT_EQ(view.selectedPoint(), 42);
    view.setSelectedPoint(5000);
    EXPECT_EQ(view.selectedPoint(), -1);
    view.setPointSize(100);
    EXPECT_EQ(view.pointSize(), 30);
    renderView(view);
}

// Image baseline with a tolerance; a failing run writes the actual image next to the expected one.
TEST(VtkScatterView, MatchesTheBaselineImage)
{
    VtkScatterView view;
    showLoop(view, 4000, 100);
    const QImage actual = renderView(view).convertToFormat(QImage::Format_RGB32);
    const QString expectedPath = QStringLiteral(NEUROLENS_BASELINE_DIR "/scatter3d.png");
    const QString actualDir = QStringLiteral(NEUROLENS_ACTUAL_DIR);
    QDir().mkpath(actualDir);
    const QString actualPath = actualDir + "/scatter3d.png";
    const QImage expected = QImage(expectedPath).convertToFormat(QImage::Format_RGB32);
    if (expected.isNull() || expected.size() != actual.size()) {
        actual.save(actualPath);
        FAIL() << "no baseline of this size at " << expectedPath.toStdString()
               << "; actual image written to " << actualPath.toStdString();
    }
    double total = 0;
    int bad = 0;
    for (int y = 0; y < actual.height(); ++y)
        for (int x = 0; x < actual.width(); ++x) {
            const QColor a = actual.pixelColor(x, y), e = expected.pixelColor(x, y);
            const int diff = std::abs(a.red() - e.red()) + std::abs(a.green() - e.green()) +
                             std::abs(a.blue() - e.blue());
            total += diff;
            bad += diff > 60;
        }
    const double pixels = double(actual.width()) * actual.height();
    const bool ok = total / pixels < 3.0 && bad < 0.01 * pixels;
    if (!ok) actual.save(actualPath);
    EXPECT_TRUE(ok) << "mean difference " << total / pixels << ", " << bad
                    << " pixels differ; actual image: " << actualPath.toStdString()
                    << ", expected: " << expectedPath.toStdString();
}

TEST(VtkScatterView, RendersALargerImageAndDescribesItselfForVectors)
{
    VtkScatterView view;
    showLoop(view, 3000, 10);
    const QImage onScreen = renderView(view);
    const QImage big = view.renderImage(QSize(1440, 1080));
    ASSERT_EQ(big.size(), QSize(1440, 1080));
    // Three times the width: about nine times the coloured pixels (points and fonts scale with it).
    const int small = colourfulPixels(onScreen), large = colourfulPixels(big);
    EXPECT_GT(large, 6 * small);
    EXPECT_LT(large, 12 * small);
    EXPECT_EQ(view.grabFramebuffer().size(), onScreen.size());  // the view is left as it was
    EXPECT_EQ(colourfulPixels(view.grabFramebuffer()), small);

    const ScatterFigure f = view.figure();
    ASSERT_EQ(f.points.size(), 3000u);
    EXPECT_EQ(f.size, QSizeF(480, 360));
    EXPECT_EQ(f.selected, 10);
    for (int i : {0, 500, 2999}) {
        const QPointF p = view.projectPoint(i);
        EXPECT_NEAR(f.points[std::size_t(i)].position.x(), p.x(), 1e-6);
        EXPECT_NEAR(f.points[std::size_t(i)].position.y(), p.y(), 1e-6);
    }
    // The colour of a point is the one the view draws it in: find it near its projection on screen.
    const QPointF at = view.projectPoint(1234);
    const QColor want = QColor::fromRgb(f.points[1234].colour);
    int bestDistance = 1000;
    for (int dy = -2; dy <= 2; ++dy)
        for (int dx = -2; dx <= 2; ++dx) {
            const QColor got = onScreen.pixelColor(int(at.x()) + dx, int(at.y()) + dy);
            bestDistance = std::min(bestDistance, std::abs(got.hue() - want.hue()) % 360);
        }
    EXPECT_LT(bestDistance, 25);
    ASSERT_EQ(f.axes.size(), 3u);
    EXPECT_EQ(f.axes[0].title, "PC1");
    EXPECT_EQ(f.colourTable.size(), 256u);
    EXPECT_EQ(f.valueMax, 900);
    EXPECT_TRUE(f.integralLabels);
}

// Honest axes: a 2D cloud with one far point is framed whole, its axes tick at round values
// covering every point, and no two labels overlap (2D and 3D).
TEST(VtkScatterView, AxesCoverEveryPointWithRoundNonOverlappingTicks)
{
    for (const int dims : {2, 3}) {
        VtkScatterView view;
        view.resize(640, 420);
        view.show();
        Eigen::MatrixXf xyz = Eigen::MatrixXf::Random(500, dims);
        xyz(7, 0) = 12.7f;  // a PC1 score far from the rest, as the issue met
        xyz(8, 1) = -1.5f;
        view.setPoints(xyz, std::vector<float>(500, 1.0f), ColourMapKind::Sequential, "v",
                       {"PC1", "PC2", "PC3"});
        QTest::qWait(100);
        const ScatterFigure f = view.figure();
        ASSERT_EQ(int(f.axes.size()), dims);
        const auto& x = f.axes[0];
        QStringList labels;
        for (const auto& t : x.ticks)
            if (!t.label.isEmpty()) labels << t.label;
        EXPECT_TRUE(labels.contains("14")) << labels.join(' ').toStdString();
        EXPECT_TRUE(labels.contains("-2") || labels.contains("0"))
            << labels.join(' ').toStdString();
        for (const auto& p : f.points) {
            EXPECT_GE(p.position.x(), 0);
            EXPECT_LE(p.position.x(), f.size.width());
            EXPECT_GE(p.position.y(), 0);
            EXPECT_LE(p.position.y(), f.size.height());
        }
        // Every label and title inside the view, none covering another.
        QFont font;
        font.setPixelSize(kScatterTickFont);
        const QFontMetricsF m(font);
        std::vector<QRectF> rects;
        for (const auto& axis : f.axes) {
            EXPECT_TRUE(QRectF(QPointF(0, 0), f.size).contains(axis.titlePosition)) << dims;
            for (const auto& t : axis.ticks)
                if (!t.label.isEmpty())
                    rects.emplace_back(t.labelAt.x(), t.labelAt.y() - m.ascent(),
                                       m.horizontalAdvance(t.label), m.ascent());
        }
        for (std::size_t i = 0; i < rects.size(); ++i)
            for (std::size_t j = i + 1; j < rects.size(); ++j)
                EXPECT_FALSE(rects[i].intersects(rects[j]))
                    << dims << ": labels " << i << ", " << j;
    }
}
