#include "neurolens/figures/PlotFigure.h"

#include "neurolens/figures/NiceScale.h"

#include <QFontMetricsF>
#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace neurolens {
namespace {

const QColor kText(30, 30, 30), kAxis(90, 90, 90), kGrid(228, 228, 228);

QFont font(double pixels, bool bold = false)
{
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setPixelSize(int(std::lround(pixels)));
    f.setBold(bold);
    return f;
}

// Round tick values inside [lo, hi] (the one nice-numbers rule).
std::vector<double> niceTicks(double lo, double hi, int target = 6)
{
    if (!(hi > lo)) return {lo};
    return niceTicksWithin(lo, hi, target).ticks();
}

QString tickLabel(double v, bool log)
{
    if (log) {
        const double e = std::log10(v);
        if (std::abs(e - std::round(e)) < 1e-9) {
            const int k = int(std::round(e));
            if (k >= -2 && k <= 3) return QString::number(v, 'g', 4);
            return QStringLiteral("1e%1").arg(k);
        }
    }
    return QString::number(v, 'g', 4);
}

void drawTitle(QPainter& p, const QString& title, double width)
{
    if (title.isEmpty()) return;
    p.setFont(font(15, true));
    p.setPen(kText);
    p.drawText(QRectF(0, 6, width, 22), Qt::AlignHCenter | Qt::AlignVCenter, title);
}

void drawColourBar(QPainter& p, const QRectF& bar, const std::vector<QRgb>& table,
                   const QString& low, const QString& high, const QString& title)
{
    if (table.empty()) return;
    QLinearGradient g(bar.bottomLeft(), bar.topLeft());
    for (std::size_t i = 0; i < table.size(); ++i)
        g.setColorAt(table.size() > 1 ? double(i) / double(table.size() - 1) : 0,
                     QColor::fromRgb(table[i]));
    p.setPen(QPen(kAxis, 0.6));
    p.setBrush(g);
    p.drawRect(bar);
    p.setFont(font(11));
    p.setPen(kText);
    p.drawText(QPointF(bar.right() + 4, bar.top() + 9), high);
    p.drawText(QPointF(bar.right() + 4, bar.bottom()), low);
    p.save();
    p.translate(bar.right() + 30, bar.center().y());
    p.rotate(90);
    p.drawText(QRectF(-bar.height() / 2, -8, bar.height(), 16), Qt::AlignCenter, title);
    p.restore();
}

// Maps the figure's logical size onto `target`, paints the white page and the title (restore()
// after).
void beginFigure(QPainter& p, const QSizeF& size, const QRectF& target, const QString& title)
{
    p.save();
    p.translate(target.topLeft());
    p.scale(target.width() / size.width(), target.height() / size.height());
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(QRectF(QPointF(0, 0), size), Qt::white);
    drawTitle(p, title, size.width());
}

void drawAxisTitles(QPainter& p, const QRectF& plot, const QString& xTitle, const QString& yTitle)
{
    p.setFont(font(13));
    p.setPen(kText);
    p.drawText(QRectF(plot.left(), plot.bottom() + 22, plot.width(), 20),
               Qt::AlignHCenter | Qt::AlignTop, xTitle);
    p.save();
    p.translate(16, plot.center().y());
    p.rotate(-90);
    p.drawText(QRectF(-plot.height() / 2, -10, plot.height(), 20), Qt::AlignCenter, yTitle);
    p.restore();
}

}  // namespace

