"""A minimal Electrum protocol client for tests, over TCP, TLS ("ssl"),
WebSocket ("ws") or WebSocket over TLS ("wss"): sends requests (or any
bytes), reads replies and keeps server notifications aside. Over WebSocket
each newline-terminated piece of what is sent becomes one message."""
import base64
import json
import os
import select
import socket
import ssl
import struct
import time


class Closed(Exception):
    pass


class Client:
    def __init__(self, port, host="127.0.0.1", timeout=30, transport="tcp"):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.transport = transport
        if transport in ("ssl", "wss"):
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            self.sock = context.wrap_socket(self.sock)
        self.timeout = timeout
        self.buffer = b""
        self.unsent = b""
        self.raw = b""
        self.notifications = []
        self.next_id = 0
        if transport in ("ws", "wss"):
            self._upgrade(host, port)

    def _upgrade(self, host, port):
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(("GET / HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\n"
                           "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n" % (host, port, key)).encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise Closed()
            response += chunk
        head, self.raw = response.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError("WebSocket upgrade refused: %r" % head)

    @property
    def websocket(self):
        return self.transport in ("ws", "wss")

    def close(self):
        self.sock.close()

    def send_raw(self, data):
        if not self.websocket:
            self.sock.sendall(data)
            return
        self.unsent += data
        while b"\n" in self.unsent:
            message, self.unsent = self.unsent.split(b"\n", 1)
            self._send_frame(message)

    def _send_frame(self, payload):
        try:
            payload.decode("utf-8")
            opcode = 0x1
        except UnicodeDecodeError:
            opcode = 0x2  # not UTF-8: must go as a binary message
        mask = os.urandom(4)
        header = bytes([0x80 | opcode])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        elif len(payload) < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", len(payload))
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", len(payload))
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def _receive(self, deadline):
        """More bytes from the socket; raises Closed or TimeoutError."""
        while True:
            left = deadline - time.time()
            if left <= 0:
                raise TimeoutError("no message")
            pending = isinstance(self.sock, ssl.SSLSocket) and self.sock.pending()
            if not pending:
                ready, _, _ = select.select([self.sock], [], [], left)
                if not ready:
                    continue
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise Closed()
            return chunk

    def _read_frame(self, deadline):
        """The next complete WebSocket message's payload."""
        message = b""
        while True:
            while True:
                frame = self._parse_frame()
                if frame is not None:
                    break
                self.raw += self._receive(deadline)
            final, opcode, payload = frame
            if opcode == 0x8:
                raise Closed()
            if opcode in (0x9, 0xA):
                continue
            message += payload
            if final:
                return message

    def _parse_frame(self):
        data = self.raw
        if len(data) < 2:
            return None
        length = data[1] & 0x7F
        offset = 2
        if length == 126:
            if len(data) < 4:
                return None
            length = struct.unpack(">H", data[2:4])[0]
            offset = 4
        elif length == 127:
            if len(data) < 10:
                return None
            length = struct.unpack(">Q", data[2:10])[0]
            offset = 10
        if len(data) < offset + length:
            return None
        self.raw = data[offset + length:]
        return bool(data[0] & 0x80), data[0] & 0x0F, data[offset:offset + length]

    def send(self, message):
        self.send_raw(json.dumps(message).encode() + b"\n")

    def read_message(self, timeout=None):
        """The next JSON message; raises Closed at end of stream, TimeoutError."""
        deadline = time.time() + (self.timeout if timeout is None else timeout)
        if self.websocket:
            message = self._read_frame(deadline)
            if message.endswith(b"\n"):
                raise AssertionError("a WebSocket message ends with a newline")
            return json.loads(message)
        while b"\n" not in self.buffer:
            self.buffer += self._receive(deadline)
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)

    def reply_to(self, request_id, timeout=None):
        while True:
            message = self.read_message(timeout)
            if isinstance(message, dict) and "method" in message and "id" not in message:
                self.notifications.append(message)
                continue
            if isinstance(message, list) or message.get("id") == request_id:
                return message

    def call(self, method, *params):
        """The whole reply object of one request."""
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": list(params)})
        return self.reply_to(self.next_id)

    def result(self, method, *params):
        reply = self.call(method, *params)
        if "error" in reply:
            raise AssertionError("%s failed: %s" % (method, reply["error"]))
        return reply["result"]

    def notification(self, method, timeout=None):
        """The next notification of `method` (kept or read)."""
        deadline = time.time() + (self.timeout if timeout is None else timeout)
        while True:
            for index, message in enumerate(self.notifications):
                if message["method"] == method:
                    return self.notifications.pop(index)
            message = self.read_message(max(0.01, deadline - time.time()))
            if "method" in message and "id" not in message:
                self.notifications.append(message)

    def is_closed(self, timeout=5):
        """True once the server closed the connection (within `timeout`)."""
        deadline = time.time() + timeout
        try:
            while time.time() < deadline:
                self.read_message(max(0.01, deadline - time.time()))
        except (Closed, ConnectionResetError, ssl.SSLError):
            return True
        except TimeoutError:
            return False
        return False


def negotiated(port, version=("1.4", "1.6"), name="conformance", transport="tcp"):
    client = Client(port, transport=transport)
    client.result("server.version", name, list(version) if isinstance(version, tuple) else version)
    return client
