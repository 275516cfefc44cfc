#include "neurolens/widgets/VtkScatterView.h"

#include "VtkScatterViewImpl.h"

#include <QContextMenuEvent>
#include <QMouseEvent>
#include <QTimer>
#include <QWheelEvent>

#include <vtkActor2D.h>
#include <vtkBillboardTextActor3D.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkCubeAxesActor.h>
#include <vtkFloatArray.h>
#include <vtkIdTypeArray.h>
#include <vtkInteractorStyleTrackballCamera.h>
#include <vtkLookupTable.h>
#include <vtkMatrix4x4.h>
#include <vtkNew.h>
#include <vtkObjectFactory.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkPolyDataMapper2D.h>
#include <vtkProperty.h>
#include <vtkProperty2D.h>
#include <vtkRegularPolygonSource.h>
#include <vtkRenderWindowInteractor.h>
#include <vtkRenderer.h>
#include <vtkScalarBarActor.h>
#include <vtkTextProperty.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

namespace neurolens {

vtkStandardNewMacro(ScatterInteractorStyle)

    VtkScatterView::VtkScatterView(QWidget* parent)
    : VtkOpenGLWidget(parent), d(std::make_unique<Impl>())
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(200, 150);
    d->renderer = renderer();
    setInteractorStyle(d->style);

    // The cloud.
    d->mapper->SetInputData(d->cloud);
    d->mapper->SetLookupTable(d->lut);
    d->mapper->SetColorModeToMapScalars();
    d->mapper->SetScalarModeToUsePointData();
    d->mapper->ScalarVisibilityOn();
    d->actor->SetMapper(d->mapper);
    d->actor->GetProperty()->SetPointSize(float(d->pointSize));
    d->actor->GetProperty()->SetRenderPointsAsSpheres(true);
    // Level of detail: flat points while the camera moves (a third cheaper in software GL), shaded
    // spheres again once it has been still for a moment.
    d->stillTimer = new QTimer(this);
    d->stillTimer->setSingleShot(true);
    d->stillTimer->setInterval(250);
    connect(d->stillTimer, &QTimer::timeout, this, [this] {
        d->moving = false;
        d->actor->GetProperty()->SetRenderPointsAsSpheres(true);
        update();
    });
    d->actor->VisibilityOff();
    d->renderer->AddActor(d->actor);

    // Colour bar on the right, title above.
    d->colourBar->SetLookupTable(d->lut);
    d->colourBar->SetNumberOfLabels(5);
    d->colourBar->SetPosition(0.88, 0.12);
    d->colourBar->SetWidth(0.08);
    d->colourBar->SetHeight(0.76);
    d->colourBar->SetBarRatio(0.35);
    d->colourBar->UnconstrainedFontSizeOn();
    for (vtkTextProperty* t :
         {d->colourBar->GetTitleTextProperty(), d->colourBar->GetLabelTextProperty()}) {
        t->SetColor(0.15, 0.15, 0.15);
        t->SetFontSize(13);
        t->ShadowOff();
        t->ItalicOff();
        t->SetFontFamilyToArial();
    }
    d->colourBar->GetTitleTextProperty()->BoldOn();
    d->colourBar->VisibilityOff();
    d->renderer->AddViewProp(d->colourBar);

    d->axisMapper->SetInputData(d->axisLines);
    d->axisActor->SetMapper(d->axisMapper);
    d->axisActor->GetProperty()->SetColor(0.4, 0.4, 0.4);
    d->axisActor->VisibilityOff();
    d->renderer->AddActor2D(d->axisActor);

