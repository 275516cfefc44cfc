#pragma once
// The embedding view: a method selector (PCA, or t-SNE computed live: its layout streams into the view
// while it optimises, with pause, resume and cancel; VAE and CEBRA plug in here), the 3D or 2D
// scatter of the samples coloured by frame (or repeat, population rate, or the last decoder's error
// on the test repeat), point size, reset, and a line that describes the point under the pointer.
// Shares the sample selection with the other views.

#include "AnalysisController.h"

#include "neurolens/decode/FrameDecoding.h"

#include "neurolens/figures/ColourMap.h"
#include "neurolens/widgets/SampleSelection.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QSpinBox;
class QToolButton;

namespace neurolens {

class TsneControls;
class TsneJob;
class VtkScatterView;

class EmbeddingPanel : public QWidget {
    Q_OBJECT
public:
    EmbeddingPanel(SampleSelection& selection, QWidget* parent = nullptr);

    void setAnalysis(AnalysisPtr analysis);
    // The decoder's result on `analysis` (ignored when that is no longer the panel's): its absolute
    // errors become a colouring, offered in "Colour by"; showDecodingErrors() selects it.
    void setDecoding(std::shared_ptr<const DecodeResult> result, const AnalysisPtr& analysis);
    void showDecodingErrors();
    QComboBox* colourBy() const { return colourBy_; }
    QComboBox* method() const { return method_; }
    QComboBox* dims() const { return dims_; }
    TsneControls* tsneControls() const { return tsneControls_; }
    TsneJob* tsne() const { return tsne_; }
    // The t-SNE layout shown (or last shown) for the current analysis; null when none.
    const std::shared_ptr<const RowMatrixXf>& tsneLayout() const { return tsneLayout_; }
    VtkScatterView* view() const { return view_; }
    int sampleToPoint(const Sample& s) const;
    // The coordinates shown: the PCA projection, the t-SNE layout (null when t-SNE has none yet) or the
    // stored result; with a short name ("pca", "tsne" or the result's) and the analysis they belong to.
    const RowMatrixXf* coordinates() const;
    QString shownName() const;
    const AnalysisPtr& analysis() const { return analysis_; }
    Sample pointToSample(int index) const;

private:
    void rebuild(bool keepCamera);
    std::vector<float> colourValues(QString* title, ColourMapKind* kind, double* lo, double* hi) const;
    void describe(int index);
    bool showingTsne() const;
    QString storedResult() const;  // the stored embedding shown, or empty
    void startTsne();
    void showTsneLayout(std::shared_ptr<const RowMatrixXf> layout);

    SampleSelection& selection_;
    AnalysisPtr analysis_;
    std::shared_ptr<const DecodeResult> decoding_;
    VtkScatterView* view_ = nullptr;
    QComboBox* method_ = nullptr;
    QComboBox* colourBy_ = nullptr;
    QComboBox* dims_ = nullptr;
    QSpinBox* pointSize_ = nullptr;
    QCheckBox* equal_ = nullptr;
    QToolButton* reset_ = nullptr;
    QLabel* info_ = nullptr;
    TsneControls* tsneControls_ = nullptr;
    TsneJob* tsne_ = nullptr;
    std::shared_ptr<const RowMatrixXf> tsneLayout_;  // for tsneFor_
    AnalysisPtr tsneFor_;
};

}  // namespace neurolens
