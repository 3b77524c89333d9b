"""PostgreSQL really stopped and started again under the whole stack: a
cluster of the test's own (tools/localpg in a private data directory) so no
other test is disturbed. While it is down, requests that need it fail with
the protocol's daemon error and sessions stay up (headers are still served
from the gateway's copy); once it is back, the services reconnect on their
own: requests succeed again, a new block is indexed and subscribers are
notified. Run by postgres_restart_pgtest.sh."""
import hashlib
import os
import subprocess
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from electrum_client import negotiated  # noqa: E402
from stack import binaries_from_argv, Stack, regtest_p2pkh, scripthash  # noqa: E402
from transactions import CoinSource, pay  # noqa: E402

BINARIES = binaries_from_argv(sys.argv)
LOCALPG = sys.argv[7]
RECOVERY_TIMEOUT_S = 60


def localpg(data_dir, command):
    out = subprocess.run(["bash", LOCALPG, command], capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, ELECTRUM_DATA_DIR=data_dir))
    if out.returncode != 0:
        raise RuntimeError("localpg %s: %s" % (command, out.stderr))
    return out.stdout.strip()


def expect(condition, what):
    if not condition:
        raise AssertionError(what)


def main():
    started = time.time()
    # The server runs as the postgres user when we are root: a directory it can reach.
    data_dir = tempfile.mkdtemp(prefix="pg-restart-", dir="/tmp")
    os.chmod(data_dir, 0o755)
    localpg(data_dir, "start")
    dsn = localpg(data_dir, "dsn")
    stack = None
    checks = []

    def check(condition, what):
        print(("ok   " if condition else "FAIL ") + what, flush=True)
        checks.append(condition)

    try:
        stack = Stack(BINARIES, "postgres_restart", admin_dsn=dsn)
        coins = CoinSource(stack)
        client = negotiated(stack.tcp_port)
        script = regtest_p2pkh(hashlib.sha256(b"restart").digest()[:20])[1]
        sh = scripthash(script)
        check(client.result("blockchain.scripthash.subscribe", sh) is None, "subscribed")
        tip = client.result("blockchain.headers.subscribe")["height"]

        localpg(data_dir, "stop")
        never_asked = scripthash(regtest_p2pkh(hashlib.sha256(b"never").digest()[:20])[1])
        reply = client.call("blockchain.scripthash.get_history", never_asked)
        check(reply.get("error", {}).get("code") == 2,
              "while PostgreSQL is down: daemon error (%s)" % reply.get("error"))
        # What the history service has cached is still the index's state:
        # nothing can be indexed meanwhile, and its caches are dropped when
        # the database is back.
        reply = client.call("blockchain.scripthash.get_history", sh)
        check(reply.get("result") == [],
              "while PostgreSQL is down: a cached history is still answered (%s)" % reply)
        check(client.result("server.ping") is None, "the session stays up")
        check(len(client.result("blockchain.block.header", tip)) == 160,
              "headers still served from the gateway's copy")

        localpg(data_dir, "start")
        check(localpg(data_dir, "dsn") == dsn, "PostgreSQL back on the same port")
        deadline = time.time() + RECOVERY_TIMEOUT_S
        recovered = False
        while time.time() < deadline and not recovered:
            reply = client.call("blockchain.scripthash.get_history", sh)
            recovered = reply.get("result") == []
            if not recovered:
                time.sleep(0.5)
        check(recovered, "requests succeed again after the restart (%.1f s)" %
              (RECOVERY_TIMEOUT_S - (deadline - time.time())))

        raw, txid = pay(coins, script, value=1_000_000)
        client.result("blockchain.transaction.broadcast", raw)
        stack.node("generatetoaddress", 1, regtest_p2pkh(b"\x55" * 20)[0])
        header = client.notification("blockchain.headers.subscribe", timeout=RECOVERY_TIMEOUT_S)
        check(header["params"][0]["height"] == tip + 1, "the next block is indexed and announced")
        expected = hashlib.sha256(("%s:%d:" % (txid, tip + 1)).encode()).hexdigest()
        deadline = time.time() + RECOVERY_TIMEOUT_S
        status = None
        while time.time() < deadline and status != expected:
            status = client.notification("blockchain.scripthash.subscribe",
                                         timeout=max(0.1, deadline - time.time()))["params"][1]
        check(status == expected, "the subscriber is notified of the confirmed payment")
    except Exception as error:  # noqa: BLE001 — reported as a failure
        traceback.print_exc()
        check(False, "no unexpected error (%s)" % error)
    finally:
        if stack:
            stack.stop()
        try:
            localpg(data_dir, "stop")
        except RuntimeError:
            pass
        subprocess.run(["rm", "-rf", data_dir])
    failed = checks.count(False)
    print("%d passed, %d failed in %.1f s" % (len(checks) - failed, failed,
                                              time.time() - started))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