void paintPlotFigure(QPainter& p, const PlotFigure& f, const QRectF& target)
{
    beginFigure(p, f.size, target, f.title);

    // Data range.
    double xlo = std::numeric_limits<double>::infinity(), xhi = -xlo, ylo = xlo, yhi = -xlo;
    for (const auto& s : f.series)
        for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
            if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i]) || (f.logX && s.x[i] <= 0))
                continue;
            const double half = s.style == PlotSeries::Style::Bars ? s.barWidth / 2 : 0;
            xlo = std::min(xlo, s.x[i] - half), xhi = std::max(xhi, s.x[i] + half);
            ylo = std::min(ylo, s.y[i]), yhi = std::max(yhi, s.y[i]);
            if (s.style == PlotSeries::Style::Bars) ylo = std::min(ylo, 0.0);
        }
    if (!std::isfinite(xlo)) xlo = 0, xhi = 1, ylo = 0, yhi = 1;
    if (f.logX) xlo = std::log10(xlo), xhi = std::log10(xhi);
    if (xhi <= xlo) xhi = xlo + 1;
    if (yhi <= ylo) yhi = ylo + 1;
    const double ypad = 0.05 * (yhi - ylo), xpad = f.logX ? 0.05 * (xhi - xlo) : 0.02 * (xhi - xlo);
    xlo -= xpad, xhi += xpad, ylo -= ypad, yhi += ypad;
    if (f.xMin) xlo = f.logX ? std::log10(*f.xMin) : *f.xMin;
    if (f.xMax) xhi = f.logX ? std::log10(*f.xMax) : *f.xMax;
    if (f.yMin) ylo = *f.yMin;
    if (f.yMax) yhi = *f.yMax;

    const QRectF plot(72, f.title.isEmpty() ? 16 : 40, f.size.width() - 72 - 24,
                      f.size.height() - (f.title.isEmpty() ? 16 : 40) - 58);
    auto X = [&](double x) {
        return plot.left() + ((f.logX ? std::log10(x) : x) - xlo) / (xhi - xlo) * plot.width();
    };
    auto Y = [&](double y) { return plot.bottom() - (y - ylo) / (yhi - ylo) * plot.height(); };

    // Grid, ticks and labels.
    p.setFont(font(11));
    std::vector<double> xticks;
    if (f.logX)
        for (int k = int(std::ceil(xlo - 1e-9)); k <= int(std::floor(xhi + 1e-9)); ++k)
            xticks.push_back(std::pow(10.0, k));
    else
        xticks = niceTicks(xlo, xhi);
    for (const auto& [at, label] : f.xLabels) {
        p.setPen(kText);
        p.drawText(QRectF(X(at) - 90, plot.bottom() + 4, 180, 16), Qt::AlignHCenter | Qt::AlignTop,
                   label);
    }
    if (!f.xLabels.empty()) xticks.clear();
    for (double t : xticks) {
        const double x = X(t);
        if (x < plot.left() - 0.5 || x > plot.right() + 0.5) continue;
        p.setPen(QPen(kGrid, 0.8));
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        p.setPen(kText);
        p.drawText(QRectF(x - 40, plot.bottom() + 4, 80, 16), Qt::AlignHCenter | Qt::AlignTop,
                   tickLabel(t, f.logX));
    }
    for (double t : niceTicks(ylo, yhi)) {
        const double y = Y(t);
        if (y < plot.top() - 0.5 || y > plot.bottom() + 0.5) continue;
        p.setPen(QPen(kGrid, 0.8));
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.setPen(kText);
        p.drawText(QRectF(0, y - 8, plot.left() - 6, 16), Qt::AlignRight | Qt::AlignVCenter,
                   tickLabel(t, false));
    }
    p.setPen(QPen(kAxis, 1.0));
    p.setBrush(Qt::NoBrush);
    p.drawRect(plot);
    drawAxisTitles(p, plot, f.xTitle, f.yTitle);

    // Series, clipped to the plot.
    p.save();
    p.setClipRect(plot);
    for (const auto& s : f.series) {
        QPen pen(s.colour, s.lineWidth);
        if (s.dashed) pen.setStyle(Qt::DashLine);
        const std::size_t n = std::min(s.x.size(), s.y.size());
        switch (s.style) {
            case PlotSeries::Style::Line:
            case PlotSeries::Style::Step: {
                QPainterPath path;
                bool open = false;
                for (std::size_t i = 0; i < n; ++i) {
                    if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i]) ||
                        (f.logX && s.x[i] <= 0)) {
                        open = false;
                        continue;
                    }
                    const QPointF pt(X(s.x[i]), Y(s.y[i]));
                    if (!open)
                        path.moveTo(pt), open = true;
                    else if (s.style == PlotSeries::Style::Step)
                        path.lineTo(pt.x(), path.currentPosition().y()), path.lineTo(pt);
                    else
                        path.lineTo(pt);
                }
                p.setPen(pen);
                p.setBrush(Qt::NoBrush);
                p.drawPath(path);
                break;
            }
            case PlotSeries::Style::Points:
                p.setPen(Qt::NoPen);
                p.setBrush(s.colour);
                for (std::size_t i = 0; i < n; ++i)
                    if (std::isfinite(s.x[i]) && std::isfinite(s.y[i]))
                        p.drawEllipse(QPointF(X(s.x[i]), Y(s.y[i])), s.pointSize / 2,
                                      s.pointSize / 2);
                break;
            case PlotSeries::Style::Bars: {
                QColor fill = s.colour;
                fill.setAlphaF(0.55);
                p.setPen(QPen(s.colour.darker(120), 0.6));
                p.setBrush(fill);
                for (std::size_t i = 0; i < n; ++i) {
                    if (!std::isfinite(s.y[i])) continue;
                    const double l = X(s.x[i] - s.barWidth / 2), r = X(s.x[i] + s.barWidth / 2);
                    p.drawRect(QRectF(QPointF(l, Y(std::max(0.0, s.y[i]))),
                                      QPointF(r, Y(std::min(0.0, s.y[i])))));
                }
                break;
            }
        }
    }
    p.restore();

    // Legend, top or bottom right inside the plot.
    std::vector<const PlotSeries*> named;
    for (const auto& s : f.series)
        if (!s.name.isEmpty()) named.push_back(&s);
    if (!named.empty()) {
        p.setFont(font(11));
        const QFontMetricsF m(p.font());
        double w = 0;
        for (const auto* s : named) w = std::max(w, m.horizontalAdvance(s->name));
        const double h = 18.0 * double(named.size()) + 6;
        const QRectF box(
            plot.right() - w - 44,
            f.legend == PlotFigure::Legend::TopRight ? plot.top() + 6 : plot.bottom() - h - 6,
            w + 38, h);
        p.setPen(QPen(kGrid, 0.8));
        p.setBrush(QColor(255, 255, 255, 230));
        p.drawRect(box);
        for (std::size_t i = 0; i < named.size(); ++i) {
            const double y = box.top() + 12 + 18.0 * double(i);
            QPen pen(named[i]->colour, 2.2);
            if (named[i]->dashed) pen.setStyle(Qt::DashLine);
            p.setPen(pen);
            if (named[i]->style == PlotSeries::Style::Points) {
                p.setBrush(named[i]->colour);
                p.drawEllipse(QPointF(box.left() + 15, y), 3, 3);
            } else if (named[i]->style == PlotSeries::Style::Bars) {
                QColor fill = named[i]->colour;
                fill.setAlphaF(0.55);
                p.setPen(Qt::NoPen);
                p.setBrush(fill);
                p.drawRect(QRectF(box.left() + 8, y - 5, 14, 10));
            } else {
                p.drawLine(QPointF(box.left() + 6, y), QPointF(box.left() + 24, y));
            }
            p.setPen(kText);
            p.drawText(QPointF(box.left() + 30, y + 4), named[i]->name);
        }
    }
    p.restore();
}

