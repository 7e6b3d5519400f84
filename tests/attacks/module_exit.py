
# Attack, at module level: the process ends while this module is being imported.
import os as _os

_os._exit(0)
