#pragma once
// A scatter plot as it appears on screen, ready to be drawn as vectors: the points already
// projected to the view (2D, or a 3D camera's projection), drawn far to near as filled discs in
// their colours, the axes (lines, tick marks, labels, titles), a colour bar, and the selected
// point's rings. Coordinates are logical pixels of a view of `size`; painting scales them to any
// target rectangle.

#include <QColor>
#include <QPointF>
#include <QSizeF>
#include <QString>

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
        QString label;  // empty: a mark only
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

}  // namespace neurolens
