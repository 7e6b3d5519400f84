

@given(arrays(np.float64, array_shapes(max_dims=2, max_side=4), elements=st.floats(-30, 30)))
def test_softplus_matches_torch(z, ex03, check):
    got = ex03.softplus(z.copy())
    check.close(got, F.softplus(torch.from_numpy(z)).numpy(), "softplus(z)")


@given(arrays(np.float64, array_shapes(max_dims=2, max_side=4), elements=st.floats(-8, 8)))
def test_softplus_derivative_matches_finite_differences(z, ex03, check):
    got = ex03.softplus_derivative(z.copy())
    step = 1e-6
    numeric = (np.asarray(ex03.softplus(z + step)) - np.asarray(ex03.softplus(z - step))) / (2 * step)
    check.close(got, numeric, "softplus_derivative(z)", atol=1e-5)


@pytest.mark.parametrize("name", ["softplus", "softplus_derivative"])
def test_accepts_the_input_forms_too(name, ex03, check):
    check.same_in_every_form(getattr(ex03, name), Z_CALLS)