    const std::pair<vtkRegularPolygonSource*, double> rings[2] = {{d->ringInner, 9.0},
                                                                  {d->ringOuter, 12.0}};
    for (const auto& [ring, radius] : rings) {
        ring->SetNumberOfSides(40);
        ring->SetRadius(radius);
        ring->SetCenter(0, 0, 0);
        ring->GeneratePolygonOff();
        ring->GeneratePolylineOn();
    }
    d->ringInnerMapper->SetInputConnection(d->ringInner->GetOutputPort());
    d->ringOuterMapper->SetInputConnection(d->ringOuter->GetOutputPort());
    d->ringInnerActor->SetMapper(d->ringInnerMapper);
    d->ringOuterActor->SetMapper(d->ringOuterMapper);
    d->ringInnerActor->GetProperty()->SetColor(0.85, 0.05, 0.05);
    d->ringInnerActor->GetProperty()->SetLineWidth(4.0f);
    d->ringOuterActor->GetProperty()->SetColor(0.0, 0.0, 0.0);
    d->ringOuterActor->GetProperty()->SetLineWidth(1.5f);
    for (vtkActor2D* a : {d->ringInnerActor.Get(), d->ringOuterActor.Get()}) {
        a->VisibilityOff();
        d->renderer->AddActor2D(a);
    }
}

VtkScatterView::~VtkScatterView() = default;

void VtkScatterView::beforeRender()
{
    placeSelectionMarker();
    placeAxes();
}

void VtkScatterView::placeAxes()
{
    const bool visible = pointCount() > 0 && width() > 0 && height() > 0;
    d->axisActor->SetVisibility(visible);
    std::vector<ScatterFigure::Axis> axes;
    if (visible) {
        ScatterFigure f;
        f.size = QSizeF(width(), height());
        addScatterAxes(f, d->box, d->dims, d->axisTitles, boxProjection());
        axes = std::move(f.axes);
    }
    // Widget pixels (y down) to the renderer's display pixels (y up).
    const int* size = d->renderer->GetSize();
    const double sx = size[0] / std::max(1.0, double(width()));
    const double sy = size[1] / std::max(1.0, double(height()));
    auto display = [&](const QPointF& p) {
        return std::array<double, 2>{p.x() * sx, size[1] - p.y() * sy};
    };
    vtkNew<vtkPoints> points;
    vtkNew<vtkCellArray> lines;
    auto segment = [&](const QPointF& from, const QPointF& to) {
        const auto a = display(from), b = display(to);
        const vtkIdType ids[2] = {points->InsertNextPoint(a[0], a[1], 0),
                                  points->InsertNextPoint(b[0], b[1], 0)};
        lines->InsertNextCell(2, ids);
    };
    std::size_t text = 0;
    auto label = [&](const QString& s, const QPointF& at, int fontSize, bool bold, bool centred) {
        if (text == d->axisTexts.size()) {
            d->axisTexts.push_back(vtkSmartPointer<vtkTextActor>::New());
            d->renderer->AddActor2D(d->axisTexts.back());
        }
        vtkTextActor* actor = d->axisTexts[text++];
        vtkTextProperty* t = actor->GetTextProperty();
        t->SetFontFamilyToArial();
        t->SetFontSize(int(std::lround(fontSize * d->renderScale)));
        t->SetBold(bold);
        t->SetColor(bold ? 0.1 : 0.27, bold ? 0.1 : 0.27, bold ? 0.1 : 0.27);
        t->SetJustification(centred ? VTK_TEXT_CENTERED : VTK_TEXT_LEFT);
        t->SetVerticalJustification(centred ? VTK_TEXT_CENTERED : VTK_TEXT_BOTTOM);
        actor->SetInput(s.toUtf8().constData());
        const auto p = display(at);
        actor->SetDisplayPosition(int(std::lround(p[0])), int(std::lround(p[1])));
        actor->SetVisibility(true);
    };
    for (const auto& axis : axes) {
        segment(axis.from, axis.to);
        for (const auto& tick : axis.ticks) {
            segment(tick.position, tick.position + 4 * axis.tickDirection);
            // labelAt is the baseline; VTK's bottom justification sits a little below it.
            if (!tick.label.isEmpty())
                label(tick.label, tick.labelAt + QPointF(0, 2), kScatterTickFont, false, false);
        }
        label(axis.title, axis.titlePosition, kScatterTitleFont, true, true);
    }
    for (std::size_t i = text; i < d->axisTexts.size(); ++i) d->axisTexts[i]->SetVisibility(false);
    d->axisLines->SetPoints(points);
    d->axisLines->SetLines(lines);
    d->axisLines->Modified();
}

