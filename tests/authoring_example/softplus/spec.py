
from grader.specs import with_points  # noqa: E402 - added with the functions below

FUNCTIONS += [
    with_points(spec(f"{M}.softplus", _reference_check("softplus", "softplus(z)", extreme=False)),
                matches_reference=1),
    with_points(_derivative_spec("softplus", "softplus_derivative",
                                 mistakes=lambda c: {"this is softplus itself, not its derivative":
                                                     np.logaddexp(0.0, np.asarray(c["z"], dtype=float))}),
                matches_reference=1, finite_differences=1),
]
PLOT = PLOT.adding("softplus", "softplus_derivative", lambda z: np.logaddexp(0.0, z), _slide_sigmoid)
