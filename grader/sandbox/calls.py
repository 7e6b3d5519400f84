"""Which graded functions the student's own code called, recorded in the child.

"This function calls X, which also lost points: fix that first" helps only a student whose code
does call X: a Nielsen-style mlp_backward calls no helper, a sigmoid_derivative may not call
sigmoid. Right after each student module executes (loader.SourceFinder's after_exec, before the
modules importing it run, so `from ex03_activations import sigmoid` gets the wrapper too), its
graded functions, and the __init__ of its graded classes, are wrapped to note each call made while
the function under test is running (calls the probes make themselves, the piece calls, are outside
it and not noted). The set goes back as plain data in the function's results frame. The judge
takes it for what it is, the student's claim: it selects a hint and never counts for points.
"""
import functools
import types


class CallRecorder:
    def __init__(self, graded):
        """graded: qualified names ("ex03_activations.sigmoid") of every graded function."""
        self.graded = {}
        for qualified in graded:
            module, name = qualified.split(".", 1)
            self.graded.setdefault(module, set()).add(name)
        # [the function under test, the outermost graded call in progress or None]: one list the
        # wrappers share, so a nested call costs a lookup and a test (graded helpers are called
        # tens of thousands of times per submission)
        self.state, self.called = [None, None], set()

    def wrap_module(self, module):
        """Wrap the module's graded functions and classes in place (loader's after_exec)."""
        namespace = module.__dict__
        for name in sorted(self.graded.get(module.__name__, ())):
            value = namespace.get(name)
            qualified = f"{module.__name__}.{name}"
            if isinstance(value, types.FunctionType):
                namespace[name] = self._wrapped(qualified, value)
            elif isinstance(value, type) and isinstance(value.__dict__.get("__init__"), types.FunctionType):
                value.__init__ = self._wrapped(qualified, value.__init__)

    def start(self, function):
        """The graded function whose checks run next; what it calls is noted from now on."""
        self.state[:] = [function, None]
        self.called.clear()

    def calls(self):
        """The other graded functions called from inside the function under test since start()."""
        return sorted(self.called - {self.state[0]})

    def _wrapped(self, qualified, function):
        state, called = self.state, self.called

        @functools.wraps(function)
        def recorded(*args, **kwargs):
            outermost = state[1]
            if outermost is None:  # no graded call in progress: this one is the outermost
                state[1] = qualified
                try:
                    return function(*args, **kwargs)
                finally:
                    state[1] = None
            if outermost == state[0]:  # called, at any depth, from inside the function under test
                called.add(qualified)
            return function(*args, **kwargs)

        return recorded