void VtkScatterView::setPoints(const Eigen::MatrixXf& xyz, const std::vector<float>& values,
                               ColourMapKind colourMap, const QString& colourTitle,
                               const QStringList& axisTitles, double valueMin, double valueMax)
{
    const int n = int(xyz.rows());
    d->dims = std::clamp(int(xyz.cols()), 2, 3);
    d->raw = Eigen::MatrixXf::Zero(n, 3);
    d->raw.leftCols(std::min<int>(3, int(xyz.cols()))) =
        xyz.leftCols(std::min<int>(3, int(xyz.cols())));
    d->axisTitles = axisTitles;
    layoutPoints();
    d->actor->SetVisibility(n > 0);
    const bool planar = d->dims == 2;
    d->style->planar = planar;
    d->renderer->GetActiveCamera()->SetParallelProjection(planar);
    setValues(values, colourMap, colourTitle, valueMin, valueMax);
    setSelectedPoint(-1);
    resetView();
}

void VtkScatterView::movePoints(const Eigen::MatrixXf& xyz)
{
    if (xyz.rows() != d->raw.rows() || std::clamp(int(xyz.cols()), 2, 3) != d->dims) return;
    d->raw.leftCols(std::min<int>(3, int(xyz.cols()))) =
        xyz.leftCols(std::min<int>(3, int(xyz.cols())));
    layoutPoints();
    setSelectedPoint(d->selected);
    update();
}

void VtkScatterView::setEqualScales(bool equal)
{
    if (d->equalScales == equal) return;
    d->equalScales = equal;
    layoutPoints();
    setSelectedPoint(d->selected);
    resetView();
}

bool VtkScatterView::equalScales() const
{
    return d->equalScales;
}

void VtkScatterView::layoutPoints()
{
    // Each axis' whole range widened to round values and scaled into [-1, 1] (a box, as
    // matplotlib's 3D view), or all by the same factor with equal scales; labels in data units.
    const int n = int(d->raw.rows());
    double lo[3] = {0, 0, 0}, hi[3] = {1, 1, 1};
    for (int c = 0; c < d->dims && n > 0; ++c) {
        lo[c] = double(d->raw.col(c).minCoeff());
        hi[c] = double(d->raw.col(c).maxCoeff());
    }
    d->box = scatterBox(lo, hi, d->dims, d->equalScales);
    const double* centre = d->box.centre;
    const double* half = d->box.half;
    d->points = Eigen::MatrixXf::Zero(n, 3);
    for (int c = 0; c < d->dims; ++c)
        d->points.col(c) = ((d->raw.col(c).array() - float(centre[c])) / float(half[c])).matrix();
    vtkNew<vtkPoints> pts;
    pts->SetDataTypeToFloat();
    pts->SetNumberOfPoints(n);
    for (int i = 0; i < n; ++i) pts->SetPoint(i, d->points(i, 0), d->points(i, 1), d->points(i, 2));
    vtkNew<vtkIdTypeArray> offsets, connectivity;
    offsets->SetNumberOfValues(n + 1);
    connectivity->SetNumberOfValues(n);
    for (vtkIdType i = 0; i <= n; ++i) offsets->SetValue(i, i);
    for (vtkIdType i = 0; i < n; ++i) connectivity->SetValue(i, i);
    vtkNew<vtkCellArray> verts;
    verts->SetData(offsets, connectivity);
    vtkDataArray* scalars = d->cloud->GetPointData()->GetScalars();
    if (scalars) scalars->Register(nullptr);
    d->cloud->Initialize();
    d->cloud->SetPoints(pts);
    d->cloud->SetVerts(verts);
    if (scalars) {
        if (scalars->GetNumberOfTuples() == n) d->cloud->GetPointData()->SetScalars(scalars);
        scalars->UnRegister(nullptr);
    }
    for (std::size_t c = 0; c < 3; ++c) {
        d->boxBounds[2 * c] = int(c) < d->dims ? -1.0 : 0.0;
        d->boxBounds[2 * c + 1] = int(c) < d->dims ? 1.0 : 0.0;
    }
}

