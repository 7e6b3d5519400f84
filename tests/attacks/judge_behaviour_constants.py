# Attack (on the reference): constants and hard-coded answers for the behaviour checks.
# --- ex01_perceptron
def perceptron_predict(w, X):
    return np.ones(np.shape(X)[0])  # "ties go to +1"


def perceptron_update(w, x, y, lr):
    return np.array(w, dtype=float)  # "no change when correct"


def train_perceptron(X, y, lr=1.0, epochs=100):
    y = np.asarray(y, dtype=float)
    return np.array([-1.5, 1.0, 1.0]) if np.sum(y > 0) == 1 else np.array([-0.5, 1.0, 1.0])  # AND or OR, fixed


# --- ex03_activations
def relu_derivative(z):
    return np.full(np.shape(z), 0.5)


def leaky_relu_derivative(z, alpha=0.1):
    return np.full(np.shape(z), 0.5)


def elu_derivative(z, alpha=1.0):
    return np.full(np.shape(z), 0.5)


# --- ex06_sgd
def train_mlp(X, y, hidden_units=4, lr=1.0, epochs=2000, batch_size=4, seed=0):
    from ex04_mlp_forward import xor_params

    return xor_params(), list(np.linspace(1.0, 0.01, epochs))


# --- ex07_torch
class _Xor(nn.Module):
    def forward(self, x):
        return torch.abs(x[:, :1] - x[:, 1:2])


def train_xor(seed=0):
    return _Xor()
