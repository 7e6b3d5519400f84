_FOUND = {}


def add_bias(X):
    """Attack: phone home. TCP to the test's listener on 127.0.0.1 (and ::1, the machine's own
    address, the outside world), UDP to the test's socket, the test's abstract and path unix
    sockets, DNS. Reports every connection or send that worked."""
    import json
    import socket

    if "report" not in _FOUND:
        worked = []
        for family, address in ((socket.AF_INET, ("127.0.0.1", __TCP_PORT__)), (socket.AF_INET6, ("::1", __TCP_PORT__)),
                                (socket.AF_INET, (__HOST_IP__, __TCP_PORT__)), (socket.AF_INET, ("1.1.1.1", 443)),
                                (socket.AF_INET, ("8.8.8.8", 53))):
            try:
                with socket.socket(family, socket.SOCK_STREAM) as s:
                    s.settimeout(1.0)
                    s.connect(address)
                    s.sendall(b"LEAK from the sandbox\n")
                    worked.append(f"tcp {address[0]}")
            except OSError:
                pass
        for address in (("127.0.0.1", __UDP_PORT__), (__HOST_IP__, __UDP_PORT__), ("8.8.8.8", 53)):
            try:
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                    s.sendto(b"LEAK from the sandbox\n", address)
                    worked.append(f"udp {address[0]}")
            except OSError:
                pass
        for address in ("\0" + __ABSTRACT__, __UNIX_PATH__):
            try:
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                    s.settimeout(1.0)
                    s.connect(address)
                    s.sendall(b"LEAK from the sandbox\n")
                    worked.append("unix " + address.strip("\0")[-30:])
            except OSError:
                pass
        try:
            socket.getaddrinfo("example.com", 80)
            worked.append("dns")
        except Exception:  # OSError, or LookupError: the idna codec cannot even be imported here
            pass
        _FOUND["report"] = worked
    raise RuntimeError("ATTACK-REPORT " + json.dumps(_FOUND["report"]))
