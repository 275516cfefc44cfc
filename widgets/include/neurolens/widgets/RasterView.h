#pragma once
// A units x time heat map of population activity (seed figure 1): rows are units in a given order,
// columns are bins; colour is the activity through a heat colour map scaled to the 99th percentile,
// with a colour bar (optionally per unit). Wheel zooms time around the pointer (Shift+wheel zooms
// units), dragging pans, double-click resets. A vertical cursor marks the selected bin; clicking
// selects a bin.

#include "neurolens/data/Responses.h"

#include <QImage>
#include <QStringList>
#include <QWidget>

#include <vector>

namespace neurolens {

class RasterView : public QWidget {
    Q_OBJECT
public:
    explicit RasterView(QWidget* parent = nullptr);

    // `binsByUnits` holds one row per bin and one column per unit. `unitLabels` name the units for
    // tooltips. The view keeps its zoom when the shape is unchanged.
    void setData(const RowMatrixXf& binsByUnits, double binRateHz, const QString& valueLabel,
                 const QStringList& unitLabels);
    // Display row r shows unit order[r]; an empty order is the identity.
    void setRowOrder(const std::vector<int>& order);
    // Scale each unit to its own 99th percentile (shows the timing of weak units) or all units to
    // one.
    void setPerUnitScale(bool perUnit);
    bool perUnitScale() const { return perUnit_; }
    // A value per unit (in data column order; NaN: none) drawn as a colour strip beside the rows,
    // e.g. how well a model explains each unit; empty removes it.
    void setUnitAnnotation(const std::vector<float>& values, const QString& label);
    // Outlines a unit's row (the unit's column in the data; -1: none).
    void setHighlightedUnit(int unit);
    int highlightedUnit() const { return highlighted_; }
    const std::vector<float>& unitAnnotation() const { return annotation_; }
    void setCursorBin(int bin);
    int cursorBin() const { return cursor_; }
    void resetZoom();
    int bins() const { return int(data_.rows()); }
    int units() const { return int(data_.cols()); }
    // The bin under a widget x coordinate, or -1 outside the plot.
    int binAt(int x) const;
    QRect plotRect() const;
    QSize sizeHint() const override { return {600, 300}; }

Q_SIGNALS:
    void binClicked(int bin);
    void unitClicked(int unit);  // a click on a unit's row (the unit's column in the data)

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;

private:
    void rebuildImage();
    void buildImage();
    void clampView();
    int rowAt(int y) const;

    RowMatrixXf data_;
    double binRateHz_ = 30.0;
    QString valueLabel_;
    QStringList unitLabels_;
    std::vector<int> order_;
    int highlighted_ = -1;
    QImage image_;
    float scaleMax_ = 1.0f;
    std::vector<float> unitMax_;
    bool perUnit_ = false;
    bool imageDirty_ = true;
    int cursor_ = -1;
    double t0_ = 0, t1_ = 0, u0_ = 0, u1_ = 0;  // visible window in bins and rows
    std::vector<float> annotation_;
    QString annotationLabel_;
    QPoint dragStart_;
    double dragT0_ = 0, dragU0_ = 0;
    bool dragging_ = false, moved_ = false;
};

}  // namespace neurolens
