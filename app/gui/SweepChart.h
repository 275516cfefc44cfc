#pragma once
// Train and test curves of a decoding sweep (seed figures 6, 9 and 10): one metric of FrameScores
// against the swept value (regularisation on a log axis, the number of PCs on a linear one), with
// the chance level as a dashed line and the best test point marked.

#include "neurolens/decode/FrameDecoding.h"

#include <QChartView>

class QLineSeries;
class QScatterSeries;

namespace neurolens {

class SweepChart : public QChartView {
    Q_OBJECT
public:
    enum class Metric { R2, Mae, Accuracy, Within };

    explicit SweepChart(QWidget* parent = nullptr);
    void setSweep(std::vector<SweepPoint> points, FrameScores chance, const QString& parameter,
                  bool logScale);
    void setMetric(Metric metric);
    void clear();
    const std::vector<SweepPoint>& points() const { return points_; }
    // The swept value with the best test score for the current metric (NaN without a sweep).
    double bestValue() const;

    static double metricOf(const FrameScores& s, Metric m);
    static QString metricName(Metric m);

private:
    void rebuild();

    std::vector<SweepPoint> points_;
    FrameScores chance_;
    QString parameter_;
    bool log_ = false;
    Metric metric_ = Metric::Within;
};

}  // namespace neurolens
