#pragma once
// A scatter plot as it appears on screen, ready to be drawn as vectors: the points already
// projected to the view (2D, or a 3D camera's projection), drawn far to near as filled discs in
// their colours, the axes (lines, tick marks, labels, titles), a colour bar, and the selected
// point's rings. Coordinates are logical pixels of a view of `size`; painting scales them to any
// target rectangle.

#include "neurolens/figures/NiceScale.h"

#include <QColor>
#include <QPointF>
#include <QSizeF>
#include <QString>
#include <QStringList>

#include <functional>
#include <vector>

class QPainter;
class QRectF;

namespace neurolens {

struct ScatterFigure {
    struct Point {
        QPointF position;
        double depth = 0;  // larger: farther from the viewer (drawn first)
        QRgb colour = 0;
    };
    struct Tick {
        QPointF position;
        QString label;    // empty: a mark only
        QPointF labelAt;  // the label's baseline start, beyond the mark
    };
    struct Axis {
        QPointF from, to;
        QString title;
        QPointF titlePosition;
        std::vector<Tick> ticks;
        QPointF tickDirection;  // unit vector of the tick marks (and where labels sit)
    };

    QSizeF size;
    std::vector<Point> points;
    double pointDiameter = 3.0;
    int selected = -1;  // index into points, or -1
    std::vector<Axis> axes;
    // Colour bar (none when the table is empty): colours from low to high over [valueMin,
    // valueMax].
    std::vector<QRgb> colourTable;
    double valueMin = 0, valueMax = 1;
    QString colourTitle;
    bool integralLabels = false;
    QString title;  // drawn above the plot when not empty
};

void paintScatterFigure(QPainter& painter, const ScatterFigure& figure, const QRectF& target);

// The scatter's box, in which points are drawn at [-1, 1] on every axis: each axis' data range
// (all of it) widened to round values; with equal scales every axis as wide as the widest, its
// round ticks inside.
struct ScatterBox {
    NiceScale scale[3];
    double centre[3] = {0, 0, 0},
           half[3] = {1, 1, 1};  // data units of the box's middle, half-width
};
ScatterBox scatterBox(const double min[3], const double max[3], int dims, bool equalScales);

// The axes of a box seen through `project` (box coordinates to the figure's pixels), added to
// `figure`: from the box's corner at -1, ticks at the round values, labels thinned until none
// overlap, each title beyond its labels on the side away from the cloud (and inside the figure's
// size, when set). One layout for the view on screen and every export of it.
void addScatterAxes(ScatterFigure& figure, const ScatterBox& box, int dims,
                    const QStringList& titles,
                    const std::function<QPointF(double x, double y, double z)>& project);
// The fonts the axes are laid out and drawn with (pixels).
constexpr int kScatterTickFont = 11, kScatterTitleFont = 14;

}  // namespace neurolens
