#pragma once
// A 2D or 3D point cloud (100 000 points and more) rendered by VTK inside a Qt6 QOpenGLWidget:
// coloured by a per-point value through a perceptual colour map with a labelled colour bar, axis
// titles, rotate (3D) / pan / zoom / reset, adjustable point size, hover and click picking of
// points, and one highlighted point. VTK types stay in the implementation; this header is plain Qt
// + Eigen. Rendering and event forwarding are VtkOpenGLWidget's.

#include "neurolens/figures/ColourMap.h"
#include "neurolens/figures/ScatterFigure.h"
#include "neurolens/widgets/VtkOpenGLWidget.h"

#include <Eigen/Core>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

namespace neurolens {

class VtkScatterView : public VtkOpenGLWidget {
    Q_OBJECT
public:
    explicit VtkScatterView(QWidget* parent = nullptr);
    ~VtkScatterView() override;

    // Points are rows of `xyz` (2 or 3 columns); `values` colours them (same length); `valueRange`
    // fixes the colour scale (min == max: the data's range). `axisTitles` name the columns.
    void setPoints(const Eigen::MatrixXf& xyz, const std::vector<float>& values,
                   ColourMapKind colourMap, const QString& colourTitle,
                   const QStringList& axisTitles, double valueMin = 0, double valueMax = 0);
    // Recolours without moving the camera. NaN values mark points without a value (drawn grey).
    void setValues(const std::vector<float>& values, ColourMapKind colourMap,
                   const QString& colourTitle, double valueMin = 0, double valueMax = 0);
    // Moves the points (same count and dimensions as the last setPoints) keeping the camera,
    // colours and selection: for layouts that evolve, such as t-SNE while it optimises.
    void movePoints(const Eigen::MatrixXf& xyz);
    void clear();
    int pointCount() const;
    // The colour value of a point (NaN: none), as last set.
    float value(int index) const;
    int dimensions() const;

    // By default each axis is scaled to the same box (matplotlib's 3D view); equal scales keep the
    // axes' relative extents (PC1 longer than PC3).
    void setEqualScales(bool equal);
    bool equalScales() const;
    void setSelectedPoint(int index);  // -1: none
    int selectedPoint() const;
    void setPointSize(double pixels);
    double pointSize() const;
    void resetView();
    // Rotates the camera about the view-up axis (3D) by `degrees`: for benchmarks and animations.
    void rotateBy(double degrees);

    // The point drawn nearest to a widget position (within `radius` pixels), or -1.
    int pickAt(const QPoint& position, double radius = 8.0) const;
    // Where a point is drawn, in widget coordinates (for tests and tooltips).
    QPointF projectPoint(int index) const;
    // The view as it is now (camera, colours, axes, colour bar, selection) for drawing as vectors.
    // (VTK's GL2PS exporter was tried: VTK 9.1's OpenGL2 backend hands it the points as an embedded
    // raster, which Debian's gl2ps, built without PNG, drops from SVG: the SVG held the labels
    // only.)
    ScatterFigure figure() const;

Q_SIGNALS:
    void pointHovered(int index);  // -1 when leaving every point
    void pointClicked(int index);
    // + and - (the size already changed), and the arrow keys: a frame left or right, with Shift a
    // repeat.
    void pointSizeChanged(double pixels);
    void stepRequested(int frames, int repeats);

protected:
    void beforeRender() override;
    void setRenderScale(double scale) override;
    bool event(QEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void layoutPoints();
    void placeSelectionMarker();
    void placeAxes();
    // The box's coordinates ([-1, 1] on each axis) to the widget's pixels, as now seen.
    std::function<QPointF(double x, double y, double z)> boxProjection() const;
    void cameraMoving();
    struct Impl;
    std::unique_ptr<Impl> d;
};

}  // namespace neurolens
