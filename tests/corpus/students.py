"""Student answers to the NumPy-function exercises, written the way students write them.

Each function is defined at module level so that the checks can read its source
(an untouched placeholder is recognised from its source code). Names start with
the exercise they answer; ``ok_`` answers are correct in another valid style,
``bad_`` answers carry one typical mistake, ``hostile_`` answers must not crash
the checker.
"""

# ruff: noqa: E731, N802, N803, N806, B905

import math

import numpy as np

# --------------------------------------------------------------------------- #
# hostile answers shared by every function exercise (any number of arguments)
# --------------------------------------------------------------------------- #


def hostile_stub(*args):
    raise NotImplementedError()


def hostile_no_return(*args):
    z = np.asarray(args[0], dtype=float)
    resultado = z * 2.0  # noqa: F841 - forgot the return


def hostile_string(*args):
    return "no lo sé"


def hostile_raises(*args):
    raise ValueError("esto no funciona")


def hostile_truth(*args):
    z = args[0]
    if z > 0:
        return z
    return 0 * z


def hostile_dict(*args):
    return {"resultado": 1}


class _Liar:
    def __eq__(self, other):
        return True

    def __array__(self, dtype=None, copy=None):
        raise TypeError("no soy un array")


def hostile_liar(*args):
    return _Liar()


def hostile_one_arg(z):
    return np.asarray(z) * 0.0


def hostile_many_args(a, b, c, d, e, f):
    return a


# --------------------------------------------------------------------------- #
# sigmoid (a01 ej3, a02 ej1)
# --------------------------------------------------------------------------- #
def sig_ok_plain(z):
    return 1 / (1 + np.exp(-z))


def sig_ok_tanh(z):
    return 0.5 * (1.0 + np.tanh(np.asarray(z, dtype=float) / 2.0))


