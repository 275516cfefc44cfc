#include "CebraOffset10.h"

#include "neurolens/jobs/Parallel.h"

#include <ATen/Parallel.h>
#include <dlfcn.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace neurolens::cebra {
namespace {

using torch::Tensor;
using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

// OpenBLAS held to one thread for its lifetime, when OpenBLAS is the BLAS (its controls are looked
// up at run time: with another BLAS this does nothing).
class OneBlasThread {
public:
    OneBlasThread()
    {
        static const auto set =
            reinterpret_cast<void (*)(int)>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
        static const auto get =
            reinterpret_cast<int (*)()>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
        if (set && get) {
            set_ = set;
            previous_ = get();
            set_(1);
        }
    }
    ~OneBlasThread()
    {
        if (set_ && previous_ > 1) set_(previous_);
    }
    OneBlasThread(const OneBlasThread&) = delete;
    OneBlasThread& operator=(const OneBlasThread&) = delete;

private:
    void (*set_)(int) = nullptr;
    int previous_ = 0;
};

// body(pass) for every pass. With LibTorch on one thread (the training default), the passes run
// side by side on the cores, each with single-threaded GEMMs: measured faster than one pass at a
// time with OpenBLAS's threads splitting each GEMM, whose idle thread spun while the elementwise
// work between the GEMMs ran on one core. Otherwise (LibTorch on several threads) one after another
// as LibTorch splits them.
template <class Body>
void forPasses(std::int64_t passes, const Body& body)
{
    if (at::get_num_threads() > 1 || passes < 2) {
        for (std::int64_t pass = 0; pass < passes; ++pass) body(pass, true);
        return;
    }
    const OneBlasThread blas;
    parallelFor(int(passes), [&](int pass) {
        const at::NoGradGuard noGrad;  // grad mode is per thread: nothing in a pass is recorded
        body(pass, false);
    });
}

// body(begin, end) over [0, n): split among LibTorch's threads when `split`, else on this thread
// alone.
template <class Body>
void rangeOf(std::int64_t n, bool split, const Body& body)
{
    if (split)
        at::parallel_for(0, n, 16, body);
    else
        body(0, n);
}

// A Conv1d(C, O, 3) weight (O, C, 3) with its taps outermost, (O, 3C): the window of three
// consecutive samples, channels last, is then three contiguous rows of the activations.
Tensor tapsFirst(const Tensor& weight)
{
    return weight.permute({0, 2, 1}).reshape({weight.size(0), -1}).contiguous();
}
Tensor tapsLast(const Tensor& weight, std::int64_t channels)
{
    return weight.view({weight.size(0), 3, channels}).permute({0, 2, 1}).contiguous();
}

// offset10 from the projections: P (N x 2H), windows of 10 samples (rows), channels last
// throughout.
//   a1[t] = P[s_t, :H] + P[s_t+1, H:] + b1, x1 = GELU(a1)                      (9 positions)
//   x_{l+1}[t] = x_l[t + 1] + GELU(W_l [x_l[t]; x_l[t+1]; x_l[t+2]] + b_l)      (7, 5, 3 positions)
//   z = W_last [x_4[0]; x_4[1]; x_4[2]] + b_last, out = z / |z|
// The backward pass reuses the windows copied for the forward GEMMs, folds the windows' gradients
// back with one pass of vector adds, and adds the first layer's gradient into rows of P's gradient,
// where LibTorch's autograd spends a third of a step on unfold_backward, zero fills, copies and
// adds.
struct Offset10Function : public torch::autograd::Function<Offset10Function> {
    static Tensor forward(AutogradContext* ctx, const Tensor& projection, const Tensor& rows,
                          const Tensor& b1, const Tensor& w2, const Tensor& b2, const Tensor& w3,
                          const Tensor& b3, const Tensor& w4, const Tensor& b4, const Tensor& w5,
                          const Tensor& b5, std::int64_t passes)
    {
        const Tensor P = projection.contiguous();
        const Tensor index = rows.contiguous();
        const std::int64_t H = b1.size(0), O = b5.size(0), B = index.numel() / 10, Bp = B / passes;
        const std::array<Tensor, 3> weights{tapsFirst(w2), tapsFirst(w3), tapsFirst(w4)};
        const std::array<Tensor, 3> biases{b2, b3, b4};
        const Tensor last = tapsFirst(w5);
        const float* p = P.data_ptr<float>();
        const std::int64_t* r = index.data_ptr<std::int64_t>();
        const Tensor firstBias = b1.contiguous();
        const float* bias1 = firstBias.data_ptr<float>();
        Tensor out = torch::empty({B, O}, P.options());
        std::vector<Tensor> saved{P, index, weights[0], weights[1], weights[2], last};
        std::vector<std::vector<Tensor>> savedByPass(static_cast<std::size_t>(passes));
        forPasses(passes, [&](std::int64_t pass, bool split) {
            std::vector<Tensor>& keep = savedByPass[std::size_t(pass)];
            const std::int64_t w0 = pass * Bp;
            Tensor a1 = torch::empty({Bp, 9, H}, P.options());
            float* a = a1.data_ptr<float>();
            rangeOf(Bp, split, [&](std::int64_t begin, std::int64_t end) {
                for (std::int64_t b = begin; b < end; ++b)
                    for (std::int64_t t = 0; t < 9; ++t) {
                        const float* x0 = p + r[(w0 + b) * 10 + t] * 2 * H;
                        const float* x1 = p + r[(w0 + b) * 10 + t + 1] * 2 * H + H;
                        float* o = a + (b * 9 + t) * H;
                        for (std::int64_t c = 0; c < H; ++c) o[c] = x0[c] + x1[c] + bias1[c];
                    }
            });
            Tensor x = torch::gelu(a1);
            keep.push_back(a1);
            for (int l = 0; l < 3; ++l) {
                const std::int64_t L = 9 - 2 * l;
                Tensor cols = torch::empty({Bp, L - 2, 3 * H}, P.options());
                const float* xs = x.data_ptr<float>();
                float* cs = cols.data_ptr<float>();
                rangeOf(Bp, split, [&](std::int64_t begin, std::int64_t end) {
                    for (std::int64_t b = begin; b < end; ++b)
                        for (std::int64_t t = 0; t < L - 2; ++t)
                            std::memcpy(cs + (b * (L - 2) + t) * 3 * H, xs + (b * L + t) * H,
                                        sizeof(float) * std::size_t(3 * H));
                });
                const Tensor pre = torch::addmm(biases[std::size_t(l)], cols.view({-1, 3 * H}),
                                                weights[std::size_t(l)].t())
                                       .view({Bp, L - 2, H});
                x = x.narrow(1, 1, L - 2) + torch::gelu(pre);
                keep.push_back(cols);
                keep.push_back(pre);
            }
            const Tensor cols5 = x.reshape({Bp, 3 * H});
            const Tensor z = torch::addmm(b5, cols5, last.t());
            const Tensor norm = z.norm(2, 1, true);
            const Tensor e = z / norm;
            out.narrow(0, w0, Bp).copy_(e);
            keep.push_back(cols5);
            keep.push_back(e);
            keep.push_back(norm);
        });
        for (const auto& keep : savedByPass) saved.insert(saved.end(), keep.begin(), keep.end());
        ctx->save_for_backward(saved);
        ctx->saved_data["passes"] = passes;
        return out;
    }