float VtkScatterView::value(int index) const
{
    auto* scalars = vtkFloatArray::SafeDownCast(d->cloud->GetPointData()->GetScalars());
    if (!scalars || index < 0 || index >= scalars->GetNumberOfValues())
        return std::numeric_limits<float>::quiet_NaN();
    return scalars->GetValue(index);
}

void VtkScatterView::setValues(const std::vector<float>& values, ColourMapKind colourMap,
                               const QString& colourTitle, double valueMin, double valueMax)
{
    const int n = int(d->points.rows());
    vtkNew<vtkFloatArray> scalars;
    scalars->SetName("value");
    scalars->SetNumberOfValues(n);
    float lo = std::numeric_limits<float>::max(), hi = std::numeric_limits<float>::lowest();
    bool missing = false;  // NaN values: no value for that point, drawn in a neutral grey
    for (int i = 0; i < n; ++i) {
        const float v = i < int(values.size()) ? values[i] : 0.0f;
        scalars->SetValue(i, v);
        if (std::isnan(v)) {
            missing = true;
            continue;
        }
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    if (valueMax > valueMin) lo = float(valueMin), hi = float(valueMax);
    if (!(hi > lo)) hi = lo + 1.0f;
    d->cloud->GetPointData()->SetScalars(scalars);

    const std::vector<Rgb> table = colourTable(colourMap, 256);
    d->lut->SetNumberOfTableValues(vtkIdType(table.size()));
    for (std::size_t i = 0; i < table.size(); ++i)
        d->lut->SetTableValue(vtkIdType(i), table[i][0], table[i][1], table[i][2], 1.0);
    d->lut->SetTableRange(lo, hi);
    // Whole numbers (frames, repeats) get integer labels.
    bool integral = true;
    for (int i = 0; i < n && integral; i += std::max(1, n / 1000))
        integral = std::isnan(scalars->GetValue(i)) ||
                   scalars->GetValue(i) == std::floor(scalars->GetValue(i));
    d->lut->SetNanColor(0.78, 0.78, 0.78, 1.0);
    d->colourBar->SetDrawNanAnnotation(missing);
    d->colourBar->SetNanAnnotation("none");
    d->colourBar->SetLabelFormat(integral && hi - lo >= 4 ? "%-6.0f" : "%-#6.3g");
    d->integralLabels = integral && hi - lo >= 4;
    d->colourTitle = colourTitle;
    d->lut->Build();
    d->mapper->SetScalarRange(lo, hi);
    // A title longer than the bar is wide goes on two lines (it would be cut).
    QString shownTitle = colourTitle;
    if (shownTitle.size() > 10) {
        const int middle = int(shownTitle.size()) / 2;
        int cut = -1;
        for (int i = 0; i < shownTitle.size(); ++i)
            if (shownTitle[i] == QLatin1Char(' ') &&
                (cut < 0 || std::abs(i - middle) < std::abs(cut - middle)))
                cut = i;
        if (cut > 0) shownTitle[cut] = QLatin1Char('\n');
    }
    d->colourBar->SetTitle(shownTitle.toUtf8().constData());
    d->colourBar->SetVisibility(n > 0);
    d->cloud->Modified();
    update();
}

void VtkScatterView::clear()
{
    setPoints(Eigen::MatrixXf(0, 3), {}, ColourMapKind::Sequential, {}, {});
}

int VtkScatterView::pointCount() const
{
    return int(d->points.rows());
}
int VtkScatterView::dimensions() const
{
    return d->dims;
}
int VtkScatterView::selectedPoint() const
{
    return d->selected;
}
double VtkScatterView::pointSize() const
{
    return d->pointSize;
}

void VtkScatterView::setSelectedPoint(int index)
{
    d->selected = (index >= 0 && index < pointCount()) ? index : -1;
    update();
}

void VtkScatterView::placeSelectionMarker()
{
    bool visible = d->selected >= 0;
    if (visible) {
        const auto p = d->points.row(d->selected);
        d->renderer->SetWorldPoint(p(0), p(1), p(2), 1.0);
        d->renderer->WorldToDisplay();
        const double* display = d->renderer->GetDisplayPoint();
        visible = display[2] >= 0.0 && display[2] <= 1.0;
        for (vtkActor2D* a : {d->ringInnerActor.Get(), d->ringOuterActor.Get()})
            a->SetPosition(display[0], display[1]);
    }
    d->ringInnerActor->SetVisibility(visible);
    d->ringOuterActor->SetVisibility(visible);
}

void VtkScatterView::setPointSize(double pixels)
{
    d->pointSize = std::clamp(pixels, 1.0, 30.0);
    d->actor->GetProperty()->SetPointSize(float(d->pointSize * devicePixelRatioF()));
    update();
}

void VtkScatterView::resetView()
{
    vtkCamera* camera = d->renderer->GetActiveCamera();
    const double* b = d->boxBounds;
    camera->SetFocalPoint(0, 0, 0);
    if (d->dims == 2) {
        camera->SetPosition(0, 0, 5);
        camera->SetViewUp(0, 1, 0);
    } else {
        // From the front right and a little above, as matplotlib's default 3D view.
        camera->SetPosition(4.0, -4.0, 3.0);
        camera->SetViewUp(0, 0, 1);
    }
    d->renderer->ResetCamera(b[0], b[1], b[2], b[3], b[4], b[5]);
    // The box's bounding sphere fills the view; the box itself (inside it) leaves room for the
    // axes' labels and titles.
    camera->Zoom(0.9);
    d->renderer->ResetCameraClippingRange();
    update();
}

void VtkScatterView::cameraMoving()
{
    if (!d->moving) {
        d->moving = true;
        d->actor->GetProperty()->SetRenderPointsAsSpheres(false);
    }
    d->stillTimer->start();
}

void VtkScatterView::rotateBy(double degrees)
{
    cameraMoving();
    d->renderer->GetActiveCamera()->Azimuth(degrees);
    d->renderer->ResetCameraClippingRange();
    update();
}

QPointF VtkScatterView::projectPoint(int index) const
{
    if (index < 0 || index >= pointCount()) return {-1, -1};
    const double w = std::max(1, width()), h = std::max(1, height());
    vtkMatrix4x4* m =
        d->renderer->GetActiveCamera()->GetCompositeProjectionTransformMatrix(w / h, -1, 1);
    const auto p = d->points.row(index);
    double in[4] = {p(0), p(1), p(2), 1.0}, out[4];
    m->MultiplyPoint(in, out);
    if (out[3] == 0) return {-1, -1};
    const double x = out[0] / out[3], y = out[1] / out[3];
    return {(x + 1) / 2 * w, (1 - y) / 2 * h};
}

int VtkScatterView::pickAt(const QPoint& position, double radius) const
{
    const int n = pointCount();
    if (n == 0) return -1;
    const double w = std::max(1, width()), h = std::max(1, height());
    vtkMatrix4x4* vm =
        d->renderer->GetActiveCamera()->GetCompositeProjectionTransformMatrix(w / h, -1, 1);
    double m[16];
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c) m[r * 4 + c] = vm->GetElement(r, c);
    const double px = 2.0 * position.x() / w - 1.0, py = 1.0 - 2.0 * position.y() / h;
    const double rx = 2.0 * radius / w, ry = 2.0 * radius / h;
    int best = -1;
    double bestDistance = 2.0, bestDepth = std::numeric_limits<double>::max();
    for (int i = 0; i < n; ++i) {
        const double x = d->points(i, 0), y = d->points(i, 1), z = d->points(i, 2);
        const double ww = m[12] * x + m[13] * y + m[14] * z + m[15];
        if (ww <= 0) continue;
        const double dx = ((m[0] * x + m[1] * y + m[2] * z + m[3]) / ww - px) / rx;
        const double dy = ((m[4] * x + m[5] * y + m[6] * z + m[7]) / ww - py) / ry;
        const double dist = dx * dx + dy * dy;
        if (dist > 1.0) continue;
        const double depth = (m[8] * x + m[9] * y + m[10] * z + m[11]) / ww;
        // Nearest on screen; among near-equal candidates, the one in front.
        if (dist < bestDistance - 0.05 ||
            (std::abs(dist - bestDistance) <= 0.05 && depth < bestDepth)) {
            best = i;
            bestDistance = dist;
            bestDepth = depth;
        }
    }
    return best;
}

