#pragma once
// One unit on its own: its responses in every repeat (a raster of repeats by time, on its own
// colour scale), its mean over repeats with one standard deviation either side, against time in the
// repeat, under a heading with what is known of it (id, area, rate, QC values, alignment R²).

#include "neurolens/data/Recording.h"

#include <QStringList>
#include <QWidget>

namespace neurolens {

class UnitView : public QWidget {
    Q_OBJECT
public:
    struct Unit {
        QString title;              // "Unit 950000017 · VISp"
        QStringList facts;          // "rate 2.3 Hz", "amplitude_cutoff 0.005", ...
        RowMatrixXf repeatsByBins;  // its responses
        double binRateHz = 30;
        QString valueLabel;  // "spikes per bin"
    };
    explicit UnitView(QWidget* parent = nullptr);
    void setUnit(Unit unit);
    void clear(const QString& hint);
    const Unit& unit() const { return unit_; }
    QSize sizeHint() const override { return {340, 460}; }
    QSize minimumSizeHint() const override { return {220, 300}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    Unit unit_;
    QString hint_;
};

}  // namespace neurolens
