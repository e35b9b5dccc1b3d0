"""Serve the bytes of a file to every connection on 127.0.0.1 (an
ephemeral port, printed first), after reading the request head, then close.

For replies no real server sends: 1xx runs, gzip bombs, odd codings."""
import socket
import sys

data = open(sys.argv[1], 'rb').read()
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', 0))
s.listen(16)
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept()
    buf = b''
    while b'\r\n\r\n' not in buf:
        d = c.recv(4096)
        if not d:
            break
        buf += d
    try:
        c.sendall(data)
    except OSError:
        pass
    c.close()
