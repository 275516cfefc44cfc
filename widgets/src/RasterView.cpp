#include "neurolens/widgets/RasterView.h"

#include "neurolens/figures/ColourMap.h"
#include "neurolens/figures/NiceScale.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPolygonF>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace neurolens {
namespace {

constexpr int kLeft = 56, kRight = 74, kTop = 8, kBottom = 38;

}  // namespace

RasterView::RasterView(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setMinimumSize(240, 160);
}

void RasterView::setData(const RowMatrixXf& binsByUnits, double binRateHz,
                         const QString& valueLabel, const QStringList& unitLabels)
{
    const bool sameShape = binsByUnits.rows() == data_.rows() && binsByUnits.cols() == data_.cols();
    data_ = binsByUnits;
    binRateHz_ = binRateHz > 0 ? binRateHz : 1.0;
    valueLabel_ = valueLabel;
    unitLabels_ = unitLabels;
    if (order_.size() != std::size_t(data_.cols())) order_.clear();
    // Colour scale: 0 to the 99th percentile of the non-zero values, so a few bursts do not wash it
    // out (estimated from at most 100 000 values); per unit as well, for the per-unit mode.
    auto percentile99 = [](std::vector<float>& values) {
        values.erase(std::remove(values.begin(), values.end(), 0.0f), values.end());
        if (values.empty()) return 1.0f;
        const std::size_t k =
            std::min(values.size() - 1, std::size_t(0.99 * double(values.size())));
        std::nth_element(values.begin(), values.begin() + k, values.end());
        return std::max(values[k], 1e-6f);
    };
    const std::size_t total = std::size_t(data_.size()),
                      stride = std::max<std::size_t>(1, total / 100000);
    std::vector<float> sample;
    sample.reserve(total / stride + 1);
    for (std::size_t i = 0; i < total; i += stride) sample.push_back(data_.data()[i]);
    scaleMax_ = percentile99(sample);
    const RowMatrixXf transposed = data_.transpose();  // units x bins: each unit contiguous
    unitMax_.assign(std::size_t(data_.cols()), 1.0f);
    std::vector<float> column;
    for (Eigen::Index u = 0; u < data_.cols(); ++u) {
        column.assign(transposed.row(u).data(), transposed.row(u).data() + transposed.cols());
        unitMax_[std::size_t(u)] = percentile99(column);
    }
    if (!sameShape) resetZoom();
    rebuildImage();
}

void RasterView::setRowOrder(const std::vector<int>& order)
{
    order_ = order.size() == std::size_t(data_.cols()) ? order : std::vector<int>{};
    rebuildImage();
}

void RasterView::setPerUnitScale(bool perUnit)
{
    perUnit_ = perUnit;
    rebuildImage();
}

void RasterView::setCursorBin(int bin)
{
    cursor_ = (bin >= 0 && bin < bins()) ? bin : -1;
    update();
}

void RasterView::resetZoom()
{
    t0_ = 0;
    t1_ = std::max<double>(1, bins());
    u0_ = 0;
    u1_ = std::max<double>(1, units());
    update();
}

void RasterView::rebuildImage()
{
    // Built lazily at the next paint, so several changes in a row cost one build.
    imageDirty_ = true;
    update();
}

void RasterView::buildImage()
{
    imageDirty_ = false;
    const int B = bins(), U = units();
    image_ = QImage(std::max(1, B), std::max(1, U), QImage::Format_RGB32);
    image_.fill(Qt::black);
    const std::vector<Rgb> table = colourTable(ColourMapKind::Heat, 256);
    std::vector<QRgb> lut(table.size());
    for (std::size_t i = 0; i < table.size(); ++i)
        lut[i] = qRgb(int(255 * table[i][0]), int(255 * table[i][1]), int(255 * table[i][2]));
    for (int r = 0; r < U; ++r) {
        const int unit = order_.empty() ? r : order_[r];
        const float scale = perUnit_ ? unitMax_[std::size_t(unit)] : scaleMax_;
        auto* line = reinterpret_cast<QRgb*>(image_.scanLine(r));
        for (int b = 0; b < B; ++b) {
            const float v = std::clamp(data_(b, unit) / scale, 0.0f, 1.0f);
            line[b] = lut[std::size_t(std::lround(v * 255.0f))];
        }
    }
}