def sig_ok_stable(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    out[~pos] = e / (1.0 + e)
    return out


def sig_ok_float32(z):
    z = np.asarray(z, dtype=np.float32)
    return (1.0 / (1.0 + np.exp(-z))).astype(np.float32)


def sig_bad_sign(z):
    return 1 / (1 + np.exp(z))


def sig_bad_minus(z):
    return 1 / (1 - np.exp(-z))


def sig_bad_no_one(z):
    return 1 / np.exp(-z)


def sig_bad_tanh(z):
    return np.tanh(z)


def sig_bad_step(z):
    return np.where(np.asarray(z) >= 0, 1.0, 0.0)


# --------------------------------------------------------------------------- #
# step (a01 ej2)
# --------------------------------------------------------------------------- #
def step_ok_where(z):
    return np.where(z >= 0, 1.0, 0.0)


def step_ok_astype(z):
    return (np.asarray(z) >= 0).astype(float)


def step_ok_int(z):
    return (np.asarray(z) >= 0) * 1


def step_ok_heaviside(z):
    return np.heaviside(z, 1.0)


def step_bad_strict(z):
    return np.where(z > 0, 1.0, 0.0)


def step_bad_inverted(z):
    return np.where(z >= 0, 0.0, 1.0)


def step_bad_sign(z):
    return np.where(z >= 0, 1.0, -1.0)


def step_bad_relu(z):
    return np.maximum(z, 0.0)


def step_bad_half(z):
    return np.where(z >= 0.5, 1.0, 0.0)


# --------------------------------------------------------------------------- #
# weighted sum (a01 ej1)
# --------------------------------------------------------------------------- #
def ws_ok_dot(x, w, b):
    return np.dot(w, x) + b


def ws_ok_sum(x, w, b):
    return np.sum(np.asarray(x) * np.asarray(w)) + b


def ws_ok_loop(x, w, b):
    total = b
    for xi, wi in zip(x, w):
        total += xi * wi
    return total


def ws_ok_matmul(x, w, b):
    return float(np.asarray(x, dtype=float) @ np.asarray(w, dtype=float) + b)


def ws_bad_no_bias(x, w, b):
    return np.dot(w, x)


def ws_bad_minus_bias(x, w, b):
    return np.dot(w, x) - b


def ws_bad_elementwise(x, w, b):
    return np.asarray(w) * np.asarray(x) + b


def ws_bad_mean(x, w, b):
    return np.mean(np.asarray(w) * np.asarray(x)) + b


def ws_bad_no_weights(x, w, b):
    return np.sum(x) + b


def ws_bad_times_bias(x, w, b):
    return np.dot(w, x) * b


# --------------------------------------------------------------------------- #
# neuron with an activation argument (a01 ej4)
# --------------------------------------------------------------------------- #
def neu_ok(x, w, b, activacion):
    return activacion(np.dot(w, x) + b)


def neu_ok_sum(x, w, b, activacion):
    z = sum(wi * xi for wi, xi in zip(w, x)) + b
    return activacion(z)


def neu_bad_no_bias(x, w, b, activacion):
    return activacion(np.dot(w, x))


def neu_bad_fixed_sigmoid(x, w, b, activacion):
    return 1 / (1 + np.exp(-(np.dot(w, x) + b)))


def neu_bad_no_activation(x, w, b, activacion):
    return np.dot(w, x) + b


def neu_bad_bias_after(x, w, b, activacion):
    return activacion(np.dot(w, x)) + b


def neu_bad_activate_inputs(x, w, b, activacion):
    return np.dot(w, activacion(np.asarray(x, dtype=float))) + b


# --------------------------------------------------------------------------- #
# dense layer (a01 ej5)
# --------------------------------------------------------------------------- #
def capa_ok(x, W, b, activacion):
    return activacion(W @ x + b)


def capa_ok_dot(x, W, b, activacion):
    return activacion(np.dot(W, x) + b)


def capa_ok_rows(x, W, b, activacion):
    return activacion(np.array([np.dot(fila, x) for fila in W]) + b)


def capa_bad_no_bias(x, W, b, activacion):
    return activacion(W @ x)


def capa_bad_no_activation(x, W, b, activacion):
    return W @ x + b


def capa_bad_transpose(x, W, b, activacion):
    return activacion(np.asarray(W).T @ np.asarray(x) + b)


def capa_bad_bias_after(x, W, b, activacion):
    return activacion(W @ x) + b


def capa_bad_fixed_sigmoid(x, W, b, activacion):
    return 1 / (1 + np.exp(-(W @ x + b)))


# --------------------------------------------------------------------------- #
# tanh (a02 ej2)
# --------------------------------------------------------------------------- #
def tanh_ok_np(z):
    return np.tanh(z)


def tanh_ok_sigmoid(z):
    z = np.asarray(z, dtype=float)
    return 2.0 / (1.0 + np.exp(-2.0 * z)) - 1.0


def tanh_ok_stable(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-2.0 * np.abs(z))
    return np.sign(z) * (1.0 - e) / (1.0 + e)


def tanh_bad_naive(z):
    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))


def tanh_bad_sigmoid(z):
    return 1 / (1 + np.exp(-z))


def tanh_bad_half(z):
    return 2.0 / (1.0 + np.exp(-np.asarray(z, dtype=float))) - 1.0


def tanh_bad_sign(z):
    return -np.tanh(z)


def tanh_bad_sinh(z):
    z = np.clip(np.asarray(z, dtype=float), -700, 700)
    return (np.exp(z) - np.exp(-z)) / 2.0


# --------------------------------------------------------------------------- #
# relu (a02 ej3)
# --------------------------------------------------------------------------- #
def relu_ok_maximum(z):
    return np.maximum(0, z)


def relu_ok_where(z):
    return np.where(z > 0, z, 0.0)


def relu_ok_mask(z):
    z = np.array(z, dtype=float)
    return z * (z > 0)


def relu_ok_clip(z):
    return np.clip(z, 0, None)


def relu_bad_max_one(z):
    return np.maximum(z, 1)


def relu_bad_abs(z):
    return np.abs(z)


def relu_bad_minimum(z):
    return np.minimum(0, z)


def relu_bad_step(z):
    return (np.asarray(z) > 0).astype(float)


def relu_bad_leaky(z):
    return np.where(z > 0, z, 0.01 * z)


# --------------------------------------------------------------------------- #
# leaky relu with a slope argument (a02 ej4)
# --------------------------------------------------------------------------- #
def leaky_ok(z, pendiente=0.2):
    return np.where(z > 0, z, pendiente * z)


def leaky_ok_maximum(z, pendiente=0.2):
    return np.maximum(z, pendiente * np.asarray(z))


