#pragma once
// A scrollable strip of decoded movie frames next to the true ones (seed figures 7 and 11): for
// each item the true frame above the decoded one, with the frame numbers and the error below.
// Clicking an item emits its index.

#include <QImage>
#include <QScrollArea>
#include <QString>

#include <vector>

namespace neurolens {

struct FrameStripItem {
    QImage truth, decoded;
    QString caption;
};

class FrameStrip : public QScrollArea {
    Q_OBJECT
public:
    explicit FrameStrip(QWidget* parent = nullptr);
    void setItems(const std::vector<FrameStripItem>& items);
    int count() const { return int(items_.size()); }

Q_SIGNALS:
    void itemClicked(int index);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    std::vector<FrameStripItem> items_;
    QWidget* canvas_ = nullptr;
};

}  // namespace neurolens