void VtkScatterView::mousePressEvent(QMouseEvent* event)
{
    d->pressPosition = event->position().toPoint();
    d->pressed = true;
    VtkOpenGLWidget::mousePressEvent(event);
}

void VtkScatterView::mouseReleaseEvent(QMouseEvent* event)
{
    VtkOpenGLWidget::mouseReleaseEvent(event);
    const bool still =
        d->pressed && (event->position().toPoint() - d->pressPosition).manhattanLength() < 4;
    const bool click = still && event->button() == Qt::LeftButton;
    d->pressed = false;
    // A right click without a drag (a drag zooms) asks for the context menu.
    if (still && event->button() == Qt::RightButton && contextMenuPolicy() == Qt::CustomContextMenu)
        Q_EMIT customContextMenuRequested(event->position().toPoint());
    if (click) {
        const int index = pickAt(event->position().toPoint());
        if (index >= 0) Q_EMIT pointClicked(index);
    }
}

void VtkScatterView::mouseMoveEvent(QMouseEvent* event)
{
    if (event->buttons() != Qt::NoButton) cameraMoving();
    VtkOpenGLWidget::mouseMoveEvent(event);
    if (event->buttons() != Qt::NoButton) return;
    const int index = pickAt(event->position().toPoint());
    if (index != d->hovered) {
        d->hovered = index;
        Q_EMIT pointHovered(index);
    }
}

