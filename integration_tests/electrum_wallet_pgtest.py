"""The real Electrum wallet (Debian's `electrum`, 4.3.x) against the whole
stack, over TCP and over TLS: a fresh wallet connects and negotiates, sees
a mined coinbase mature into its balance, pays another address (payto +
broadcast), sees the payment unconfirmed and then confirmed, follows a reorg
that drops the payment's block (back to unconfirmed) and the longer chain
that confirms it again. Run by electrum_wallet_pgtest.sh."""
import json
import shutil
import tempfile
import os
import subprocess
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from stack import binaries_from_argv, Stack, regtest_p2pkh  # noqa: E402

BINARIES = binaries_from_argv(sys.argv)
ELECTRUM = os.environ.get("ELECTRUM_WALLET_BINARY", "/usr/bin/electrum")
STEP_TIMEOUT_S = 90
ELSEWHERE = regtest_p2pkh(b"\x44" * 20)[0]


def wait_for(what, probe, timeout=STEP_TIMEOUT_S):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            last = probe()
            # A probe may return (False, details...) to say "not yet" and why.
            if last and not (isinstance(last, tuple) and last[0] is False):
                return last
        except RuntimeError as error:
            last = error
        time.sleep(0.5)
    raise AssertionError("timed out waiting for %s (last: %s)" % (what, last))


class Wallet:
    def __init__(self, directory, port, protocol):
        self.directory = directory
        self.base = [ELECTRUM, "--regtest", "-D", directory]
        self.run("create", "--offline")
        self.run("daemon", "-d", "--oneserver", "--server", "127.0.0.1:%d:%s" % (port, protocol))
        self.run("load_wallet")

    def run(self, *command):
        out = subprocess.run(self.base + list(command), capture_output=True, text=True,
                             timeout=120)
        if out.returncode != 0:
            raise RuntimeError("electrum %s: %s %s" % (" ".join(command), out.stdout, out.stderr))
        text = out.stdout.strip()
        try:
            return json.loads(text)
        except ValueError:
            return text

    def history(self):
        return self.run("onchain_history")["transactions"]

    def stop(self):
        subprocess.run(self.base + ["stop"], capture_output=True, timeout=60)


def scenario(stack, protocol, port):
    # Short: the daemon's unix socket lives in it (paths are limited to 108 bytes).
    directory = tempfile.mkdtemp(prefix="ew-%s-" % protocol, dir="/tmp")
    wallet = Wallet(directory, port, protocol)
    try:
        info = wait_for("the wallet to connect", lambda: (
            lambda i: i if i.get("connected") and
            i.get("blockchain_height") == stack.node("getblockcount") else None)(
                wallet.run("getinfo")))
        print("  connected: server %s, height %d" % (info["server"],
                                                       info["blockchain_height"]))
        if not info["server"].startswith("127.0.0.1"):
            raise AssertionError("connected to %s" % info["server"])

        address = wallet.run("getunusedaddress")
        mined = stack.node("generatetoaddress", 1, address)[0]
        coinbase = stack.node("getblock", mined, 2)["tx"][0]["vout"][0]["value"]
        stack.node("generatetoaddress", 100, ELSEWHERE)
        balance = wait_for("the matured coinbase (%s) in the balance" % coinbase, lambda: (
            lambda b: b if float(b.get("confirmed", 0)) == coinbase and "unmatured" not in b
            else None)(wallet.run("getbalance")))
        print("  balance %s" % balance)
        history = wallet.history()
        if len(history) != 1 or history[0]["incoming"] is not True:
            raise AssertionError("history after mining: %s" % history)

        payment = wallet.run("payto", ELSEWHERE, "1.5")
        txid = wallet.run("broadcast", payment)
        unconfirmed = wait_for("the payment unconfirmed in the history", lambda: [
            t for t in wallet.history() if t["txid"] == txid and t["height"] in (0, -1)])
        print("  payment %s unconfirmed (%s)" % (txid[:16], unconfirmed[0]["confirmations"]))

        block_hash = stack.node("generatetoaddress", 1, ELSEWHERE)[0]
        height = stack.node("getblockcount")
        wait_for("the payment confirmed", lambda: [
            t for t in wallet.history() if t["txid"] == txid and t["height"] == height])
        print("  confirmed at height %d" % height)

        # Drop that block: the payment is unconfirmed again.
        stack.node("invalidateblock", block_hash)
        wait_for("the reorg to undo the confirmation", lambda: [
            t for t in wallet.history() if t["txid"] == txid and t["height"] in (0, -1)])
        # (Electrum keeps its longer local chain until one with more work
        # arrives; the server's tip it reports is the shorter one.)
        wait_for("the server's shorter tip in the wallet", lambda: (
            wallet.run("getinfo")["server_height"] == height - 1))
        print("  block dropped: payment unconfirmed again at tip %d" % (height - 1))

        # A longer chain confirms it again, in a different block.
        stack.node("generatetoaddress", 2, ELSEWHERE)
        new_height = stack.node("getblockcount")
        # On failure, `last` shows where the wallet has the payment instead
        # (another height, unconfirmed, or missing) and the server's tip.
        wait_for("the payment confirmed on the new chain", lambda: (
            [t for t in wallet.history() if t["txid"] == txid and t["height"] == height] or
            (False, [t for t in wallet.history() if t["txid"] == txid],
             wallet.run("getinfo").get("server_height"))))
        wait_for("the wallet at the new tip", lambda: (
            wallet.run("getinfo")["blockchain_height"] == new_height))
        balance = wallet.run("getbalance")
        print("  reconfirmed on the new chain; balance %s" % balance)
        if "unconfirmed" in balance:
            raise AssertionError("balance still unconfirmed: %s" % balance)
    finally:
        wallet.stop()
        shutil.rmtree(directory, ignore_errors=True)


def main():
    started = time.time()
    stack = Stack(BINARIES, "electrum_wallet", gateway_flags=[
        "--ssl_listen=127.0.0.1:0", "--ssl_certfile={tmp}/tls.crt", "--ssl_keyfile={tmp}/tls.key"])
    failures = []
    try:
        for protocol, kind in [("t", "tcp"), ("s", "ssl")]:
            name = "electrum wallet over %s" % kind
            try:
                scenario(stack, protocol, stack.ports[kind])
                print("ok   " + name, flush=True)
            except Exception as error:  # noqa: BLE001 — every failure is reported
                failures.append(name)
                print("FAIL %s: %s" % (name, error), flush=True)
                traceback.print_exc()
    finally:
        stack.stop()
    print("%d passed, %d failed in %.1f s" % (2 - len(failures), len(failures),
                                              time.time() - started))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