    static tensor_list backward(AutogradContext* ctx, tensor_list grads)
    {
        const auto saved = ctx->get_saved_variables();
        const std::int64_t passes = ctx->saved_data["passes"].toInt();
        const Tensor& P = saved[0];
        const std::int64_t H = P.size(1) / 2;
        const Tensor& index = saved[1];
        const std::array<Tensor, 3> weights{saved[2], saved[3], saved[4]};
        const Tensor& last = saved[5];
        const Tensor grad = grads[0].contiguous();
        const std::int64_t B = index.numel() / 10, Bp = B / passes, O = last.size(0);
        // Each pass's gradients on its own, added up in pass order afterwards: the same sums
        // however the passes were run.
        struct Gradients {
            Tensor dP, dLast, dLastBias, db1;
            std::array<Tensor, 3> dW, db;
        };
        std::vector<Gradients> byPass(static_cast<std::size_t>(passes));
        for (auto& gr : byPass) {
            gr.dP = torch::zeros_like(P);
            gr.dW = {torch::zeros_like(weights[0]), torch::zeros_like(weights[1]),
                     torch::zeros_like(weights[2])};
            gr.db = {torch::zeros({H}, P.options()), torch::zeros({H}, P.options()),
                     torch::zeros({H}, P.options())};
            gr.dLast = torch::zeros_like(last);
            gr.dLastBias = torch::zeros({O}, P.options());
            gr.db1 = torch::zeros({H}, P.options());
        }
        const std::int64_t* r = index.data_ptr<std::int64_t>();
        forPasses(passes, [&](std::int64_t pass, bool split) {
            Gradients& gr = byPass[std::size_t(pass)];
            Tensor& dLast = gr.dLast;
            Tensor& dLastBias = gr.dLastBias;
            Tensor& db1 = gr.db1;
            std::array<Tensor, 3>& dW = gr.dW;
            std::array<Tensor, 3>& db = gr.db;
            float* dp = gr.dP.data_ptr<float>();
            const std::int64_t w0 = pass * Bp;
            const std::size_t s = 6 + std::size_t(pass) * 10;
            const Tensor& a1 = saved[s];
            const Tensor& cols5 = saved[s + 7];
            const Tensor& e = saved[s + 8];
            const Tensor& norm = saved[s + 9];
            const Tensor g = grad.narrow(0, w0, Bp);
            // d(z / |z|) = (g - e (e . g)) / |z|
            const Tensor dz = (g - e * (e * g).sum(1, true)) / norm;
            dLast.addmm_(dz.t(), cols5);
            dLastBias += dz.sum(0);
            Tensor dx =
                dz.mm(last).view({Bp, 3, H});  // the one window's gradient is the 3 positions'
            for (int l = 2; l >= 0; --l) {
                const std::int64_t L = 9 - 2 * l;
                const Tensor& cols = saved[s + 1 + std::size_t(2 * l)];
                const Tensor& pre = saved[s + 2 + std::size_t(2 * l)];
                const Tensor da = at::gelu_backward(dx, pre).view({-1, H});
                dW[std::size_t(l)].addmm_(da.t(), cols.view({-1, 3 * H}));
                db[std::size_t(l)] += da.sum(0);
                const Tensor dcols =
                    da.mm(weights[std::size_t(l)]).contiguous();  // (Bp (L - 2), 3H)
                // x_l's gradient: the residual's (positions 1 .. L - 2) plus each window's three
                // rows.
                Tensor previous = torch::empty({Bp, L, H}, P.options());
                const Tensor residual = dx.contiguous();
                const float* res = residual.data_ptr<float>();
                const float* dc = dcols.data_ptr<float>();
                float* out = previous.data_ptr<float>();
                rangeOf(Bp, split, [&](std::int64_t begin, std::int64_t end) {
                    for (std::int64_t b = begin; b < end; ++b)
                        for (std::int64_t t = 0; t < L; ++t) {
                            float* o = out + (b * L + t) * H;
                            if (t >= 1 && t <= L - 2)
                                std::memcpy(o, res + (b * (L - 2) + t - 1) * H,
                                            sizeof(float) * std::size_t(H));
                            else
                                std::memset(o, 0, sizeof(float) * std::size_t(H));
                            for (std::int64_t k = 0; k < 3; ++k) {
                                const std::int64_t window = t - k;
                                if (window < 0 || window > L - 3) continue;
                                const float* v = dc + (b * (L - 2) + window) * 3 * H + k * H;
                                for (std::int64_t c = 0; c < H; ++c) o[c] += v[c];
                            }
                        }
                });
                dx = previous;
            }
            const Tensor da1 = at::gelu_backward(dx, a1).contiguous();  // (Bp, 9, H)
            db1 += da1.view({-1, H}).sum(0);
            // Into P's gradient: tap 0 of sample t, tap 1 of sample t + 1. Rows repeat across
            // windows, so the threads split the channels, not the windows.
            const float* d1 = da1.data_ptr<float>();
            rangeOf(H, split, [&](std::int64_t c0, std::int64_t c1) {
                for (std::int64_t b = 0; b < Bp; ++b)
                    for (std::int64_t t = 0; t < 9; ++t) {
                        const float* v = d1 + (b * 9 + t) * H;
                        float* x0 = dp + r[(w0 + b) * 10 + t] * 2 * H;
                        float* x1 = dp + r[(w0 + b) * 10 + t + 1] * 2 * H + H;
                        for (std::int64_t c = c0; c < c1; ++c) {
                            x0[c] += v[c];
                            x1[c] += v[c];
                        }
                    }
            });
        });
        Gradients& sum = byPass[0];
        for (std::size_t pass = 1; pass < byPass.size(); ++pass) {
            const Gradients& gr = byPass[pass];
            sum.dP += gr.dP;
            sum.dLast += gr.dLast;
            sum.dLastBias += gr.dLastBias;
            sum.db1 += gr.db1;
            for (std::size_t l = 0; l < 3; ++l) {
                sum.dW[l] += gr.dW[l];
                sum.db[l] += gr.db[l];
            }
        }
        const std::array<Tensor, 3>& dW = sum.dW;
        const std::array<Tensor, 3>& db = sum.db;
        return {sum.dP,        Tensor(),
                sum.db1,       tapsLast(dW[0], H),
                db[0],         tapsLast(dW[1], H),
                db[1],         tapsLast(dW[2], H),
                db[2],         tapsLast(sum.dLast, H),
                sum.dLastBias, Tensor()};
    }
};

struct SparseProjectionFunction : public torch::autograd::Function<SparseProjectionFunction> {
    static Tensor forward(AutogradContext* ctx, const Tensor& weights, const SparseRows* X,
                          const SparseTransposedBlocks* Xt)
    {
        const Tensor W = weights.contiguous();
        const int K = int(W.size(1));
        Tensor out = torch::empty({X->rows, K}, W.options());
        const float* w = W.data_ptr<float>();
        float* o = out.data_ptr<float>();
        // On every core whatever LibTorch's thread count, like the OpenBLAS GEMM it replaces.
        parallelSparseTimesDense(*X, w, K, o);
        ctx->saved_data["transposed"] = reinterpret_cast<std::int64_t>(Xt);
        return out;
    }

