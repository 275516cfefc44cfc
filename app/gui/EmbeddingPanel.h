#pragma once
// The embedding view: a method selector (PCA from the analysis; every other method of the registry
// computed on request, t-SNE's layout streaming into the view while it optimises, with pause,
// resume and cancel; stored embeddings such as a trained model's latents), the 3D or 2D scatter of
// the samples coloured by frame (or repeat, population rate, or the last decoder's error on the
// test repeat), point size, reset, and a line that describes the point under the pointer. Shares
// the sample selection with the other views.

#include "AnalysisController.h"

#include "neurolens/decode/FrameDecoding.h"

#include "neurolens/figures/ColourMap.h"
#include "neurolens/widgets/SampleSelection.h"

#include <QWidget>

#include <map>
#include <string>

class QCheckBox;
class QComboBox;
class QLabel;
class QSpinBox;
class QToolButton;

namespace neurolens {

class ElidedLabel;

class MethodControls;
class EmbeddingJob;
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
    QSpinBox* pointSize() const { return pointSize_; }
    QComboBox* dims() const { return dims_; }
    MethodControls* methodControls() const { return controls_; }
    EmbeddingJob* job() const { return job_; }
    // The layout a computed method (t-SNE, factor analysis, ...) made for the current analysis;
    // null when none.
    std::shared_ptr<const RowMatrixXf> layout(const std::string& method) const;
    // Every such layout, by method.
    const std::map<std::string, std::shared_ptr<const RowMatrixXf>>& layouts() const
    {
        return layouts_;
    }
    VtkScatterView* view() const { return view_; }
    int sampleToPoint(const Sample& s) const;
    // The coordinates shown: the PCA projection, a computed layout (null when it has none yet) or
    // the stored result; with a short name (the method's or the result's) and the analysis they
    // belong to.
    const RowMatrixXf* coordinates() const;
    QString shownName() const;
    const AnalysisPtr& analysis() const { return analysis_; }
    Sample pointToSample(int index) const;

private:
    void rebuild(bool keepCamera);
    void syncBehaviourColours();
    std::vector<float> colourValues(QString* title, ColourMapKind* kind, double* lo,
                                    double* hi) const;
    void describe(int index);
    // The arrow keys in the view: the selected sample a frame on, or (Shift) a repeat.
    void step(int frames, int repeats);
    // The registered method shown that is computed on request (not PCA, which the analysis holds),
    // or empty.
    std::string computedMethod() const;
    QString storedResult() const;  // the stored embedding shown, or empty
    QString axisTitle() const;     // with %1 for the axis number
    int requestedDims() const;     // the view's dimensions, within what the computed method gives
    void startMethod();
    void showLayout(const std::string& method, std::shared_ptr<const RowMatrixXf> layout);

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
    ElidedLabel* info_ = nullptr;
    MethodControls* controls_ = nullptr;
    EmbeddingJob* job_ = nullptr;
    std::map<std::string, std::shared_ptr<const RowMatrixXf>> layouts_;  // for layoutsFor_
    AnalysisPtr layoutsFor_;
};

}  // namespace neurolens
