#include "SweepChart.h"
#include "neurolens/widgets/NiceAxis.h"

#include <QChart>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>

#include <cmath>
#include <limits>

namespace neurolens {

SweepChart::SweepChart(QWidget* parent) : QChartView(new QChart, parent)
{
    setRenderHint(QPainter::Antialiasing);
    chart()->setMargins(QMargins(2, 2, 2, 2));
    chart()->legend()->setAlignment(Qt::AlignBottom);
    setMinimumHeight(180);
    rebuild();
}

double SweepChart::metricOf(const FrameScores& s, Metric m)
{
    switch (m) {
        case Metric::R2:
            return s.r2;
        case Metric::Mae:
            return s.mae;
        case Metric::Accuracy:
            return s.accuracy;
        case Metric::Within:
            return s.within;
    }
    return 0;
}

QString SweepChart::metricName(Metric m)
{
    switch (m) {
        case Metric::R2:
            return tr("R²");
        case Metric::Mae:
            return tr("MAE (frames)");
        case Metric::Accuracy:
            return tr("exact accuracy");
        case Metric::Within:
            return tr("within 1 s");
    }
    return {};
}

void SweepChart::setSweep(std::vector<SweepPoint> points, FrameScores chance,
                          const QString& parameter, bool logScale)
{
    points_ = std::move(points);
    chance_ = chance;
    parameter_ = parameter;
    log_ = logScale;
    rebuild();
}

void SweepChart::setMetric(Metric metric)
{
    metric_ = metric;
    rebuild();
}

void SweepChart::clear()
{
    points_.clear();
    rebuild();
}

double SweepChart::bestValue() const
{
    double best = std::numeric_limits<double>::quiet_NaN(), bestScore = 0;
    const bool lower = metric_ == Metric::Mae;
    for (const SweepPoint& p : points_) {
        const double s = metricOf(p.test, metric_);
        if (std::isnan(best) || (lower ? s < bestScore : s > bestScore)) {
            best = p.value;
            bestScore = s;
        }
    }
    return best;
}

void SweepChart::rebuild()
{
    QChart* c = chart();
    c->removeAllSeries();
    for (QAbstractAxis* a : c->axes()) {
        c->removeAxis(a);
        delete a;
    }
    if (points_.empty()) {
        c->setTitle(tr("Sweep: run one to see train and test curves"));
        return;
    }
    c->setTitle(tr("%1 against %2").arg(metricName(metric_), parameter_));
    auto* train = new QLineSeries;
    train->setName(tr("train"));
    train->setPointsVisible(true);
    auto* test = new QLineSeries;
    test->setName(tr("test"));
    test->setPointsVisible(true);
    auto* chance = new QLineSeries;
    chance->setName(tr("chance"));
    chance->setPen(QPen(Qt::gray, 1, Qt::DashLine));
    auto* best = new QScatterSeries;
    best->setName(tr("best test"));
    best->setMarkerSize(11);
    best->setColor(Qt::transparent);
    best->setBorderColor(QColor(200, 40, 40));
    double lo = metricOf(chance_, metric_), hi = lo;
    double xmin = points_.front().value, xmax = xmin;
    const double bestX = bestValue();
    for (const SweepPoint& p : points_) {
        const double a = metricOf(p.train, metric_), b = metricOf(p.test, metric_);
        train->append(p.value, a);
        test->append(p.value, b);
        if (p.value == bestX) best->append(p.value, b);
        lo = std::min({lo, a, b});
        hi = std::max({hi, a, b});
        xmin = std::min(xmin, p.value);
        xmax = std::max(xmax, p.value);
    }
    chance->append(xmin, metricOf(chance_, metric_));
    chance->append(xmax, metricOf(chance_, metric_));
    // Regularisation always on a log axis; counts of PCs on one when they span a decade or more.
    bool integral = true;
    for (const SweepPoint& p : points_) integral = integral && p.value == std::floor(p.value);
    QAbstractAxis* ax = nullptr;
    if (xmin > 0 && (log_ || xmax >= 10 * xmin)) {
        auto* l = new QLogValueAxis;
        l->setBase(10);
        l->setLabelFormat(QStringLiteral("%g"));
        l->setRange(xmin / 1.5, xmax * 1.5);
        l->setMinorTickCount(-1);
        ax = l;
    } else {
        auto* v = new QValueAxis;
        applyNiceScale(v, xmin, xmax);
        ax = v;
    }
    ax->setTitleText(parameter_);
    auto* ay = new QValueAxis;
    applyNiceScale(ay, lo, hi);
    c->addAxis(ax, Qt::AlignBottom);
    c->addAxis(ay, Qt::AlignLeft);
    for (QAbstractSeries* s : std::initializer_list<QAbstractSeries*>{chance, train, test, best}) {
        c->addSeries(s);
        s->attachAxis(ax);
        s->attachAxis(ay);
    }
}

}  // namespace neurolens