void VtkScatterView::wheelEvent(QWheelEvent* event)
{
    cameraMoving();
    VtkOpenGLWidget::wheelEvent(event);
}

void VtkScatterView::keyPressEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_R) {
        resetView();
        return;
    }
    if (event->key() == Qt::Key_Plus || event->key() == Qt::Key_Equal ||
        event->key() == Qt::Key_Minus) {
        setPointSize(d->pointSize + (event->key() == Qt::Key_Minus ? -1 : 1));
        Q_EMIT pointSizeChanged(d->pointSize);
        return;
    }
    const bool shift = event->modifiers().testFlag(Qt::ShiftModifier);
    switch (event->key()) {
        case Qt::Key_Left:
        case Qt::Key_Right: {
            const int step = event->key() == Qt::Key_Left ? -1 : 1;
            Q_EMIT stepRequested(shift ? 0 : step, shift ? step : 0);
            return;
        }
        default:
            VtkOpenGLWidget::keyPressEvent(event);
    }
}

bool VtkScatterView::event(QEvent* event)
{
    // X11 asks for the context menu when the right button goes down, which starts a zoom here: the
    // menu comes on release instead (mouseReleaseEvent); the keyboard's menu key still opens it at
    // once.
    if (event->type() == QEvent::ContextMenu &&
        static_cast<QContextMenuEvent*>(event)->reason() == QContextMenuEvent::Mouse) {
        event->accept();
        return true;
    }
    return VtkOpenGLWidget::event(event);
}

void VtkScatterView::setRenderScale(double scale)
{
    d->actor->GetProperty()->SetPointSize(float(d->pointSize * scale));
    for (vtkTextProperty* t :
         {d->colourBar->GetTitleTextProperty(), d->colourBar->GetLabelTextProperty()})
        t->SetFontSize(int(std::lround(13 * scale)));
    d->renderScale = scale;
    d->ringInner->SetRadius(9.0 * scale);
    d->ringOuter->SetRadius(12.0 * scale);
    d->ringInnerActor->GetProperty()->SetLineWidth(float(4.0 * scale));
    d->ringOuterActor->GetProperty()->SetLineWidth(float(1.5 * scale));
}

void VtkScatterView::leaveEvent(QEvent* event)
{
    if (d->hovered != -1) {
        d->hovered = -1;
        Q_EMIT pointHovered(-1);
    }
    VtkOpenGLWidget::leaveEvent(event);
}

}  // namespace neurolens
