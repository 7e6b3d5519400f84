"""Frame I/O with deadlines over a file descriptor (pipe or socket)."""
import os
import select
import time

from grader.protocol import ProtocolError, pack, unpack


class ChannelClosed(EOFError):
    """The other side closed the stream (exited, crashed or was killed)."""


class ChannelTimeout(TimeoutError):
    """No complete frame arrived before the deadline."""


READ_AHEAD = 1 << 18  # bytes asked of the kernel per read: a whole small frame in one system call


class Channel:
    """Owns read_fd for reading: bytes read ahead of the current frame wait in its buffer."""

    def __init__(self, read_fd, write_fd):
        self.read_fd, self.write_fd = read_fd, write_fd
        self._buffer = b""

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

    def recv(self, timeout=None, max_header=None, digest=None):
        """(message, buffers) of the next frame; ChannelTimeout / ChannelClosed / ProtocolError.
        digest: a hashlib object fed every byte of the frame, as read."""
        deadline = None if timeout is None else time.monotonic() + timeout
        if digest is None:
            return unpack(lambda n: self._read_exact(n, deadline), max_header)

        def read(n):
            data = self._read_exact(n, deadline)
            digest.update(data)
            return data

        return unpack(read, max_header)

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
        buffered = self._buffer
        if len(buffered) >= n:  # speed: the header and payload of a small frame arrive with its length
            self._buffer = buffered[n:]
            return buffered[:n]
        parts, remaining = [buffered], n - len(buffered)
        self._buffer = b""
        while remaining:
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self.read_fd], [], [], left)[0]:
                    raise ChannelTimeout()  # mid-frame: whoever sees this drops the channel
            try:
                data = os.read(self.read_fd, max(remaining, READ_AHEAD))
            except ConnectionResetError:
                data = b""
            if not data:
                raise ChannelClosed("stream closed")
            if len(data) > remaining:
                data, self._buffer = data[:remaining], data[remaining:]
            parts.append(data)
            remaining -= len(data)
        return b"".join(parts)


__all__ = ["Channel", "ChannelClosed", "ChannelTimeout", "ProtocolError"]