def leaky_ok_ge(z, pendiente=0.2):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, z, z * pendiente)


def leaky_bad_fixed(z, pendiente=0.2):
    return np.where(z > 0, z, 0.2 * z)


def leaky_bad_001(z, pendiente=0.2):
    return np.where(z > 0, z, 0.01 * z)


def leaky_bad_relu(z, pendiente=0.2):
    return np.maximum(z, 0)


def leaky_bad_positive_side(z, pendiente=0.2):
    return np.where(z > 0, pendiente * z, z)


def leaky_bad_abs(z, pendiente=0.2):
    return np.where(z > 0, z, -pendiente * z)


# --------------------------------------------------------------------------- #
# leaky relu with slope 0.01 (nb02 ej2)
# --------------------------------------------------------------------------- #
def lk_ok(z):
    return np.where(z > 0, z, 0.01 * z)


def lk_ok_maximum(z):
    return np.maximum(0.01 * np.asarray(z), z)


def lk_ok_ge(z):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, z, z / 100)


def lk_bad_slope(z):
    return np.where(z > 0, z, 0.1 * z)


def lk_bad_relu(z):
    return np.maximum(0, z)


def lk_bad_positive_side(z):
    return np.where(z > 0, 0.01 * z, z)


def lk_bad_abs(z):
    return np.where(z > 0, z, -0.01 * z)


def lk_bad_max_one(z):
    return np.maximum(z, 1)


# --------------------------------------------------------------------------- #
# softmax (nb02 ej1, a02 ej5)
# --------------------------------------------------------------------------- #
def sm_ok(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def sm_ok_logsumexp(z):
    z = np.asarray(z, dtype=float)
    m = z.max(axis=-1, keepdims=True)
    lse = m + np.log(np.exp(z - m).sum(axis=-1, keepdims=True))
    return np.exp(z - lse)


def sm_ok_float32(z):
    z = np.asarray(z, dtype=np.float32)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return (e / e.sum(axis=-1, keepdims=True)).astype(np.float32)


def sm_bad_overflow(z):
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)


def sm_bad_global_sum(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


def sm_bad_axis0(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


def sm_bad_no_norm(z):
    z = np.asarray(z, dtype=float)
    return np.exp(z - np.max(z, axis=-1, keepdims=True))


def sm_bad_sum_z(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(z - np.max(z, axis=-1, keepdims=True) + 1.0, axis=-1, keepdims=True)


def sm_bad_sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def sm_bad_sign(z):
    z = -np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


# --------------------------------------------------------------------------- #
# mse (nb03 ej1, a02 ej6) and mae (a02 ej6)
# --------------------------------------------------------------------------- #
def mse_ok(y_true, y_pred):
    return np.mean((y_true - y_pred) ** 2)


def mse_ok_square(y_true, y_pred):
    d = np.asarray(y_pred, dtype=float) - np.asarray(y_true, dtype=float)
    return float(np.mean(np.square(d)))


def mse_ok_loop(y_true, y_pred):
    a = np.ravel(y_true)
    b = np.ravel(y_pred)
    return sum((ai - bi) ** 2 for ai, bi in zip(a, b)) / len(a)


def mse_bad_sum(y_true, y_pred):
    return np.sum((y_true - y_pred) ** 2)


def mse_bad_no_square(y_true, y_pred):
    return np.mean(y_true - y_pred)


def mse_bad_abs(y_true, y_pred):
    return np.mean(np.abs(y_true - y_pred))


def mse_bad_sqrt(y_true, y_pred):
    return np.sqrt(np.mean((y_true - y_pred) ** 2))


def mse_bad_n_minus_1(y_true, y_pred):
    d = np.ravel(y_true - y_pred)
    return np.sum(d**2) / (len(d) - 1)


def mse_bad_half(y_true, y_pred):
    return 0.5 * np.mean((y_true - y_pred) ** 2)


def mae_ok(y_true, y_pred):
    return np.mean(np.abs(y_true - y_pred))


def mae_ok_loop(y_true, y_pred):
    a = np.ravel(y_true)
    b = np.ravel(y_pred)
    return sum(abs(ai - bi) for ai, bi in zip(a, b)) / len(a)


def mae_bad_no_abs(y_true, y_pred):
    return np.mean(y_true - y_pred)


def mae_bad_sum(y_true, y_pred):
    return np.sum(np.abs(y_true - y_pred))


def mae_bad_square(y_true, y_pred):
    return np.mean((y_true - y_pred) ** 2)


def mae_bad_median(y_true, y_pred):
    return np.median(np.abs(y_true - y_pred))


# --------------------------------------------------------------------------- #
# binary cross-entropy (nb03 ej2, a02 ej7)
# --------------------------------------------------------------------------- #
def bce_ok(y_true, p):
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return -np.mean(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))


def bce_ok_where(y_true, p):
    p = np.clip(np.asarray(p, dtype=float), 1e-7, 1 - 1e-7)
    y = np.asarray(y_true, dtype=float)
    return float(np.mean(np.where(y == 1, -np.log(p), -np.log(1 - p))))


def bce_ok_eps_var(y_true, p):
    eps = 1e-7
    p = np.minimum(np.maximum(p, eps), 1 - eps)
    perdidas = -(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))
    return perdidas.mean()


def bce_bad_no_clip(y_true, p):
    return -np.mean(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))