QRect RasterView::plotRect() const
{
    // Room above the plot for the annotation strip's legend when there is one.
    const int top = annotation_.empty() ? kTop : kTop + fontMetrics().height() + 2;
    return QRect(kLeft, top, std::max(1, width() - kLeft - kRight),
                 std::max(1, height() - top - kBottom));
}

int RasterView::binAt(int x) const
{
    const QRect r = plotRect();
    if (x < r.left() || x > r.right() || bins() == 0) return -1;
    const int bin = int(std::floor(t0_ + (x - r.left() + 0.5) / r.width() * (t1_ - t0_)));
    return std::clamp(bin, 0, bins() - 1);
}

int RasterView::rowAt(int y) const
{
    const QRect r = plotRect();
    if (y < r.top() || y > r.bottom() || units() == 0) return -1;
    return std::clamp(int(std::floor(u0_ + (y - r.top() + 0.5) / r.height() * (u1_ - u0_))), 0,
                      units() - 1);
}

void RasterView::clampView()
{
    const double B = std::max(1, bins()), U = std::max(1, units());
    const double tw = std::clamp(t1_ - t0_, std::min(8.0, B), B),
                 uw = std::clamp(u1_ - u0_, std::min(4.0, U), U);
    t0_ = std::clamp(t0_, 0.0, B - tw);
    t1_ = t0_ + tw;
    u0_ = std::clamp(u0_, 0.0, U - uw);
    u1_ = u0_ + uw;
}

void RasterView::setHighlightedUnit(int unit)
{
    highlighted_ = unit;
    update();
}

void RasterView::setUnitAnnotation(const std::vector<float>& values, const QString& label)
{
    annotation_ = values;
    annotationLabel_ = label;
    update();
}