void paintHeatmapFigure(QPainter& p, const HeatmapFigure& f, const QRectF& target)
{
    beginFigure(p, f.size, target, f.title);
    const QRectF plot(72, f.title.isEmpty() ? 16 : 40, f.size.width() - 72 - 90,
                      f.size.height() - (f.title.isEmpty() ? 16 : 40) - 58);
    p.drawImage(plot, f.image);
    p.setPen(QPen(kAxis, 1.0));
    p.setBrush(Qt::NoBrush);
    p.drawRect(plot);
    p.setFont(font(11));
    for (double t : niceTicks(f.xMin, f.xMax)) {
        if (t < f.xMin || t > f.xMax) continue;
        const double x = plot.left() + (t - f.xMin) / (f.xMax - f.xMin) * plot.width();
        p.setPen(QPen(kAxis, 0.8));
        p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4));
        p.setPen(kText);
        p.drawText(QRectF(x - 40, plot.bottom() + 5, 80, 16), Qt::AlignHCenter | Qt::AlignTop,
                   tickLabel(t, false));
    }
    const double ylo = std::min(f.yTop, f.yBottom), yhi = std::max(f.yTop, f.yBottom);
    for (double t : niceTicks(ylo, yhi)) {
        if (t < ylo || t > yhi) continue;
        const double y = plot.top() + (t - f.yTop) / (f.yBottom - f.yTop) * plot.height();
        p.setPen(QPen(kAxis, 0.8));
        p.drawLine(QPointF(plot.left() - 4, y), QPointF(plot.left(), y));
        p.setPen(kText);
        p.drawText(QRectF(0, y - 8, plot.left() - 6, 16), Qt::AlignRight | Qt::AlignVCenter,
                   tickLabel(t, false));
    }
    drawAxisTitles(p, plot, f.xTitle, f.yTitle);
    drawColourBar(p, QRectF(plot.right() + 14, plot.top(), 14, plot.height()), f.colourTable,
                  f.lowLabel, f.highLabel, f.colourTitle);
    p.restore();
}