def bce_bad_sign(y_true, p):
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return np.mean(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))


def bce_bad_sum(y_true, p):
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return -np.sum(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))


def bce_bad_one_term(y_true, p):
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return -np.mean(y_true * np.log(p))


def bce_bad_log10(y_true, p):
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return -np.mean(y_true * np.log10(p) + (1 - y_true) * np.log10(1 - p))


def bce_bad_swapped(y_true, p):
    q = np.clip(np.asarray(y_true, dtype=float), 1e-7, 1 - 1e-7)
    y = np.asarray(p, dtype=float)
    return -np.mean(y * np.log(q) + (1 - y) * np.log(1 - q))


# --------------------------------------------------------------------------- #
# categorical cross-entropy (a02 ej8)
# --------------------------------------------------------------------------- #
def cce_ok(y_true, y_pred):
    p = np.clip(y_pred, 1e-7, 1 - 1e-7)
    return np.mean(-np.sum(y_true * np.log(p), axis=-1))


def cce_ok_2d(y_true, y_pred):
    y = np.atleast_2d(np.asarray(y_true, dtype=float))
    p = np.clip(np.atleast_2d(np.asarray(y_pred, dtype=float)), 1e-7, 1.0)
    return float((-(y * np.log(p)).sum(axis=1)).mean())


def cce_ok_norm(y_true, y_pred):
    p = np.asarray(y_pred, dtype=float)
    p = p / p.sum(axis=-1, keepdims=True)
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return np.mean(np.sum(-y_true * np.log(p), axis=-1))


def cce_bad_no_clip(y_true, y_pred):
    return np.mean(-np.sum(y_true * np.log(y_pred), axis=-1))


def cce_bad_mean_all(y_true, y_pred):
    p = np.clip(y_pred, 1e-7, 1 - 1e-7)
    return -np.mean(y_true * np.log(p))


def cce_bad_sum_all(y_true, y_pred):
    p = np.clip(y_pred, 1e-7, 1 - 1e-7)
    return -np.sum(y_true * np.log(p))


def cce_bad_sign(y_true, y_pred):
    p = np.clip(y_pred, 1e-7, 1 - 1e-7)
    return np.mean(np.sum(y_true * np.log(p), axis=-1))


def cce_bad_binary(y_true, y_pred):
    p = np.clip(y_pred, 1e-7, 1 - 1e-7)
    return np.mean(-np.sum(y_true * np.log(p) + (1 - y_true) * np.log(1 - p), axis=-1))


def cce_bad_log10(y_true, y_pred):
    p = np.clip(y_pred, 1e-7, 1 - 1e-7)
    return np.mean(-np.sum(y_true * np.log10(p), axis=-1))


# --------------------------------------------------------------------------- #
# one gradient-descent step (nb04 ej3)
# --------------------------------------------------------------------------- #
def gd_ok(w, grad, eta):
    return w - eta * grad


def gd_ok_copy(w, grad, eta):
    nuevo = np.array(w, dtype=float, copy=True)
    nuevo -= eta * np.asarray(grad)
    return nuevo


def gd_ok_subtract(w, grad, eta):
    return np.subtract(w, np.multiply(eta, grad))


def gd_bad_plus(w, grad, eta):
    return w + eta * grad


