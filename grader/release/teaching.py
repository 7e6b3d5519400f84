"""Markdown that teaches: the module docstrings and the slides' formulas.

The docstrings are plain text written for a terminal; markdown renders their
4-space-indented formula blocks as code and their ``names`` as code spans, so
they are used as they are. The slides' formulas are added in LaTeX, as the
slides print them (errata are pointed out in the docstrings).
"""

SLIDES = {
    "ex01_perceptron": r"""
**From the slides** (linear threshold unit, with $x_0 = 1$):

$$\hat{y}(x_1, \dots, x_n) = \begin{cases} +1 & \text{if } \mathbf{w}^T \mathbf{x} \ge 0 \\ -1 & \text{otherwise} \end{cases}$$

In 2-D the decision boundary is the line $w_1 x_1 + w_0 x_0 = 0$. AND and OR are linearly separable; XOR is not.
""",
    "ex02_gradient_descent": r"""
**From the slides:**

$$E(\mathbf{w}) \equiv \frac{1}{2} \sum_{d \in D} \left(y^{(d)} - \mathbf{w}^T \mathbf{x}^{(d)}\right)^2
\qquad
\frac{\partial E}{\partial w_i} = \sum_{d} \left(y^{(d)} - \hat{y}^{(d)}\right) \times (-x_i^{(d)})
\qquad
\Delta w_i = -\eta \, \frac{\partial E}{\partial w_i}$$

Gradient descent: start with an initial guess, step against the gradient, repeat until you converge to a (local) minimum.
""",
    "ex03_activations": r"""
**From the slides:**

$$f(z) = \frac{1}{1 + e^{-z}} = \frac{e^z}{1 + e^z} \qquad \frac{d}{dz} f(z) = f(z)\,(1 - f(z))$$

ReLU $\max(0, x)$, Leaky ReLU $\max(0.1x, x)$, tanh $\tanh(x)$,
ELU $\begin{cases} x & x \ge 0 \\ \alpha(e^x - 1) & x < 0 \end{cases}$,
Maxout $\max(w_1^T x + b_1, w_2^T x + b_2)$.
""",
    "ex04_mlp_forward": r"""
**From the slides:** the XOR network's first layer is

$$W_1 = \begin{bmatrix} 5 & -7 \\ 5 & -7 \end{bmatrix}, \qquad b_1 = \begin{bmatrix} -8 & 3 \end{bmatrix}$$

and a multi-layer perceptron is a universal approximator: with enough hidden units it can represent any continuous function.
""",
    "ex05_backprop": r"""
**From the slides:** the chain rule, for $f = f(g)$, $g = g(x)$:

$$\frac{\partial f}{\partial x} = \frac{\partial f}{\partial g} \cdot \frac{\partial g}{\partial x}$$

Worked example: $\hat{y} = x \times w$, $loss = (\hat{y} - y)^2$ with $x = 1$, $y = 2$, $w = 1$:
$s = \hat{y} - y = -1$, $\frac{\partial loss}{\partial s} = 2s = -2$, and
$\frac{\partial loss}{\partial w} = \frac{\partial loss}{\partial \hat{y}} \frac{\partial \hat{y}}{\partial w} = -2 \cdot x = -2$.
""",
    "ex06_sgd": r"""
**From the slides:** minimise $E(\mathbf{w}) \equiv \frac{1}{D} \sum_{d \in D} E^{(d)}(\mathbf{w})$.

GD, $O(N)$ per step: $\mathbf{w}^{new} \leftarrow \mathbf{w}^{old} - \eta \frac{\partial}{\partial \mathbf{w}} \frac{1}{D} \sum_{d \in D} E^{(d)}(\mathbf{w})$

SGD: $d \leftarrow \text{mini batch}(1, N)$, then $\mathbf{w}^{new} \leftarrow \mathbf{w}^{old} - \eta \frac{\partial E^{(d)}(\mathbf{w})}{\partial \mathbf{w}}$
""",
    "ex07_torch": r"""
**From the slides** ("Zero to All"):

| x | y |
|---|---|
| 1 | 2 |
| 2 | 4 |
| 3 | 6 |

Model (forward pass) $\hat{y} = x \times w$; loss $= (\hat{y} - y)^2 = (x \times w - y)^2$.
""",
}

HOW_TO = """\
**How this notebook works.** Write your code in the answer cells, between the
`def` line and the end of the function (replace `raise NotImplementedError()`).
Run the cell below each answer to check it: it prints each failing check (its input,
what was expected and what your code returned), or that all checks passed. The
autograded cells further down run more checks, hidden until grading. Keep everything a function needs inside
its answer cell: only the given cells and the answer cells are graded.
"""

HOW_TO_IMPORTS = """\
This notebook builds on your earlier notebook(s) in this folder: after the
first (locked) code cell, the import lines below load them. If you change an
earlier notebook, restart this notebook's kernel to load the new version.
"""


def title_and_body(docstring):
    """Split a docstring into a markdown title and the rest."""
    first, _, rest = docstring.partition("\n")
    return f"# {first.strip()}", rest.strip()
