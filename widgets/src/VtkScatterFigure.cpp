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

std::function<QPointF(double, double, double)> VtkScatterView::boxProjection() const
{
    const double w = std::max(1, width()), h = std::max(1, height());
    vtkNew<vtkMatrix4x4> vm;
    vm->DeepCopy(
        d->renderer->GetActiveCamera()->GetCompositeProjectionTransformMatrix(w / h, -1, 1));
    double m[16];
    std::copy(&vm->Element[0][0], &vm->Element[0][0] + 16, m);
    return [m, w, h](double x, double y, double z) {
        const double out[4] = {m[0] * x + m[1] * y + m[2] * z + m[3],
                               m[4] * x + m[5] * y + m[6] * z + m[7], 0,
                               m[12] * x + m[13] * y + m[14] * z + m[15]};
        const double q = out[3] != 0 ? out[3] : 1.0;
        return QPointF((out[0] / q + 1) / 2 * w, (1 - out[1] / q) / 2 * h);
    };
}

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
        addScatterAxes(f, d->box, d->dims, d->axisTitles, boxProjection());
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
