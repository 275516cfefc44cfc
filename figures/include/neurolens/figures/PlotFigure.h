#pragma once
// Figures for reports, drawn with QPainter (vector in SVG and PDF):
//  - PlotFigure: x-y axes with nice ticks (linear or log x), series drawn as lines, points, bars or
//    steps, dashed reference lines, a legend and a title;
//  - HeatmapFigure: an image over data extents (a raster of responses) with axes and a colour bar;
//  - ImageStripFigure: rows of captioned images (true and decoded movie frames);
//  - scatterFromPoints: a ScatterFigure of 2D or 3D points seen from a fixed orthographic camera.

#include "neurolens/figures/ColourMap.h"
#include "neurolens/figures/ScatterFigure.h"

#include <QColor>
#include <QImage>
#include <QSizeF>
#include <QString>

#include <optional>
#include <vector>

class QPainter;
class QRectF;

namespace neurolens {

struct PlotSeries {
    enum class Style { Line, Points, Bars, Step };
    Style style = Style::Line;
    QString name;  // in the legend when not empty
    QColor colour = QColor(31, 119, 180);
    std::vector<double> x, y;
    double barWidth = 1;   // Bars: in x units
    double pointSize = 4;  // Points: diameter in pixels
    bool dashed = false;
    double lineWidth = 1.8;
};

struct PlotFigure {
    QString title, xTitle, yTitle;
    bool logX = false;
    std::optional<double> xMin, xMax, yMin, yMax;  // default: the data's range (with a margin)
    std::vector<std::pair<double, QString>>
        xLabels;  // categories: labels at these x instead of numeric ticks
    std::vector<PlotSeries> series;
    enum class Legend { TopRight, BottomRight };
    Legend legend = Legend::TopRight;  // inside the plot, where the data leave room
    QSizeF size{640, 420};
};

struct HeatmapFigure {
    QString title, xTitle, yTitle, colourTitle;
    QImage image;                                      // already coloured; row 0 at the top
    double xMin = 0, xMax = 1, yTop = 0, yBottom = 1;  // data coordinates of the image's edges
    std::vector<QRgb> colourTable;
    QString lowLabel, highLabel;
    QSizeF size{760, 520};
};

struct ImageStripFigure {
    QString title;
    std::vector<QString> rowLabels;              // one per row
    std::vector<std::vector<QImage>> images;     // rows of images (same count per row)
    std::vector<std::vector<QString>> captions;  // under each image
    QSizeF size{900, 300};
};

void paintPlotFigure(QPainter& painter, const PlotFigure& figure, const QRectF& target);
void paintHeatmapFigure(QPainter& painter, const HeatmapFigure& figure, const QRectF& target);
void paintImageStripFigure(QPainter& painter, const ImageStripFigure& figure, const QRectF& target);

// `xyz`: rows of 2 or 3 coordinates; `values` colour them over [valueMin, valueMax] through `kind`.
// 3D points are seen orthographically from the 3D view's default direction, (4, -4, 3), z up.
ScatterFigure scatterFromPoints(const std::vector<std::array<double, 3>>& xyz, int dims,
                                const std::vector<double>& values, ColourMapKind kind,
                                double valueMin, double valueMax, const QStringList& axisTitles,
                                const QString& colourTitle, const QString& title,
                                QSizeF size = QSizeF(640, 520));

}  // namespace neurolens
