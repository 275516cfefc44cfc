#pragma once
// Explained variance per principal component (log scale, left axis) and cumulative (right axis),
// with the components for 90 % and 95 % of the variance marked (seed figure 3).

#include <QChartView>

#include <vector>

class QLineSeries;
class QScatterSeries;
class QValueAxis;
class QLogValueAxis;

namespace neurolens {

class VarianceChart : public QChartView {
    Q_OBJECT
public:
    explicit VarianceChart(QWidget* parent = nullptr);
    // Explained-variance ratios, largest first.
    void setSpectrum(const std::vector<double>& ratios);
    void clear();
    int components90() const { return c90_; }
    int components95() const { return c95_; }

private:
    QLineSeries* perComponent_ = nullptr;
    QLineSeries* cumulative_ = nullptr;
    QScatterSeries* marks_ = nullptr;
    QLineSeries* guide90_ = nullptr;
    QLineSeries* guide95_ = nullptr;
    QValueAxis* axisX_ = nullptr;
    QLogValueAxis* axisLeft_ = nullptr;
    QValueAxis* axisRight_ = nullptr;
    int c90_ = 0, c95_ = 0;
};

}  // namespace neurolens
