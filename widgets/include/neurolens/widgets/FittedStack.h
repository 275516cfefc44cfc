#pragma once
// A stacked widget as large as the page it shows, not its largest page: a short form under a long
// one's stack leaves no empty rows.

#include <QStackedWidget>

namespace neurolens {

class FittedStack : public QStackedWidget {
    Q_OBJECT
public:
    explicit FittedStack(QWidget* parent = nullptr);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
};

}  // namespace neurolens
