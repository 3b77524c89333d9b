"""Starts the whole stack as processes for a test or a benchmark: a fresh
database on the test PostgreSQL (ELECTRUM_TEST_PG_DSN), the schema, simnode,
the blockchain (indexing), mempool and address history services and the
Electrum gateway, each on a port picked by the system. stop() ends them all."""
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import time
import urllib.request

PSQL = "/usr/bin/psql"
READY_TIMEOUT_S = 300


def psql(dsn, sql):
    return subprocess.run([PSQL, "-X", "-At", "-v", "ON_ERROR_STOP=1", dsn, "-c", sql],
                          capture_output=True, text=True, check=True, timeout=60).stdout


def base58check(payload):
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    data = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    number = int.from_bytes(data, "big")
    text = ""
    while number:
        number, digit = divmod(number, 58)
        text = alphabet[digit] + text
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + text


def regtest_p2pkh(key_hash, version=0x6f):
    """(address, scriptPubKey bytes) for a 20-byte key hash on regtest
    (`version`: the P2PKH prefix, 0x8c for Dash)."""
    return base58check(bytes([version]) + key_hash), b"\x76\xa9\x14" + key_hash + b"\x88\xac"


# The order of the stack's binaries on a test's command line (BUILD's STACK_ARGS).
STACK_BINARIES = ["simnode", "migrate", "blockchain", "mempool", "history", "gateway"]


def binaries_from_argv(argv):
    """{name: path} from the first arguments after the script name."""
    return dict(zip(STACK_BINARIES, argv[1:1 + len(STACK_BINARIES)]))


def scripthash(script):
    return hashlib.sha256(script).digest()[::-1].hex()


