"""A minimal Electrum protocol client over raw sockets, for tests: sends
requests (or any bytes), reads replies and keeps server notifications
aside."""
import json
import select
import socket
import time


class Closed(Exception):
    pass


class Client:
    def __init__(self, port, host="127.0.0.1", timeout=30):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.timeout = timeout
        self.buffer = b""
        self.notifications = []
        self.next_id = 0

    def close(self):
        self.sock.close()

    def send_raw(self, data):
        self.sock.sendall(data)

    def send(self, message):
        self.send_raw(json.dumps(message).encode() + b"\n")

    def read_message(self, timeout=None):
        """The next JSON message; raises Closed at end of stream, TimeoutError."""
        deadline = time.time() + (self.timeout if timeout is None else timeout)
        while b"\n" not in self.buffer:
            left = deadline - time.time()
            if left <= 0:
                raise TimeoutError("no message")
            ready, _, _ = select.select([self.sock], [], [], left)
            if not ready:
                continue
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise Closed()
            self.buffer += chunk
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
        except (Closed, ConnectionResetError):
            return True
        except TimeoutError:
            return False
        return False


def negotiated(port, version=("1.4", "1.6"), name="conformance"):
    client = Client(port)
    client.result("server.version", name, list(version) if isinstance(version, tuple) else version)
    return client
