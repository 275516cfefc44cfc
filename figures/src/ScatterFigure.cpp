#include "neurolens/figures/ScatterFigure.h"

#include <QFont>
#include <QFontMetricsF>
#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

namespace neurolens {
namespace {

QString valueLabel(double v, bool integral)
{
    if (integral)
        return QString::asprintf("%.0f", v);  // as the view's colour bar (printf rounding)
    return QString::number(v, 'g', 3);
}

void paintColourBar(QPainter& p, const ScatterFigure& f)
{
    if (f.colourTable.empty()) return;
    // As on screen: at 88 % of the width, from 12 % to 88 % of the height, labels to its right.
    const double x = 0.88 * f.size.width(), w = std::max(8.0, 0.028 * f.size.width());
    const double top = 0.12 * f.size.height(), bottom = 0.88 * f.size.height();
    QLinearGradient gradient(QPointF(0, bottom), QPointF(0, top));
    const std::size_t n = f.colourTable.size();
    for (std::size_t i = 0; i < n; ++i)
        gradient.setColorAt(n > 1 ? double(i) / double(n - 1) : 0.0,
                            QColor::fromRgb(f.colourTable[i]));
    p.setPen(QPen(QColor(90, 90, 90), 0.5));
    p.setBrush(gradient);
    p.drawRect(QRectF(x, top, w, bottom - top));
    QFont font = p.font();
    font.setPixelSize(12);
    p.setFont(font);
    p.setPen(QColor(40, 40, 40));
    const QFontMetricsF metrics(font);
    for (int i = 0; i <= 4; ++i) {
        const double v = f.valueMin + (f.valueMax - f.valueMin) * i / 4.0;
        const double y = bottom - (bottom - top) * i / 4.0;
        p.drawLine(QPointF(x + w, y), QPointF(x + w + 3, y));
        p.drawText(QPointF(x + w + 5, y + metrics.ascent() / 2 - 1),
                   valueLabel(v, f.integralLabels));
    }
    font.setBold(true);
    p.setFont(font);
    p.drawText(QRectF(x - 40, top - 22, w + 80, 18), Qt::AlignHCenter | Qt::AlignBottom,
               f.colourTitle);
}

void paintAxes(QPainter& p, const ScatterFigure& f, bool titles)
{
    QFont font = p.font();
    font.setPixelSize(kScatterTickFont);
    for (const auto& axis : f.axes) {
        if (titles) {
            if (axis.title.isEmpty()) continue;
            QFont bold = font;
            bold.setPixelSize(kScatterTitleFont);
            bold.setBold(true);
            p.setFont(bold);
            p.setPen(QColor(25, 25, 25));
            p.drawText(QRectF(axis.titlePosition.x() - 100, axis.titlePosition.y() - 10, 200, 20),
                       Qt::AlignCenter, axis.title);
            continue;
        }
        p.setPen(QPen(QColor(100, 100, 100), 0.8));
        p.drawLine(axis.from, axis.to);
        p.setFont(font);
        for (const auto& tick : axis.ticks) {
            p.setPen(QPen(QColor(100, 100, 100), 0.8));
            p.drawLine(tick.position, tick.position + 4 * axis.tickDirection);
            if (tick.label.isEmpty()) continue;
            p.setPen(QColor(70, 70, 70));
            p.drawText(tick.labelAt, tick.label);
        }
    }
}

}  // namespace

ScatterBox scatterBox(const double min[3], const double max[3], int dims, bool equalScales)
{
    ScatterBox box;
    for (int c = 0; c < dims; ++c) {
        box.scale[c] = niceScale(min[c], max[c]);
        box.centre[c] = (box.scale[c].lo + box.scale[c].hi) / 2;
        box.half[c] = (box.scale[c].hi - box.scale[c].lo) / 2;
    }
    if (equalScales && dims > 0) {
        const double common = *std::max_element(box.half, box.half + dims);
        for (int c = 0; c < dims; ++c) {
            box.half[c] = common;
            box.scale[c] = niceTicksWithin(box.centre[c] - common, box.centre[c] + common);
        }
    }
    return box;
}

void addScatterAxes(ScatterFigure& f, const ScatterBox& box, int dims, const QStringList& titles,
                    const std::function<QPointF(double, double, double)>& project)
{
    QFont font;
    font.setPixelSize(kScatterTickFont);
    const QFontMetricsF metrics(font);
    QFont bold = font;
    bold.setPixelSize(kScatterTitleFont);
    bold.setBold(true);
    const QFontMetricsF titleMetrics(bold);
    const bool planar = dims == 2;
    const QPointF centre = project(0, 0, 0);
    std::vector<QRectF> taken;  // labels kept so far, on every axis
    for (int c = 0; c < dims; ++c) {
        ScatterFigure::Axis axis;
        // The box edge the axis runs along, on the outline of the box as seen, so that the cloud
        // (inside the box) never covers its labels: the lowest on screen for the horizontal axes
        // (x, and y in 3D, on the floor), the leftmost for the vertical one (y in 2D, z in 3D).
        const bool vertical = c == (planar ? 1 : 2);
        std::vector<std::array<double, 3>> edges;  // the edges' middles
        if (vertical && !planar) {
            for (double x : {-1.0, 1.0})
                for (double y : {-1.0, 1.0}) edges.push_back({x, y, 0});
        } else {
            const int other = c == 0 ? 1 : 0;
            for (double v : {-1.0, 1.0}) {
                std::array<double, 3> e{0, 0, planar ? 0.0 : -1.0};
                e[std::size_t(other)] = v;
                edges.push_back(e);
            }
        }
        std::array<double, 3> chosen = edges.front();
        double best = -1e300;
        for (const auto& e : edges) {
            const QPointF m = project(e[0], e[1], e[2]);
            const double score = vertical ? -m.x() : m.y();
            if (score > best + 1e-9) best = score, chosen = e;
        }
        double a[3] = {chosen[0], chosen[1], chosen[2]};
        a[c] = -1;
        double b[3] = {a[0], a[1], a[2]};
        b[c] = 1;
        axis.from = project(a[0], a[1], a[2]);
        axis.to = project(b[0], b[1], b[2]);
        axis.title = titles.value(c, QStringLiteral("xyz").mid(c, 1));
        const QPointF along = axis.to - axis.from, mid = (axis.from + axis.to) / 2;
        const double length = std::hypot(along.x(), along.y());
        QPointF normal =
            length > 0 ? QPointF(along.y() / length, -along.x() / length) : QPointF(0, 1);
        if (QPointF::dotProduct(normal, mid - centre) < 0) normal = -normal;  // away from the cloud
        axis.tickDirection = normal;
        const NiceScale& scale = box.scale[c];
        std::vector<QRectF> rects;
        for (double value : scale.ticks()) {
            double t[3] = {a[0], a[1], a[2]};
            t[c] = (value - box.centre[c]) / box.half[c];
            if (t[c] < -1 - 1e-9 || t[c] > 1 + 1e-9) continue;
            ScatterFigure::Tick tick;
            tick.position = project(t[0], t[1], t[2]);
            tick.label = scale.label(value);
            // Centred on the tick's line, beyond the mark.
            const double tw = metrics.horizontalAdvance(tick.label), th = metrics.ascent();
            const QPointF at = tick.position + 8 * normal;
            tick.labelAt = QPointF(at.x() - tw / 2 + normal.x() * tw / 2,
                                   at.y() + th / 2 + normal.y() * th / 2);
            rects.push_back(
                QRectF(tick.labelAt.x(), tick.labelAt.y() - th, tw, th).adjusted(-3, -1, 3, 1));
            axis.ticks.push_back(tick);
        }
        // Every k-th label, the smallest k at which none overlaps another; then any that would
        // cover an earlier axis' label left out.
        const std::size_t n = axis.ticks.size();
        std::size_t stride = 1;
        for (; stride < n; ++stride) {
            bool clear = true;
            for (std::size_t i = 0; i + stride < n && clear; i += stride)
                clear = !rects[i].intersects(rects[i + stride]);
            if (clear) break;
        }
        double depth = 0;  // how far the kept labels reach beyond the axis
        for (std::size_t i = 0; i < n; ++i) {
            const bool covers = std::any_of(taken.begin(), taken.end(), [&](const QRectF& r) {
                return r.intersects(rects[i]);
            });
            if (i % stride != 0 || covers) {
                axis.ticks[i].label.clear();
                continue;
            }
            taken.push_back(rects[i]);
            depth = std::max(depth, std::abs(normal.x()) * rects[i].width() +
                                        std::abs(normal.y()) * rects[i].height());
        }
        const double titleExtent =
            std::abs(normal.x()) * titleMetrics.horizontalAdvance(axis.title) / 2 +
            std::abs(normal.y()) * titleMetrics.height() / 2;
        axis.titlePosition = mid + (10 + depth + 4 + titleExtent) * normal;
        // Kept inside the figure when the box fills it (a short view).
        if (f.size.width() > 0 && f.size.height() > 0) {
            const double halfWidth = titleMetrics.horizontalAdvance(axis.title) / 2 + 2;
            const double halfHeight = titleMetrics.height() / 2 + 1;
            axis.titlePosition.setX(std::clamp(axis.titlePosition.x(), halfWidth,
                                               std::max(halfWidth, f.size.width() - halfWidth)));
            axis.titlePosition.setY(std::clamp(axis.titlePosition.y(), halfHeight,
                                               std::max(halfHeight, f.size.height() - halfHeight)));
        }
        f.axes.push_back(axis);
    }
}

void paintScatterFigure(QPainter& p, const ScatterFigure& f, const QRectF& target)
{
    if (!(f.size.width() > 0 && f.size.height() > 0)) return;
    p.save();
    p.translate(target.topLeft());
    p.scale(target.width() / f.size.width(), target.height() / f.size.height());
    p.fillRect(QRectF(QPointF(0, 0), f.size), Qt::white);
    p.setRenderHint(QPainter::Antialiasing);
    paintAxes(p, f, false);
    // Far to near, so nearer points cover farther ones as on screen.
    std::vector<int> order(f.points.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return f.points[std::size_t(a)].depth > f.points[std::size_t(b)].depth;
    });
    const double r = f.pointDiameter / 2;
    for (int i : order) {
        const auto& pt = f.points[std::size_t(i)];
        const QColor c = QColor::fromRgb(pt.colour);
        p.setPen(QPen(c.darker(135), std::min(0.4, r / 4)));
        p.setBrush(c);
        p.drawEllipse(pt.position, r, r);
    }
    if (f.selected >= 0 && std::size_t(f.selected) < f.points.size()) {
        const QPointF at = f.points[std::size_t(f.selected)].position;
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(QColor(217, 13, 13), 4.0));
        p.drawEllipse(at, 9, 9);
        p.setPen(QPen(Qt::black, 1.5));
        p.drawEllipse(at, 12, 12);
    }
    paintAxes(p, f, true);  // titles above the points, so a cloud never hides them
    paintColourBar(p, f);
    if (!f.title.isEmpty()) {
        QFont font = p.font();
        font.setPixelSize(15);
        font.setBold(true);
        p.setFont(font);
        p.setPen(QColor(25, 25, 25));
        p.drawText(QRectF(0, 4, f.size.width(), 22), Qt::AlignHCenter | Qt::AlignTop, f.title);
    }
    p.restore();
}

}  // namespace neurolens
