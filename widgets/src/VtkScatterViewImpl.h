#pragma once
// VtkScatterView's private parts, shared by its two translation units: the view itself
// (VtkScatterView.cpp) and its description for vector export (VtkScatterFigure.cpp).

#include "neurolens/widgets/VtkScatterView.h"

#include <QPoint>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <vector>

#include <vtkActor.h>
#include <vtkActor2D.h>
#include <vtkInteractorStyleTrackballCamera.h>
#include <vtkLookupTable.h>
#include <vtkNew.h>
#include <vtkObjectFactory.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkPolyDataMapper2D.h>
#include <vtkRegularPolygonSource.h>
#include <vtkRenderWindowInteractor.h>
#include <vtkRenderer.h>
#include <vtkScalarBarActor.h>
#include <vtkSmartPointer.h>
#include <vtkTextActor.h>

namespace neurolens {

// Trackball rotation in 3D; in 2D the left button pans instead, so the plane never tilts.
class ScatterInteractorStyle : public vtkInteractorStyleTrackballCamera {
public:
    static ScatterInteractorStyle* New();
    vtkTypeMacro(ScatterInteractorStyle, vtkInteractorStyleTrackballCamera) bool planar = false;
    void OnLeftButtonDown() override
    {
        if (!planar) return vtkInteractorStyleTrackballCamera::OnLeftButtonDown();
        FindPokedRenderer(Interactor->GetEventPosition()[0], Interactor->GetEventPosition()[1]);
        if (CurrentRenderer) StartPan();
    }
    void OnLeftButtonUp() override
    {
        if (!planar) return vtkInteractorStyleTrackballCamera::OnLeftButtonUp();
        EndPan();
    }
    void OnChar() override {}  // keys are the widget's (VTK's defaults quit, wireframe, ...)
};

struct VtkScatterView::Impl {
    vtkNew<ScatterInteractorStyle> style;
    vtkRenderer* renderer = nullptr;  // the host's
    vtkNew<vtkPolyData> cloud;
    vtkNew<vtkPolyDataMapper> mapper;
    vtkNew<vtkActor> actor;
    vtkNew<vtkLookupTable> lut;
    vtkNew<vtkScalarBarActor> colourBar;
    // The axes, drawn in 2D over the cloud from the layout exports use (addScatterAxes): lines and
    // tick marks, tick labels and titles, placed again before every render.
    vtkNew<vtkPolyData> axisLines;
    vtkNew<vtkPolyDataMapper2D> axisMapper;
    vtkNew<vtkActor2D> axisActor;
    std::vector<vtkSmartPointer<vtkTextActor>> axisTexts;
    // The selected point: rings drawn in 2D at its projection, so it is never hidden by the cloud
    // (a second render layer would cost a full-frame pass per render in software GL).
    vtkNew<vtkRegularPolygonSource> ringInner, ringOuter;
    vtkNew<vtkPolyDataMapper2D> ringInnerMapper, ringOuterMapper;
    vtkNew<vtkActor2D> ringInnerActor, ringOuterActor;

    Eigen::MatrixXf raw;     // n x 3 as given (z = 0 in 2D)
    Eigen::MatrixXf points;  // n x 3 as drawn: each axis centred and scaled into the [-1, 1] box
    QStringList axisTitles;
    double boxBounds[6] = {-1, 1, -1, 1, -1, 1};
    ScatterBox box;  // data units of the box, its round ticks
    double renderScale = 1.0;
    QString colourTitle;
    bool integralLabels = false;
    bool equalScales = false;
    int dims = 0;
    int selected = -1;
    int hovered = -1;
    double pointSize = 3.0;
    QPoint pressPosition;
    bool pressed = false;
    bool moving = false;
    QTimer* stillTimer = nullptr;
};

}  // namespace neurolens