    static tensor_list backward(AutogradContext* ctx, tensor_list grads)
    {
        const std::int64_t saved = ctx->saved_data["transposed"].toInt();
        // NOLINTNEXTLINE(performance-no-int-to-ptr): forward() kept the pointer in an int64 IValue
        const auto* Xt = reinterpret_cast<const SparseTransposedBlocks*>(saved);
        const Tensor g = grads[0].contiguous();
        const int K = int(g.size(1));
        Tensor dW = torch::empty({Xt->rows, K}, g.options());
        const float* gp = g.data_ptr<float>();
        float* d = dW.data_ptr<float>();
        parallelSparseTransposedTimesDense(*Xt, gp, K, d);
        return {dW, Tensor(), Tensor()};
    }
};

}  // namespace

Tensor sparseProjection(const SparseRows& X, const SparseTransposedBlocks& Xt, const Tensor& W)
{
    if (W.size(0) != X.cols || Xt.rows != X.cols || Xt.cols != X.rows)
        throw std::invalid_argument("sparseProjection: shapes differ");
    return SparseProjectionFunction::apply(W, &X, &Xt);
}

Tensor offset10Embed(const Tensor& projection, const Tensor& rows, const Offset10Weights& w,
                     int passes)
{
    if (passes < 1 || rows.numel() % (10 * std::int64_t(passes)) != 0)
        throw std::invalid_argument("offset10Embed: rows are not whole windows per pass");
    return Offset10Function::apply(projection, rows, w.firstBias, w.skipWeight[0], w.skipBias[0],
                                   w.skipWeight[1], w.skipBias[1], w.skipWeight[2], w.skipBias[2],
                                   w.lastWeight, w.lastBias, std::int64_t(passes));
}

}  // namespace neurolens::cebra
