#pragma once
// VTK hosted in a Qt6 QOpenGLWidget (docs/design.md), for views built on VTK. A
// vtkGenericOpenGLRenderWindow shares the widget's context and renders in paintGL into its own
// framebuffer, which is then blitted into the widget's; mouse and wheel events go to a
// vtkGenericRenderWindowInteractor whose render requests become update(). Subclasses add props to
// renderer() and may set an interactor style. Only forward declarations of VTK types appear here.

#include <QOpenGLWidget>

#include <memory>

class QImage;
class QSize;
class QSurfaceFormat;
class vtkInteractorObserver;
class vtkRenderer;

namespace neurolens {

class VtkOpenGLWidget : public QOpenGLWidget {
    Q_OBJECT
public:
    explicit VtkOpenGLWidget(QWidget* parent = nullptr);
    ~VtkOpenGLWidget() override;

    // The OpenGL format VTK needs; set it as the default before constructing QApplication.
    static QSurfaceFormat defaultFormat();

    // The scene rendered offscreen at `pixels` (for export at any size; the view on screen is left
    // as it is). Sizes given in device pixels (points, fonts) scale with the image's width over the
    // view's.
    QImage renderImage(const QSize& pixels);

Q_SIGNALS:
    void rendered();  // after each completed paint

protected:
    vtkRenderer* renderer() const;
    void setInteractorStyle(vtkInteractorObserver* style);
    // Called in paintGL just before VTK renders (the camera is final for this frame).
    virtual void beforeRender() {}
    // Multiplies the sizes a subclass gives in logical pixels (points, fonts) to device pixels: the
    // screen's device pixel ratio, or more for a larger offscreen image.
    virtual void setRenderScale(double /*scale*/) {}

    void initializeGL() override;
    void resizeGL(int w, int h) override;
    void paintGL() override;
    // Default: forward to VTK's interactor.
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

}  // namespace neurolens