def gd_bad_no_eta(w, grad, eta):
    return w - grad


def gd_bad_inplace(w, grad, eta):
    w -= eta * grad
    return w


def gd_bad_divide(w, grad, eta):
    return w - grad / eta if eta else w - grad


def gd_bad_grad_only(w, grad, eta):
    return -eta * grad


# --------------------------------------------------------------------------- #
# a sigmoid neuron (nb01 ej1)
# --------------------------------------------------------------------------- #
def n1_ok(x, w, b):
    z = np.dot(x, w) + b
    return 1 / (1 + np.exp(-z))


def n1_ok_loop(x, w, b):
    z = b
    for i in range(len(x)):
        z += x[i] * w[i]
    return 1.0 / (1.0 + np.exp(-z))


def n1_bad_math_exp(x, w, b):
    z = b
    for i in range(len(x)):
        z += x[i] * w[i]
    return 1.0 / (1.0 + math.exp(-z))


def n1_ok_tanh(x, w, b):
    return 0.5 + 0.5 * np.tanh((np.sum(x * w) + b) / 2)


def n1_bad_no_bias(x, w, b):
    return 1 / (1 + np.exp(-np.dot(x, w)))


def n1_bad_sign(x, w, b):
    return 1 / (1 + np.exp(np.dot(x, w) + b))


def n1_bad_no_activation(x, w, b):
    return np.dot(x, w) + b


def n1_bad_minus_bias(x, w, b):
    return 1 / (1 + np.exp(-(np.dot(x, w) - b)))


def n1_bad_tanh(x, w, b):
    return np.tanh(np.dot(x, w) + b)


# --------------------------------------------------------------------------- #
# image scaling (a05 ej1)
# --------------------------------------------------------------------------- #
def img_ok(x):
    return x.astype("float32") / 255.0


def img_ok_float64(x):
    return np.asarray(x) / 255


def img_ok_divide(x):
    return np.divide(x, 255, dtype=np.float32)


def img_bad_no_scale(x):
    return x.astype("float32")


def img_bad_256(x):
    return x.astype("float32") / 256.0


def img_bad_int_div(x):
    return x // 255


def img_bad_flatten(x):
    return (x.astype("float32") / 255.0).reshape(len(x), -1)


def img_bad_centered(x):
    return (x.astype("float32") - 127.5) / 127.5


def img_bad_standardised(x):
    x = x.astype("float32")
    return (x - x.mean()) / (x.std() + 1e-7)


# --------------------------------------------------------------------------- #
# standardise without leakage (nb07 ej3)
# --------------------------------------------------------------------------- #
def esc_ok_sklearn(x_train, x_test):
    from sklearn.preprocessing import StandardScaler

    s = StandardScaler().fit(x_train)
    return s.transform(x_train), s.transform(x_test)


def esc_ok_numpy(x_train, x_test):
    m = x_train.mean(axis=0)
    s = x_train.std(axis=0)
    return (x_train - m) / s, (x_test - m) / s


def esc_ok_list(x_train, x_test):
    m = np.mean(x_train, axis=0)
    s = np.std(x_train, axis=0)
    return [(x_train - m) / s, (x_test - m) / s]


def esc_bad_ddof(x_train, x_test):
    m = x_train.mean(axis=0)
    s = x_train.std(axis=0, ddof=1)
    return (x_train - m) / s, (x_test - m) / s


def esc_bad_refit(x_train, x_test):
    from sklearn.preprocessing import StandardScaler

    return StandardScaler().fit_transform(x_train), StandardScaler().fit_transform(x_test)


def esc_bad_all(x_train, x_test):
    both = np.vstack([x_train, x_test])
    m, s = both.mean(axis=0), both.std(axis=0)
    return (x_train - m) / s, (x_test - m) / s


def esc_bad_minmax(x_train, x_test):
    lo, hi = x_train.min(axis=0), x_train.max(axis=0)
    return (x_train - lo) / (hi - lo), (x_test - lo) / (hi - lo)


def esc_bad_test_untouched(x_train, x_test):
    m = x_train.mean(axis=0)
    s = x_train.std(axis=0)
    return (x_train - m) / s, x_test


def esc_bad_no_std(x_train, x_test):
    m = x_train.mean(axis=0)
    return x_train - m, x_test - m