class Process:
    def __init__(self, name, argv, log_dir, ready_pattern):
        self.name = name
        self.log_path = os.path.join(log_dir, name + ".log")
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        self.port = None
        deadline = time.time() + READY_TIMEOUT_S
        while time.time() < deadline:
            with open(self.log_path, "rb") as log:
                match = re.search(ready_pattern, log.read().decode(errors="replace"))
            if match:
                self.port = int(match.group(1))
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("%s did not start; log: %s" % (name, self.tail()))

    def tail(self, lines=30):
        with open(self.log_path, "rb") as log:
            return "\n".join(log.read().decode(errors="replace").splitlines()[-lines:])

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class Stack:
    """Binaries come from `binaries` (name → path): simnode, migrate,
    blockchain, mempool, history, gateway."""

    def __init__(self, binaries, name, gateway_flags=(), simnode_flags=(), admin_dsn=None,
                 coin="bitcoin", node_url=False):
        """`gateway_flags` may name files in the stack's directory as {tmp};
        `admin_dsn` defaults to ELECTRUM_TEST_PG_DSN; `coin` is simnode's
        chain (bitcoin, namecoin or dash; regtest), indexed as that coin.
        With `node_url`, simnode takes a user and a password that needs
        percent-encoding, and the services reach it by --node_url alone."""
        self.binaries = binaries
        self.coin = coin
        self.use_node_url = node_url
        self.tmp = os.path.join(os.environ.get("TEST_TMPDIR", "/tmp"), name)
        shutil.rmtree(self.tmp, ignore_errors=True)
        os.makedirs(self.tmp)
        admin = admin_dsn or os.environ["ELECTRUM_TEST_PG_DSN"]
        database = "%s_%d" % (name, os.getpid())
        psql(admin, "DROP DATABASE IF EXISTS %s WITH (FORCE)" % database)
        psql(admin, "CREATE DATABASE %s" % database)
        self.dsn = admin.rsplit("/", 1)[0] + "/" + database
        subprocess.run([binaries["migrate"], "--database_url=" + self.dsn], check=True,
                       capture_output=True, timeout=60)
        self.processes = []
        self.make_certificate()
        try:
            self._start(gateway_flags, simnode_flags)
        except Exception:
            self.stop()
            raise

    def _start(self, gateway_flags, simnode_flags):
        datadir = os.path.join(self.tmp, "simnode")
        zmq_port = self._free_port()
        credentials = ["--rpcuser=electrum", "--rpcpassword=p@ss:w/rd"] if self.use_node_url else []
        simnode = self._run("simnode", [
            self.binaries["simnode"], "--datadir=" + datadir, "--rpcport=0",
            "--initial_blocks=200", "--zmqpub=tcp://127.0.0.1:%d" % zmq_port,
            "--coin=" + self.coin, *credentials, *simnode_flags],
            r"simnode ready rpcport=(\d+)")
        self.node_port = simnode.port
        if self.use_node_url:
            self.cookie = "electrum:p@ss:w/rd"
            self.node_url = "http://electrum:p%%40ss%%3Aw%%2Frd@127.0.0.1:%d/" % simnode.port
            node = ["--node_url=" + self.node_url]
        else:
            cookie_path = os.path.join(datadir, ".cookie")
            deadline = time.time() + READY_TIMEOUT_S
            while not os.path.exists(cookie_path) and time.time() < deadline:
                time.sleep(0.05)
            self.cookie = open(cookie_path).read().strip()
            node = ["--node_port=%d" % simnode.port, "--node_cookie_file=" + cookie_path]
        database = "--database_url=" + self.dsn
        coin = ["--coin=" + self.coin, "--network=regtest"]
        blockchain = self._run("blockchain", [
            self.binaries["blockchain"], database, *coin, *node,
            "--node_zmq_hashblock=tcp://127.0.0.1:%d" % zmq_port, "--listen=127.0.0.1:0"],
            r"blockchain service listening on port (\d+)")
        mempool = self._run("mempool", [
            self.binaries["mempool"], database, *coin, *node,
            "--node_zmq_sequence=tcp://127.0.0.1:%d" % zmq_port, "--listen=127.0.0.1:0"],
            r"mempool service listening on port (\d+)")
        history = self._run("history", [self.binaries["history"], database,
                                        "--listen=127.0.0.1:0"],
                            r"address history service listening on port (\d+)")
        self.wait_indexed(self.node("getblockcount"))
        self.gateway = self._run("gateway", [
            self.binaries["gateway"],
            "--blockchain_service=127.0.0.1:%d" % blockchain.port,
            "--mempool_service=127.0.0.1:%d" % mempool.port,
            "--history_service=127.0.0.1:%d" % history.port,
            "--tcp_listen=127.0.0.1:0", *[flag.format(tmp=self.tmp) for flag in gateway_flags]],
            r"Electrum over tcp on port (\d+)")
        self.tcp_port = self.gateway.port
        self.ports = self.listener_ports(self.gateway)

    @staticmethod
    def listener_ports(process):
        """{"tcp": port, "ssl": port, …} from a gateway's log."""
        with open(process.log_path) as log:
            return {kind: int(port) for kind, port in
                    re.findall(r"Electrum over (\w+) on port (\d+)", log.read())}

    def make_certificate(self):
        """A self-signed certificate and key for TLS listeners: {tmp}/tls.crt, tls.key."""
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-keyout", os.path.join(self.tmp, "tls.key"),
                        "-out", os.path.join(self.tmp, "tls.crt")],
                       check=True, capture_output=True, timeout=60)

    def _run(self, name, argv, ready_pattern):
        process = Process(name, argv, self.tmp, ready_pattern)
        self.processes.append(process)
        return process

    @staticmethod
    def _free_port():
        import socket
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return probe.getsockname()[1]

    def node(self, method, *params):
        request = urllib.request.Request(
            "http://127.0.0.1:%d/" % self.node_port,
            data=json.dumps({"jsonrpc": "1.0", "id": 1, "method": method,
                             "params": list(params)}).encode(),
            headers={"Authorization": "Basic " + base64.b64encode(self.cookie.encode()).decode(),
                     "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as reply:
                answer = json.loads(reply.read())
        except urllib.error.HTTPError as error:
            answer = json.loads(error.read())
        if answer.get("error"):
            raise RuntimeError("%s: %s" % (method, answer["error"]))
        return answer["result"]

    def indexed_height(self):
        """The indexed tip; -1 until then, and while a bulk load has yet to
        merge its staging tables (its history is not readable before)."""
        out = psql(self.dsn, "SELECT height FROM chain_tip WHERE NOT EXISTS "
                             "(SELECT 1 FROM bulk_dropped_indexes)").strip()
        return int(out) if out else -1

    def wait_indexed(self, height, timeout=READY_TIMEOUT_S):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.indexed_height() >= height:
                return
            time.sleep(0.05)
        raise RuntimeError("index did not reach height %d" % height)

    def stop(self):
        for process in reversed(self.processes):
            process.stop()
        self.processes = []
