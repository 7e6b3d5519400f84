"""How the kit writes a number of points, everywhere a person reads one."""


def points_text(value):
    """A score or a number of points as people write it: 83, 81.5, 0."""
    return f"{value:g}"
