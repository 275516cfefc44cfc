#include "neurolens/widgets/UnitView.h"

#include "neurolens/figures/ColourMap.h"
#include "neurolens/figures/NiceScale.h"

#include <QImage>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace neurolens {

UnitView::UnitView(QWidget* parent) : QWidget(parent)
{
    clear(
        tr("Click a unit (in the unit table, the alignment's lists or a raster row) to see it "
           "here."));
}

void UnitView::setUnit(Unit unit)
{
    unit_ = std::move(unit);
    hint_.clear();
    update();
}

void UnitView::clear(const QString& hint)
{
    unit_ = Unit{};
    hint_ = hint;
    update();
}

void UnitView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    p.setPen(palette().text().color());
    const RowMatrixXf& m = unit_.repeatsByBins;
    if (m.size() == 0) {
        p.drawText(rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap, hint_);
        return;
    }
    const QFontMetrics fm = fontMetrics();
    // Heading.
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    int y = 6 + fm.ascent();
    p.drawText(8, y, fm.elidedText(unit_.title, Qt::ElideRight, width() - 16));
    p.setFont(font());
    const QString facts = unit_.facts.join(QStringLiteral(" · "));
    const QRect factsRect(8, y + 4, width() - 16, 3 * fm.height());
    QRect used;
    p.drawText(factsRect, Qt::TextWordWrap, facts, &used);
    y = used.bottom() + 10;

    const int left = 48, right = 12, bottom = 34;
    const int repeats = int(m.rows()), bins = int(m.cols());
    const double seconds = bins / unit_.binRateHz;
    const int plotW = std::max(40, width() - left - right);
    const int rest = std::max(120, height() - y - bottom);
    const QRect raster(left, y, plotW, rest * 45 / 100);
    const QRect mean(left, raster.bottom() + 34, plotW, rest - raster.height() - 34);

    // Raster: repeats by bins, on the unit's own range.
    const float top = std::max(1e-6f, m.maxCoeff());
    QImage image(bins, repeats, QImage::Format_RGB32);
    const std::vector<Rgb> table = colourTable(ColourMapKind::Heat, 256);
    for (int r = 0; r < repeats; ++r)
        for (int b = 0; b < bins; ++b) {
            const Rgb& c = table[std::size_t(std::clamp(int(m(r, b) / top * 255), 0, 255))];
            image.setPixel(b, r, qRgb(int(c[0] * 255), int(c[1] * 255), int(c[2] * 255)));
        }
    p.drawImage(raster, image);
    p.drawRect(raster.adjusted(0, 0, -1, -1));
    auto timeAxis = [&](const QRect& r) {
        const NiceScale s = niceTicksWithin(0, seconds, std::max(2, r.width() / 80));
        for (double t : s.ticks()) {
            const int x = r.left() + int(t / seconds * r.width());
            p.drawLine(x, r.bottom(), x, r.bottom() + 3);
            const QString label = s.label(t);
            p.drawText(x - fm.horizontalAdvance(label) / 2, r.bottom() + 4 + fm.ascent(), label);
        }
    };
    timeAxis(raster);
    const NiceScale rs = niceTicksWithin(0, repeats - 1, std::max(2, raster.height() / 30));
    for (double v : rs.ticks()) {
        if (v != std::floor(v)) continue;  // repeats are whole
        const int yy = raster.top() + int((v + 0.5) / repeats * raster.height());
        const QString label = QString::number(int(v));
        p.drawLine(raster.left() - 3, yy, raster.left(), yy);
        p.drawText(raster.left() - 6 - fm.horizontalAdvance(label), yy + fm.ascent() / 2 - 1,
                   label);
    }
    p.save();
    p.translate(12, raster.center().y());
    p.rotate(-90);
    p.drawText(QRect(-raster.height() / 2, -fm.height() / 2, raster.height(), fm.height()),
               Qt::AlignCenter, tr("repeat"));
    p.restore();

    // Mean over repeats, ± 1 SD.
    const Eigen::RowVectorXf mu = m.colwise().mean();
    Eigen::RowVectorXf sd = Eigen::RowVectorXf::Zero(bins);
    if (repeats > 1)
        sd = ((m.rowwise() - mu).array().square().colwise().sum() / float(repeats - 1)).sqrt();
    // Counts are never negative: the band stops at zero then.
    const bool counts = m.minCoeff() >= 0;
    const Eigen::RowVectorXf low = counts ? (mu - sd).cwiseMax(0.0f) : Eigen::RowVectorXf(mu - sd);
    const double lo = std::min(0.0, double(low.minCoeff()));
    const NiceScale ys = niceScale(lo, std::max(double((mu + sd).maxCoeff()), lo + 1e-6), 4);
    auto at = [&](int b, double v) {
        return QPointF(mean.left() + (b + 0.5) / bins * mean.width(),
                       mean.bottom() - (v - ys.lo) / (ys.hi - ys.lo) * mean.height());
    };
    QPainterPath band;
    band.moveTo(at(0, mu[0] + sd[0]));
    for (int b = 1; b < bins; ++b) band.lineTo(at(b, mu[b] + sd[b]));
    for (int b = bins - 1; b >= 0; --b) band.lineTo(at(b, low[b]));
    band.closeSubpath();
    p.save();
    p.setClipRect(mean);
    p.fillPath(band, QColor(31, 119, 180, 60));
    QPainterPath line;
    line.moveTo(at(0, mu[0]));
    for (int b = 1; b < bins; ++b) line.lineTo(at(b, mu[b]));
    p.setPen(QPen(QColor(31, 119, 180), 1.5));
    p.setRenderHint(QPainter::Antialiasing);
    p.drawPath(line);
    p.restore();
    p.setPen(palette().text().color());
    p.drawRect(mean.adjusted(0, 0, -1, -1));
    for (double v : ys.ticks()) {
        const int yy = int(at(0, v).y());
        const QString label = ys.label(v);
        p.drawLine(mean.left() - 3, yy, mean.left(), yy);
        p.drawText(mean.left() - 6 - fm.horizontalAdvance(label), yy + fm.ascent() / 2 - 1, label);
    }
    timeAxis(mean);
    p.drawText(QRect(mean.left(), mean.bottom() + 4 + fm.height(), mean.width(), fm.height()),
               Qt::AlignCenter, tr("time in repeat (s)"));
    p.drawText(
        QRect(mean.left(), mean.top() - fm.height() - 2, mean.width(), fm.height()), Qt::AlignLeft,
        fm.elidedText(tr("mean ± 1 SD over %1 repeats, %2").arg(repeats).arg(unit_.valueLabel),
                      Qt::ElideRight, mean.width()));
}

}  // namespace neurolens