void RasterView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    const QRect r = plotRect();
    if (bins() == 0 || units() == 0) {
        p.setPen(palette().text().color());
        p.drawText(rect(), Qt::AlignCenter, tr("No responses"));
        return;
    }
    if (imageDirty_) buildImage();
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);
    p.drawImage(QRectF(r), image_, QRectF(t0_, u0_, t1_ - t0_, u1_ - u0_));
    p.setPen(palette().text().color());
    p.drawRect(r.adjusted(0, 0, -1, -1));

    // Time axis, in seconds.
    const QFontMetrics fm = fontMetrics();
    const double s0 = t0_ / binRateHz_, s1 = t1_ / binRateHz_;
    const double step = niceStep(s1 - s0, std::max(2, r.width() / 90));
    for (double s = std::ceil(s0 / step) * step; s <= s1 + 1e-9; s += step) {
        const int x = r.left() + int((s * binRateHz_ - t0_) / (t1_ - t0_) * r.width());
        p.drawLine(x, r.bottom(), x, r.bottom() + 4);
        const QString label = QString::number(s, 'g', 4);
        p.drawText(x - fm.horizontalAdvance(label) / 2, r.bottom() + 6 + fm.ascent(), label);
    }
    p.drawText(QRect(r.left(), r.bottom() + 6 + fm.height(), r.width(), fm.height()),
               Qt::AlignCenter, tr("time in repeat (s)"));
    // Unit axis: display rows.
    const double ustep = std::max(1.0, niceStep(u1_ - u0_, std::max(2, r.height() / 40)));
    for (double u = std::ceil(u0_ / ustep) * ustep; u < u1_; u += ustep) {
        const int y = r.top() + int((u + 0.5 - u0_) / (u1_ - u0_) * r.height());
        p.drawLine(r.left() - 4, y, r.left(), y);
        const QString label = QString::number(int(u));
        p.drawText(r.left() - 6 - fm.horizontalAdvance(label), y + fm.ascent() / 2 - 1, label);
    }
    p.save();
    p.translate(12, r.center().y());
    p.rotate(-90);
    p.drawText(QRect(-r.height() / 2, -fm.height() / 2, r.height(), fm.height()), Qt::AlignCenter,
               tr("unit"));
    p.restore();

    // The highlighted unit: its row outlined, a mark in the margin.
    if (highlighted_ >= 0 && highlighted_ < units()) {
        const auto found = std::find(order_.begin(), order_.end(), highlighted_);
        const int row = order_.empty() ? highlighted_ : int(found - order_.begin());
        if (row < units() && row + 1 > u0_ && row < u1_) {
            const double y0 = r.top() + (row - u0_) / (u1_ - u0_) * r.height(),
                         y1 = r.top() + (row + 1 - u0_) / (u1_ - u0_) * r.height();
            p.setPen(QPen(QColor(0, 200, 255), 1.5));
            p.drawRect(QRectF(r.left(), std::max<double>(y0, r.top()) - 1, r.width() - 1,
                              std::max(2.0, std::min<double>(y1, r.bottom()) - y0) + 2));
            const double ym = (y0 + y1) / 2;
            QPolygonF mark;
            mark << QPointF(r.left() - 9, ym - 5) << QPointF(r.left() - 2, ym)
                 << QPointF(r.left() - 9, ym + 5);
            p.setBrush(QColor(0, 200, 255));
            p.drawPolygon(mark);
            p.setBrush(Qt::NoBrush);
            p.setPen(palette().text().color());
        }
    }

    // Cursor.
    if (cursor_ >= 0 && cursor_ + 1 > t0_ && cursor_ < t1_) {
        const double x = r.left() + (cursor_ + 0.5 - t0_) / (t1_ - t0_) * r.width();
        p.setPen(QPen(QColor(0, 200, 255), 2));
        p.drawLine(QPointF(x, r.top()), QPointF(x, r.bottom()));
    }

    // Per-unit annotation strip between the plot and the colour bar (viridis over [0, max]).
    if (int(annotation_.size()) == units()) {
        float top = 0;
        for (float v : annotation_)
            if (std::isfinite(v)) top = std::max(top, v);
        top = std::max(top, 1e-3f);
        for (int u = int(std::floor(u0_)); u < int(std::ceil(u1_)) && u < units(); ++u) {
            const int unit = order_.empty() ? u : order_[std::size_t(u)];
            const float v = annotation_[std::size_t(unit)];
            const double y0 = r.top() + (u - u0_) / (u1_ - u0_) * r.height(),
                         y1 = r.top() + (u + 1 - u0_) / (u1_ - u0_) * r.height();
            QColor c = palette().mid().color();
            if (std::isfinite(v)) {
                const Rgb rgb =
                    colourAt(ColourMapKind::Sequential, std::clamp(double(v) / top, 0.0, 1.0));
                c = QColor::fromRgbF(rgb[0], rgb[1], rgb[2]);
            }
            p.fillRect(QRectF(r.right() + 3, std::max<double>(y0, r.top()), 8,
                              std::min<double>(y1, r.bottom()) - std::max<double>(y0, r.top())),
                       c);
        }
        // Its legend above it: what it shows and the range of its colours.
        p.setPen(palette().text().color());
        const QString legend =
            tr("%1 strip: 0 to %2").arg(annotationLabel_).arg(double(top), 0, 'g', 2);
        p.drawText(r.right() + 11 - fm.horizontalAdvance(legend), r.top() - 4, legend);
    }

    // Colour bar.
    const QRect bar(r.right() + 14, r.top(), 12, r.height());
    const std::vector<Rgb> table = colourTable(ColourMapKind::Heat, 64);
    for (int i = 0; i < bar.height(); ++i) {
        const Rgb c =
            table[std::size_t((bar.height() - 1 - i) * 63 / std::max(1, bar.height() - 1))];
        p.setPen(QColor::fromRgbF(c[0], c[1], c[2]));
        p.drawLine(bar.left(), bar.top() + i, bar.right(), bar.top() + i);
    }
    p.setPen(palette().text().color());
    p.drawRect(bar.adjusted(0, 0, -1, -1));
    p.drawText(bar.right() + 4, bar.top() + fm.ascent(),
               perUnit_ ? tr("max") : QString::number(scaleMax_, 'g', 3));
    p.drawText(bar.right() + 4, bar.bottom(), QStringLiteral("0"));
    p.save();
    p.translate(bar.right() + 20 + fm.height(), bar.center().y());
    p.rotate(-90);
    p.drawText(QRect(-bar.height() / 2, -fm.height(), bar.height(), fm.height()), Qt::AlignCenter,
               perUnit_ ? tr("%1 (per unit)").arg(valueLabel_) : valueLabel_);
    p.restore();
}

