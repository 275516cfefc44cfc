#include "neurolens/widgets/VtkOpenGLWidget.h"

#include "neurolens/linalg/Simd.h"

#include <QImage>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QSurfaceFormat>
#include <QWheelEvent>

#include <vtkCallbackCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkInteractorObserver.h>
#include <vtkNew.h>
#include <vtkOpenGLState.h>
#include <vtkRenderer.h>
#include <vtkUnsignedCharArray.h>

#include <algorithm>
#include <cmath>

namespace neurolens {
namespace {

// OpenGL enums used here; spelled out so no GL header has to be mixed with VTK's loader.
constexpr unsigned kGlDrawFramebuffer = 0x8CA9;
constexpr unsigned kGlColorAttachment0 = 0x8CE0;
constexpr unsigned kGlLequal = 0x0203;

}  // namespace

struct VtkOpenGLWidget::Impl {
    vtkNew<vtkGenericOpenGLRenderWindow> window;
    vtkNew<vtkGenericRenderWindowInteractor> interactor;
    vtkNew<vtkRenderer> renderer;
    vtkNew<vtkCallbackCommand> makeCurrent, isCurrent, renderRequest;
};

QSurfaceFormat VtkOpenGLWidget::defaultFormat()
{
    QSurfaceFormat format;
    format.setRenderableType(QSurfaceFormat::OpenGL);
    format.setVersion(3, 2);
    format.setProfile(QSurfaceFormat::CoreProfile);
    format.setSwapBehavior(QSurfaceFormat::DoubleBuffer);
    format.setRedBufferSize(8);
    format.setGreenBufferSize(8);
    format.setBlueBufferSize(8);
    format.setDepthBufferSize(24);
    format.setStencilBufferSize(8);
    format.setAlphaBufferSize(8);
    format.setSamples(0);
    format.setSwapInterval(
        0);  // no waiting for a vertical blank that a virtual display does not have
    return format;
}

VtkOpenGLWidget::VtkOpenGLWidget(QWidget* parent)
    : QOpenGLWidget(parent), d(std::make_unique<Impl>())
{
    auto& w = *d->window;
    w.SetOwnContext(false);
    w.SetFrameBlitModeToNoBlit();
    w.SetMultiSamples(0);  // VTK asks for 8x MSAA by default: costly in software GL
    w.SetReadyForRendering(false);
    w.AddRenderer(d->renderer);
    d->renderer->SetBackground(1.0, 1.0, 1.0);
    d->renderer->SetBackgroundAlpha(1.0);  // opaque, or the blitted frame shows through as black

    // VTK asks for the context to be made current: only when it is not (makeCurrent() inside
    // paintGL would rebind Qt's framebuffer in the middle of a render).
    d->makeCurrent->SetClientData(this);
    d->makeCurrent->SetCallback([](vtkObject*, unsigned long, void* self, void*) {
        auto* view = static_cast<VtkOpenGLWidget*>(self);
        if (QOpenGLContext::currentContext() != view->context()) view->makeCurrent();
    });
    d->isCurrent->SetClientData(this);
    d->isCurrent->SetCallback([](vtkObject*, unsigned long, void* self, void* callData) {
        auto* view = static_cast<VtkOpenGLWidget*>(self);
        *static_cast<bool*>(callData) =
            view->context() && QOpenGLContext::currentContext() == view->context();
    });
    w.AddObserver(vtkCommand::WindowMakeCurrentEvent, d->makeCurrent);
    w.AddObserver(vtkCommand::WindowIsCurrentEvent, d->isCurrent);

    d->interactor->SetRenderWindow(&w);
    d->interactor->EnableRenderOff();
    d->renderRequest->SetClientData(this);
    d->renderRequest->SetCallback([](vtkObject*, unsigned long, void* self, void*) {
        static_cast<VtkOpenGLWidget*>(self)->update();
    });
    d->interactor->AddObserver(vtkCommand::RenderEvent, d->renderRequest);
}

VtkOpenGLWidget::~VtkOpenGLWidget()
{
    makeCurrent();
    d->window->Finalize();
    doneCurrent();
}

vtkRenderer* VtkOpenGLWidget::renderer() const
{
    return d->renderer;
}

void VtkOpenGLWidget::setInteractorStyle(vtkInteractorObserver* style)
{
    d->interactor->SetInteractorStyle(style);
}

void VtkOpenGLWidget::initializeGL()
{
    d->window->SetReadyForRendering(false);
    d->window->OpenGLInitContext();
    d->interactor->Initialize();
}

void VtkOpenGLWidget::resizeGL(int w, int h)
{
    const double ratio = devicePixelRatioF();
    const int pw = std::max(1, int(std::lround(w * ratio))),
              ph = std::max(1, int(std::lround(h * ratio)));
    d->window->SetSize(pw, ph);
    d->interactor->SetSize(pw, ph);
}

QImage VtkOpenGLWidget::renderImage(const QSize& pixels)
{
    if (pixels.width() < 1 || pixels.height() < 1) return {};
    makeCurrent();
    const double ratio = devicePixelRatioF();
    const int w = std::max(1, int(std::lround(width() * ratio))),
              h = std::max(1, int(std::lround(height() * ratio)));
    setRenderScale(ratio * double(pixels.width()) / w);
    d->window->SetSize(pixels.width(), pixels.height());
    vtkOpenGLState* state = d->window->GetState();
    state->Reset();
    state->Push();
    state->vtkglDepthFunc(kGlLequal);
    d->window->SetReadyForRendering(true);
    beforeRender();
    d->window->Render();
    vtkNew<vtkUnsignedCharArray> rgba;
    d->window->GetRGBACharPixelData(0, 0, pixels.width() - 1, pixels.height() - 1, 1, rgba);
    d->window->SetReadyForRendering(false);
    state->Pop();
    d->window->SetSize(w, h);
    setRenderScale(ratio);
    doneCurrent();
    update();
    QImage image(pixels, QImage::Format_RGBA8888);
    const unsigned char* src = rgba->GetPointer(0);
    const int row = pixels.width() * 4;
    for (int y = 0; y < pixels.height(); ++y)  // VTK's rows run bottom-up
        std::copy(src + std::size_t(pixels.height() - 1 - y) * std::size_t(row),
                  src + std::size_t(pixels.height() - y) * std::size_t(row), image.scanLine(y));
    return image.convertToFormat(QImage::Format_RGB32);
}

void VtkOpenGLWidget::paintGL()
{
    vtkOpenGLState* state = d->window->GetState();
    state->Reset();
    state->Push();
    state->vtkglDepthFunc(kGlLequal);  // Qt leaves GL_LESS; VTK expects GL_LEQUAL
    d->window->SetReadyForRendering(true);
    beforeRender();
    d->window->Render();
    d->window->SetReadyForRendering(false);
    state->Pop();

    // Blit VTK's finished frame into the widget's framebuffer.
    state->PushDrawFramebufferBinding();
    state->vtkglBindFramebuffer(kGlDrawFramebuffer, defaultFramebufferObject());
    state->vtkglDrawBuffer(kGlColorAttachment0);
    d->window->BlitDisplayFramebuffer();
    state->PopDrawFramebufferBinding();
    clearUpperVectorState();  // the software renderer's code leaves it dirty
                              // (neurolens/linalg/Simd.h)
    Q_EMIT rendered();
}

namespace {
void forward(vtkGenericRenderWindowInteractor* interactor, QWidget* widget, const QPointF& pos,
             Qt::KeyboardModifiers modifiers, unsigned long event)
{
    const double ratio = widget->devicePixelRatioF();
    interactor->SetEventInformationFlipY(int(pos.x() * ratio), int(pos.y() * ratio),
                                         (modifiers & Qt::ControlModifier) ? 1 : 0,
                                         (modifiers & Qt::ShiftModifier) ? 1 : 0);
    interactor->InvokeEvent(event, nullptr);
}
}  // namespace

void VtkOpenGLWidget::mousePressEvent(QMouseEvent* event)
{
    const unsigned long e = event->button() == Qt::LeftButton ? vtkCommand::LeftButtonPressEvent
                            : event->button() == Qt::MiddleButton
                                ? vtkCommand::MiddleButtonPressEvent
                                : vtkCommand::RightButtonPressEvent;
    forward(d->interactor, this, event->position(), event->modifiers(), e);
}

void VtkOpenGLWidget::mouseReleaseEvent(QMouseEvent* event)
{
    const unsigned long e = event->button() == Qt::LeftButton ? vtkCommand::LeftButtonReleaseEvent
                            : event->button() == Qt::MiddleButton
                                ? vtkCommand::MiddleButtonReleaseEvent
                                : vtkCommand::RightButtonReleaseEvent;
    forward(d->interactor, this, event->position(), event->modifiers(), e);
}

void VtkOpenGLWidget::mouseMoveEvent(QMouseEvent* event)
{
    forward(d->interactor, this, event->position(), event->modifiers(), vtkCommand::MouseMoveEvent);
}

void VtkOpenGLWidget::wheelEvent(QWheelEvent* event)
{
    const unsigned long e = event->angleDelta().y() > 0 ? vtkCommand::MouseWheelForwardEvent
                                                        : vtkCommand::MouseWheelBackwardEvent;
    forward(d->interactor, this, event->position(), event->modifiers(), e);
    event->accept();
}

}  // namespace neurolens