void paintImageStripFigure(QPainter& p, const ImageStripFigure& f, const QRectF& target)
{
    beginFigure(p, f.size, target, f.title);
    const std::size_t rows = f.images.size();
    std::size_t cols = 0;
    for (const auto& r : f.images) cols = std::max(cols, r.size());
    if (rows == 0 || cols == 0) return p.restore();
    const double left = 90, top = f.title.isEmpty() ? 10 : 36, gap = 6, captionH = 16;
    const double cellW = (f.size.width() - left - 10 - gap * double(cols - 1)) / double(cols);
    const double cellH = (f.size.height() - top - 10) / double(rows) - captionH - gap;
    p.setFont(font(11));
    for (std::size_t r = 0; r < rows; ++r) {
        const double y = top + double(r) * (cellH + captionH + gap);
        p.setPen(kText);
        p.setFont(font(12, true));
        p.drawText(QRectF(4, y, left - 10, cellH),
                   Qt::AlignRight | Qt::AlignVCenter | Qt::TextWordWrap,
                   r < f.rowLabels.size() ? f.rowLabels[r] : QString());
        p.setFont(font(11));
        for (std::size_t c = 0; c < f.images[r].size(); ++c) {
            const QRectF cell(left + double(c) * (cellW + gap), y, cellW, cellH);
            const QImage& img = f.images[r][c];
            if (!img.isNull()) {
                const QSizeF fit = QSizeF(img.size()).scaled(cell.size(), Qt::KeepAspectRatio);
                p.drawImage(QRectF(cell.center() - QPointF(fit.width() / 2, fit.height() / 2), fit),
                            img);
            }
            if (r < f.captions.size() && c < f.captions[r].size())
                p.drawText(QRectF(cell.left(), cell.bottom() + 1, cell.width(), captionH),
                           Qt::AlignHCenter | Qt::AlignTop, f.captions[r][c]);
        }
    }
    p.restore();
}

