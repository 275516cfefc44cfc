#include "neurolens/widgets/VarianceChart.h"

#include <QChart>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPen>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace neurolens {

VarianceChart::VarianceChart(QWidget* parent) : QChartView(parent)
{
    auto* chart = new QChart;
    chart->setTitle(tr("Explained variance"));
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->hide();  // the axes are coloured like their series instead
    chart->setAnimationOptions(QChart::NoAnimation);

    perComponent_ = new QLineSeries;
    perComponent_->setName(tr("per component"));
    perComponent_->setPen(QPen(QColor(49, 104, 142), 2));
    cumulative_ = new QLineSeries;
    cumulative_->setName(tr("cumulative"));
    cumulative_->setPen(QPen(QColor(204, 102, 0), 2));
    guide90_ = new QLineSeries;
    guide95_ = new QLineSeries;
    for (QLineSeries* g : {guide90_, guide95_})
        g->setPen(QPen(QColor(120, 120, 120), 1, Qt::DashLine));
    marks_ = new QScatterSeries;
    marks_->setName(tr("90 % / 95 %"));
    marks_->setMarkerSize(9);
    marks_->setColor(QColor(204, 102, 0));
    marks_->setBorderColor(Qt::black);
    marks_->setPointLabelsVisible(true);
    marks_->setPointLabelsClipping(false);
    marks_->setPointLabelsFormat(QStringLiteral("@xPoint"));
    for (QAbstractSeries* s : std::initializer_list<QAbstractSeries*>{perComponent_, cumulative_,
                                                                      guide90_, guide95_, marks_})
        chart->addSeries(s);

    axisX_ = new QValueAxis;
    axisX_->setTitleText(tr("principal component"));
    axisX_->setLabelFormat(QStringLiteral("%d"));
    axisX_->setTickType(QValueAxis::TicksDynamic);
    axisX_->setTickAnchor(0);
    axisLeft_ = new QLogValueAxis;
    axisLeft_->setTitleText(tr("variance per component (%)"));
    axisLeft_->setLabelFormat(QStringLiteral("%g"));
    axisLeft_->setBase(10);
    axisRight_ = new QValueAxis;
    axisRight_->setTitleText(tr("cumulative (%)"));
    axisRight_->setRange(0, 100);
    axisRight_->setLabelFormat(QStringLiteral("%d"));
    const QColor blue(49, 104, 142), orange(204, 102, 0);
    axisLeft_->setLabelsColor(blue);
    axisLeft_->setTitleBrush(blue);
    axisRight_->setLabelsColor(orange);
    axisRight_->setTitleBrush(orange);
    chart->addAxis(axisX_, Qt::AlignBottom);
    chart->addAxis(axisLeft_, Qt::AlignLeft);
    chart->addAxis(axisRight_, Qt::AlignRight);
    perComponent_->attachAxis(axisX_);
    perComponent_->attachAxis(axisLeft_);
    for (QAbstractSeries* s :
         std::initializer_list<QAbstractSeries*>{cumulative_, guide90_, guide95_, marks_}) {
        s->attachAxis(axisX_);
        s->attachAxis(axisRight_);
    }
    // Guides are furniture, not data: keep them out of the legend.
    for (QLegendMarker* m : chart->legend()->markers(guide90_)) m->setVisible(false);
    for (QLegendMarker* m : chart->legend()->markers(guide95_)) m->setVisible(false);
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(260, 200);
    clear();
}

void VarianceChart::clear()
{
    for (QXYSeries* s :
         std::initializer_list<QXYSeries*>{perComponent_, cumulative_, marks_, guide90_, guide95_})
        s->clear();
    axisX_->setRange(1, 10);
    axisLeft_->setRange(0.01, 100);
    c90_ = c95_ = 0;
    chart()->setTitle(tr("Explained variance"));
}

void VarianceChart::setSpectrum(const std::vector<double>& ratios)
{
    clear();
    if (ratios.empty()) return;
    QList<QPointF> per, cum;
    double sum = 0, lo = 100;
    for (std::size_t i = 0; i < ratios.size(); ++i) {
        const double pct = 100.0 * ratios[i];
        sum += pct;
        if (pct > 0) {
            per.append(QPointF(double(i + 1), pct));
            lo = std::min(lo, pct);
        }
        cum.append(QPointF(double(i + 1), std::min(100.0, sum)));
        if (!c90_ && sum >= 90.0 - 1e-9) c90_ = int(i + 1);
        if (!c95_ && sum >= 95.0 - 1e-9) c95_ = int(i + 1);
    }
    perComponent_->replace(per);
    cumulative_->replace(cum);
    const double n = double(ratios.size());
    for (auto [series, c, level] :
         {std::tuple{guide90_, c90_, 90.0}, std::tuple{guide95_, c95_, 95.0}}) {
        if (c > 0) series->replace({QPointF(c, 0), QPointF(c, level), QPointF(1, level)});
    }
    if (c90_ > 0) marks_->append(QPointF(c90_, 90));
    if (c95_ > 0) marks_->append(QPointF(c95_, 95));
    axisX_->setRange(1, std::max(2.0, n));
    const double step = std::max(1.0, std::pow(10.0, std::floor(std::log10(n / 2))));
    axisX_->setTickInterval(n / step > 5 ? 2 * step : step);
    chart()->setTitle(
        tr("Explained variance<br><small>90 %: %1 PCs · 95 %: %2 PCs</small>").arg(c90_).arg(c95_));
    const double top = std::pow(
        10.0, std::ceil(std::log10(std::max(1e-6, per.isEmpty() ? 1.0 : per.first().y()))));
    const double bottom = std::pow(10.0, std::floor(std::log10(std::max(1e-6, lo))));
    axisLeft_->setRange(bottom, top);
    axisLeft_->setMinorTickCount(-1);
}

}  // namespace neurolens