void RasterView::resizeEvent(QResizeEvent*)
{
    update();
}

void RasterView::wheelEvent(QWheelEvent* event)
{
    const QRect r = plotRect();
    const double factor = event->angleDelta().y() > 0 ? 0.8 : 1.25;
    if (event->modifiers() & Qt::ShiftModifier) {
        const double at = u0_ + (event->position().y() - r.top()) / r.height() * (u1_ - u0_);
        u0_ = at - (at - u0_) * factor;
        u1_ = at + (u1_ - at) * factor;
    } else {
        const double at = t0_ + (event->position().x() - r.left()) / r.width() * (t1_ - t0_);
        t0_ = at - (at - t0_) * factor;
        t1_ = at + (t1_ - at) * factor;
    }
    clampView();
    update();
    event->accept();
}

void RasterView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) return;
    dragging_ = true;
    moved_ = false;
    dragStart_ = event->position().toPoint();
    dragT0_ = t0_;
    dragU0_ = u0_;
}

void RasterView::mouseMoveEvent(QMouseEvent* event)
{
    const QRect r = plotRect();
    const QPoint pos = event->position().toPoint();
    if (dragging_) {
        const QPoint delta = pos - dragStart_;
        if (delta.manhattanLength() > 3) moved_ = true;
        const double tw = t1_ - t0_, uw = u1_ - u0_;
        t0_ = dragT0_ - double(delta.x()) / r.width() * tw;
        t1_ = t0_ + tw;
        u0_ = dragU0_ - double(delta.y()) / r.height() * uw;
        u1_ = u0_ + uw;
        clampView();
        update();
        return;
    }
    const int bin = binAt(pos.x()), row = rowAt(pos.y());
    if (bin < 0 || row < 0) {
        QToolTip::hideText();
        return;
    }
    const int unit = order_.empty() ? row : order_[row];
    const QString name = unit < unitLabels_.size() ? unitLabels_[unit] : QString::number(unit);
    QToolTip::showText(event->globalPosition().toPoint(),
                       tr("unit %1\nt = %2 s\n%3 = %4")
                           .arg(name)
                           .arg(bin / binRateHz_, 0, 'f', 3)
                           .arg(valueLabel_)
                           .arg(double(data_(bin, unit)), 0, 'g', 3),
                       this);
}

void RasterView::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) return;
    const bool click = dragging_ && !moved_;
    dragging_ = false;
    if (click) {
        const QPoint at = event->position().toPoint();
        const int bin = binAt(at.x());
        if (bin >= 0) Q_EMIT binClicked(bin);
        const QRect r = plotRect();
        if (bin >= 0 && at.y() >= r.top() && at.y() <= r.bottom()) {
            const int row =
                int(std::floor(u0_ + double(at.y() - r.top()) / r.height() * (u1_ - u0_)));
            if (row >= 0 && row < units())
                Q_EMIT unitClicked(order_.empty() ? row : order_[std::size_t(row)]);
        }
    }
}

void RasterView::mouseDoubleClickEvent(QMouseEvent*)
{
    resetZoom();
}

}  // namespace neurolens
