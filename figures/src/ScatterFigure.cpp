#include "neurolens/figures/ScatterFigure.h"

#include <QFont>
#include <QFontMetricsF>
#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
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
    font.setPixelSize(11);
    const QFontMetricsF metrics(font);
    for (const auto& axis : f.axes) {
        if (titles) {
            if (axis.title.isEmpty()) continue;
            QFont bold = font;
            bold.setPixelSize(14);
            bold.setBold(true);
            p.setFont(bold);
            p.setPen(QColor(25, 25, 25));
            p.drawText(QRectF(axis.titlePosition.x() - 80, axis.titlePosition.y() - 10, 160, 20),
                       Qt::AlignCenter, axis.title);
            continue;
        }
        p.setPen(QPen(QColor(100, 100, 100), 0.8));
        p.drawLine(axis.from, axis.to);
        p.setFont(font);
        for (const auto& tick : axis.ticks) {
            const QPointF end = tick.position + 4 * axis.tickDirection;
            p.setPen(QPen(QColor(100, 100, 100), 0.8));
            p.drawLine(tick.position, end);
            if (tick.label.isEmpty()) continue;
            p.setPen(QColor(70, 70, 70));
            const double tw = metrics.horizontalAdvance(tick.label);
            const QPointF at = tick.position + 8 * axis.tickDirection;
            // Centre the label on the tick's line, beyond the mark.
            QPointF corner(
                at.x() - tw / 2 + axis.tickDirection.x() * tw / 2,
                at.y() + metrics.ascent() / 2 + axis.tickDirection.y() * metrics.ascent() / 2);
            p.drawText(corner, tick.label);
        }
    }
}

}  // namespace

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
