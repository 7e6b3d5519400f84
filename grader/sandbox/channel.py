"""Frame I/O with deadlines over a file descriptor (pipe or socket)."""
import os
import select
import time

from grader.protocol import ProtocolError, pack, unpack


class ChannelClosed(EOFError):
    """The other side closed the stream (exited, crashed or was killed)."""


class ChannelTimeout(TimeoutError):
    """No complete frame arrived before the deadline."""


class Channel:
    def __init__(self, read_fd, write_fd):
        self.read_fd, self.write_fd = read_fd, write_fd

    def send(self, message, arrays=()):
        self.send_raw(pack(message, arrays))

    def send_raw(self, data):
        view = memoryview(data)
        while view:
            try:
                written = os.write(self.write_fd, view)
            except (BrokenPipeError, ConnectionResetError) as exc:
                raise ChannelClosed(str(exc)) from None
            view = view[written:]

    def recv(self, timeout=None, max_header=None):
        """(message, buffers) of the next frame; ChannelTimeout / ChannelClosed / ProtocolError."""
        deadline = None if timeout is None else time.monotonic() + timeout
        return unpack(lambda n: self._read_exact(n, deadline), max_header)

    def recv_raw(self, timeout=None, max_header=None, with_message=False):
        """The next frame's bytes (for relaying), checked to be a well-formed frame; with
        with_message, (bytes, its message)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        chunks = []

        def read(n):
            data = self._read_exact(n, deadline)
            chunks.append(data)
            return data

        message, _ = unpack(read, max_header)
        return (b"".join(chunks), message) if with_message else b"".join(chunks)

    def _read_exact(self, n, deadline):
        parts, remaining = [], n
        while remaining:
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self.read_fd], [], [], left)[0]:
                    raise ChannelTimeout()
            try:
                data = os.read(self.read_fd, min(remaining, 1 << 20))
            except ConnectionResetError:
                data = b""
            if not data:
                raise ChannelClosed("stream closed")
            parts.append(data)
            remaining -= len(data)
        return b"".join(parts)


__all__ = ["Channel", "ChannelClosed", "ChannelTimeout", "ProtocolError"]
