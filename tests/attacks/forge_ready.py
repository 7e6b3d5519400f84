
# Attack, at import: forge the child's own start-up events on the protocol socket, claiming
# isolation layers that do not exist and a "ready" whose module table is not a table.
import json as _json
import os as _os
import stat as _stat
import struct as _struct


def _send(message):
    header = _json.dumps({"m": message, "sizes": []}).encode()
    for fd in range(3, 1024):
        try:
            if _stat.S_ISSOCK(_os.fstat(fd).st_mode):
                _os.write(fd, _struct.pack("!II", len(header), 0) + header)
        except OSError:
            pass


_send({"event": "isolated", "isolation": ["forged-layer", "\ud800"], "notices": [{"not": "text"}]})
_send({"event": "ready", "modules": ["ex01_perceptron", 5]})
