// VtkScatterView::figure(): the view as it is now, described for drawing as vectors
// (ScatterFigure).

#include "VtkScatterViewImpl.h"

#include <vtkCamera.h>
#include <vtkFloatArray.h>
#include <vtkMatrix4x4.h>
#include <vtkPointData.h>

#include <algorithm>
#include <cmath>

namespace neurolens {

ScatterFigure VtkScatterView::figure() const
{
    ScatterFigure f;
    const double w = std::max(1, width()), h = std::max(1, height());
    f.size = QSizeF(w, h);
    f.pointDiameter = d->pointSize;
    vtkMatrix4x4* vm =
        d->renderer->GetActiveCamera()->GetCompositeProjectionTransformMatrix(w / h, -1, 1);
    auto project = [&](double x, double y, double z, double* depth = nullptr) {
        double in[4] = {x, y, z, 1.0}, out[4];
        vm->MultiplyPoint(in, out);
        const double q = out[3] != 0 ? out[3] : 1.0;
        if (depth) *depth = out[2] / q;
        return QPointF((out[0] / q + 1) / 2 * w, (1 - out[1] / q) / 2 * h);
    };
    const int n = pointCount();
    f.points.reserve(std::size_t(n));
    for (int i = 0; i < n; ++i) {
        ScatterFigure::Point p;
        p.position = project(d->points(i, 0), d->points(i, 1), d->points(i, 2), &p.depth);
        const float v = value(i);
        double rgb[4];  // GetNanColor writes RGBA
        if (std::isnan(v))
            d->lut->GetNanColor(rgb);
        else
            d->lut->GetColor(v, rgb);
        p.colour = qRgb(int(std::lround(rgb[0] * 255)), int(std::lround(rgb[1] * 255)),
                        int(std::lround(rgb[2] * 255)));
        f.points.push_back(p);
    }
    f.selected = d->selected;
    if (n > 0) {
        // The box's axes from its near-left-bottom corner, as the triad on screen; ticks at 5
        // values in data units, labelled in 2D (in 3D, as on screen, marks only).
        const bool planar = d->dims == 2;
        for (int c = 0; c < d->dims; ++c) {
            ScatterFigure::Axis axis;
            double a[3] = {-1, -1, planar ? 0.0 : -1.0}, b[3] = {a[0], a[1], a[2]};
            b[c] = 1;
            axis.from = project(a[0], a[1], a[2]);
            axis.to = project(b[0], b[1], b[2]);
            axis.title = d->axisTitles.value(c, QStringLiteral("xyz").mid(c, 1));
            const QPointF along = axis.to - axis.from;
            const double length = std::hypot(along.x(), along.y());
            QPointF normal =
                length > 0 ? QPointF(along.y() / length, -along.x() / length) : QPointF(0, 1);
            // Ticks point away from the cloud's centre.
            const QPointF centre = project(0, 0, 0), mid = (axis.from + axis.to) / 2;
            if (QPointF::dotProduct(normal, mid - centre) < 0) normal = -normal;
            axis.tickDirection = normal;
            axis.titlePosition = planar ? mid + 34 * normal : axis.to + 0.12 * along + 10 * normal;
            for (int k = 0; k <= 4; ++k) {
                double t[3] = {a[0], a[1], a[2]};
                t[c] = -1 + 0.5 * k;
                const double dataValue = d->centre[c] + d->half[c] * t[c];
                axis.ticks.push_back({project(t[0], t[1], t[2]),
                                      planar ? QString::number(dataValue, 'g', 3) : QString()});
            }
            f.axes.push_back(axis);
        }
        for (int i = 0; i < 256; ++i) {
            double rgb[3];
            const double lo = d->lut->GetTableRange()[0], hi = d->lut->GetTableRange()[1];
            d->lut->GetColor(lo + (hi - lo) * i / 255.0, rgb);
            f.colourTable.push_back(qRgb(int(std::lround(rgb[0] * 255)),
                                         int(std::lround(rgb[1] * 255)),
                                         int(std::lround(rgb[2] * 255))));
        }
        f.valueMin = d->lut->GetTableRange()[0];
        f.valueMax = d->lut->GetTableRange()[1];
        f.colourTitle = d->colourTitle;
        f.integralLabels = d->integralLabels;
    }
    return f;
}

}  // namespace neurolens