ScatterFigure scatterFromPoints(const std::vector<std::array<double, 3>>& xyz, int dims,
                                const std::vector<double>& values, ColourMapKind kind,
                                double valueMin, double valueMax, const QStringList& axisTitles,
                                const QString& colourTitle, const QString& title, QSizeF size)
{
    ScatterFigure f;
    f.size = size;
    f.title = title;
    f.pointDiameter = xyz.size() > 5000 ? 2.2 : 3.5;
    // Each axis' whole range, widened to round values, scaled into [-1, 1], as the view.
    double lo[3] = {0, 0, 0}, hi[3] = {1, 1, 1};
    for (int c = 0; c < dims && !xyz.empty(); ++c) {
        lo[c] = hi[c] = xyz.front()[std::size_t(c)];
        for (const auto& p : xyz) {
            lo[c] = std::min(lo[c], p[std::size_t(c)]);
            hi[c] = std::max(hi[c], p[std::size_t(c)]);
        }
    }
    const ScatterBox box = scatterBox(lo, hi, dims, false);
    const double* centre = box.centre;
    const double* half = box.half;
    // Orthographic camera placed as the 3D view's default (towards (4, -4, 3), z up): screen right
    // and up.
    const double cn = std::sqrt(16.0 + 16.0 + 9.0);
    const std::array<double, 3> toward{4 / cn, -4 / cn, 3 / cn};
    const double rn = std::hypot(toward[0], toward[1]);
    const std::array<double, 3> right{-toward[1] / rn, toward[0] / rn,
                                      0};  // (view direction) x z, normalised
    const std::array<double, 3> up{right[1] * -toward[2], -(right[0] * -toward[2]),
                                   right[0] * -toward[1] - right[1] * -toward[0]};
    const double plotW = size.width() * 0.78,
                 plotH = size.height() * (title.isEmpty() ? 0.86 : 0.8);
    const QPointF origin(size.width() * 0.43, size.height() * (title.isEmpty() ? 0.5 : 0.54));
    const double scale = dims == 3 ? std::min(plotW, plotH) / 3.6 : std::min(plotW, plotH) / 2.4;
    auto project = [&](const std::array<double, 3>& w, double* depth) {
        if (dims == 2) {
            if (depth) *depth = 0;
            return QPointF(origin.x() + w[0] * scale * plotW / std::min(plotW, plotH),
                           origin.y() - w[1] * scale);
        }
        const double sx = w[0] * right[0] + w[1] * right[1] + w[2] * right[2];
        const double sy = w[0] * up[0] + w[1] * up[1] + w[2] * up[2];
        if (depth) *depth = -(w[0] * toward[0] + w[1] * toward[1] + w[2] * toward[2]);
        return QPointF(origin.x() + sx * scale, origin.y() - sy * scale);
    };
    const std::vector<Rgb> table = colourTable(kind, 256);
    for (std::size_t i = 0; i < xyz.size(); ++i) {
        std::array<double, 3> w{0, 0, 0};
        for (int c = 0; c < dims; ++c)
            w[std::size_t(c)] = (xyz[i][std::size_t(c)] - centre[c]) / half[c];
        ScatterFigure::Point pt;
        pt.position = project(w, &pt.depth);
        const double t = valueMax > valueMin ? (values[i] - valueMin) / (valueMax - valueMin) : 0;
        const Rgb c = colourAt(kind, t);
        pt.colour = qRgb(int(std::lround(c[0] * 255)), int(std::lround(c[1] * 255)),
                         int(std::lround(c[2] * 255)));
        f.points.push_back(pt);
    }
    addScatterAxes(f, box, dims, axisTitles, [&](double x, double y, double z) {
        return project({x, y, z}, nullptr);
    });
    for (const Rgb& c : table)
        f.colourTable.push_back(qRgb(int(std::lround(c[0] * 255)), int(std::lround(c[1] * 255)),
                                     int(std::lround(c[2] * 255))));
    f.valueMin = valueMin;
    f.valueMax = valueMax;
    f.colourTitle = colourTitle;
    f.integralLabels = kind == ColourMapKind::Cyclic;
    return f;
}

}  // namespace neurolens
