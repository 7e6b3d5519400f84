"""Frame I/O with deadlines over a file descriptor (pipe or socket)."""
import os
import select
import time

from grader.protocol import FRAME_PREFIX_BYTES, MAX_FRAME_BYTES, ProtocolError, frame_sizes, pack, unpack


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

    def recv(self, timeout=None, max_header=None):
        """(message, buffers) of the next frame; ChannelTimeout / ChannelClosed / ProtocolError."""
        deadline = None if timeout is None else time.monotonic() + timeout
        return unpack(lambda n: self._read_exact(n, deadline), max_header)

    def recv_frame(self, timeout=None, max_header=None, max_bytes=MAX_FRAME_BYTES):
        """The next frame's bytes, not parsed: only its lengths are checked (see frame_sizes; over
        max_bytes: FrameTooLarge, the frame unread). Whoever reads frames this way parses them with
        unpack_bytes, or knows their bytes already."""
        deadline = None if timeout is None else time.monotonic() + timeout
        prefix = self._read_exact(FRAME_PREFIX_BYTES, deadline)
        header_len, payload_len = frame_sizes(prefix, max_header, max_bytes)
        return prefix + self._read_exact(header_len + payload_len, deadline)

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
