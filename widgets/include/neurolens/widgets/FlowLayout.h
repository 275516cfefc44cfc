#pragma once
// A toolbar's layout that wraps: items side by side at their preferred widths, continuing on a new
// line where the next would not fit, so a bar of controls needs only as much width as its widest
// item (a window that fits a laptop's screen). Items are widgets, usually a label and its control
// grouped by group().

#include <QLayout>
#include <QList>

#include <initializer_list>

namespace neurolens {

class FlowLayout : public QLayout {
public:
    explicit FlowLayout(QWidget* parent = nullptr, int hSpacing = 10, int vSpacing = 4);
    ~FlowLayout() override;
    FlowLayout(const FlowLayout&) = delete;
    FlowLayout& operator=(const FlowLayout&) = delete;

    // `widgets` side by side in one item (a label and its control wrap together).
    static QWidget* group(std::initializer_list<QWidget*> widgets, QWidget* parent);

    void addItem(QLayoutItem* item) override;
    int count() const override { return int(items_.size()); }
    QLayoutItem* itemAt(int index) const override;
    QLayoutItem* takeAt(int index) override;
    Qt::Orientations expandingDirections() const override { return {}; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSize() const override;
    void setGeometry(const QRect& rect) override;

private:
    // Places the items within `rect` when `apply`; returns the height they take.
    int arrange(const QRect& rect, bool apply) const;

    QList<QLayoutItem*> items_;
    int hSpacing_, vSpacing_;
};

}  // namespace neurolens
