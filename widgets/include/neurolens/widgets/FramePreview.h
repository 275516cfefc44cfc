#pragma once
// The movie frame of the selected sample, scaled to fit with its aspect ratio, with a caption
// (frame number, time in the movie, repeat). Shows a hint when there is no movie or no selection.

#include <QImage>
#include <QWidget>

namespace neurolens {

class FramePreview : public QWidget {
    Q_OBJECT
public:
    explicit FramePreview(QWidget* parent = nullptr);
    void setFrame(const QImage& image, const QString& caption);
    void clear(const QString& hint);
    const QImage& image() const { return image_; }
    QString caption() const { return caption_; }
    QSize sizeHint() const override { return {320, 220}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QImage image_;
    QString caption_;
};

}  // namespace neurolens
