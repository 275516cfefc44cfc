#pragma once
// Writing a figure that paints itself with QPainter into a rectangle of a logical size (the size of
// the view it comes from, in pixels = 1/96 in): by the path's extension,
//  - .png: a raster `scale` times the logical size, tagged with `dpi`;
//  - .svg: vector (QSvgGenerator), the logical size as the view box;
//  - .pdf: vector (QPdfWriter), one page of the logical size (1 logical pixel = 0.75 pt).
// Returns an empty string, or a sentence naming the file and what went wrong. The file is written
// whole or not at all (a temporary file renamed into place).

#include <QSizeF>
#include <QString>

#include <functional>

class QPainter;
class QRectF;

namespace neurolens {

using PaintFigure = std::function<void(QPainter& painter, const QRectF& target)>;

enum class FigureFormat { Png, Svg, Pdf, Unknown };
FigureFormat figureFormat(const QString& path);

QString writeFigure(const QString& path, const QSizeF& logicalSize, const PaintFigure& paint,
                    double scale = 2.0, int dpi = 192, const QString& title = {});

}  // namespace neurolens
