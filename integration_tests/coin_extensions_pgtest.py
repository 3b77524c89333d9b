"""Coin extensions end to end (spec §6): a whole stack on simnode's Dash
chain answers masternode.* and protx.* from the node through the blockchain
service's DashService, and notifies masternode subscribers on every block; a
stack on simnode's Namecoin chain serves AuxPoW headers (full, or cut to 80
bytes under a checkpoint) and the name index. Run by
coin_extensions_pgtest.sh."""
import hashlib
import os
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from electrum_client import negotiated  # noqa: E402
from stack import binaries_from_argv, Stack, regtest_p2pkh, scripthash  # noqa: E402
from transactions import CoinSource, pay  # noqa: E402

BINARIES = binaries_from_argv(sys.argv)
DASH_P2PKH = 0x8C

# simnode's Dash fixtures (tools/simnode/rpc_dash_methods.cc).
ENABLED_COLLATERAL = "aaaa" + "0" * 59 + "1-0"
BANNED_COLLATERAL = "cccc" + "0" * 59 + "3-0"
FIRST_PROTX = "1" * 64


class Checks:
    def __init__(self):
        self.results = []

    def __call__(self, condition, what):
        print(("ok   " if condition else "FAIL ") + what, flush=True)
        self.results.append(bool(condition))

    def error_code(self, reply):
        return reply.get("error", {}).get("code")


def dash_checks(check):
    stack = Stack(BINARIES, "coin_dash", coin="dash")
    try:
        client = negotiated(stack.tcp_port)
        features = client.result("server.features")
        check(features["genesis_hash"] ==
              "000008ca1832a4baf228eb1553c03d3a2c8e02399550dd6ea8d65cec3ef23d2e",
              "server.features shows Dash regtest's genesis")

        # masternode.list: every fixture, ranked, with the payee's balance.
        payee_key = b"\x01" * 20
        payee_address, payee_script = regtest_p2pkh(payee_key, DASH_P2PKH)
        coins = CoinSource(stack)
        raw, _ = pay(coins, payee_script)
        client.result("blockchain.transaction.broadcast", raw)
        deadline = time.time() + 30
        while (client.result("blockchain.scripthash.get_balance", scripthash(payee_script))
               ["unconfirmed"] == 0 and time.time() < deadline):
            time.sleep(0.05)
        listed = client.result("masternode.list", [])
        check(len(listed) == 3, "masternode.list([]) lists every masternode (%d)" % len(listed))
        by_vin = {mn["vin"]: mn for mn in listed}
        first = by_vin.get(ENABLED_COLLATERAL, {})
        check(first.get("payee") == payee_address and first.get("status") == "ENABLED",
              "an entry carries the node's payee and status (%s)" % first)
        check(by_vin.get(BANNED_COLLATERAL, {}).get("paymentposition") == -1,
              "a banned masternode is not in the payment queue")
        positions = sorted(mn["paymentposition"] for mn in listed if mn["status"] == "ENABLED")
        check(positions == [1, 2], "enabled masternodes hold positions 1 and 2 (%s)" % positions)
        mempool = client.result("blockchain.scripthash.get_balance", scripthash(payee_script))
        expected_balance = (mempool["confirmed"] + mempool["unconfirmed"]) / 1e8
        check(expected_balance > 0 and abs(first.get("balance", -1) - expected_balance) < 1e-9,
              "balance is the payee's confirmed + unconfirmed coins (%s)" % first.get("balance"))
        only = client.result("masternode.list", [payee_address])
        check([mn["vin"] for mn in only] == [ENABLED_COLLATERAL], "masternode.list filters by payee")
        check(check.error_code(client.call("masternode.list", "everything")) == 1 and
              client.call("masternode.list", "x")["error"]["message"] ==
              "expected a list of payees", "masternode.list needs a list")

        # masternode.subscribe: the status now, then on every block.
        check(client.result("masternode.subscribe", ENABLED_COLLATERAL) == "ENABLED",
              "masternode.subscribe answers the status")
        check(client.result("masternode.subscribe", "ffff" + "0" * 60 + "-0") is None,
              "an unknown masternode's status is null")
        stack.node("generatetoaddress", 1, regtest_p2pkh(b"\x55" * 20, DASH_P2PKH)[0])
        seen = {}
        deadline = time.time() + 30
        while len(seen) < 2 and time.time() < deadline:
            note = client.notification("masternode.subscribe", timeout=deadline - time.time())
            seen[note["params"][0]] = note["params"][1]
        check(seen.get(ENABLED_COLLATERAL) == "ENABLED" and
              ("ffff" + "0" * 60 + "-0") in seen,
              "a new block re-sends every subscribed masternode's status (%s)" % seen)

        # protx.diff and protx.info: the node's objects, checked ranges.
        tip = client.result("blockchain.headers.subscribe")["height"]
        diff = client.result("protx.diff", 1, tip)
        check(diff["blockHash"] == stack.node("getblockhash", tip) and
              diff["baseBlockHash"] == stack.node("getblockhash", 1) and
              len(diff["mnList"]) == 3, "protx.diff passes the node's diff on")
        reply = client.call("protx.diff", 1, tip + 1)
        check(reply.get("error", {}).get("message") ==
              "require 1 <= base_height 1 <= height %s <= chain height %s" %
              ("{:,}".format(tip + 1), "{:,}".format(tip)),
              "protx.diff past the tip: ElectrumX's range text (%s)" % reply.get("error"))
        check(client.call("protx.diff", "1", tip)["error"]["message"] ==
              "expected a int block heights", "protx.diff needs integer heights")
        info = client.result("protx.info", FIRST_PROTX)
        check(info.get("proTxHash") == FIRST_PROTX and "wallet" not in info and
              info.get("collateralIndex") == 0, "protx.info without the wallet section")
        check(client.call("protx.info", 5)["error"]["message"] == "expected protx hash string",
              "protx.info needs a string")
        reply = client.call("protx.info", "9" * 64)
        check(check.error_code(reply) == 2, "a node error is the daemon error (%s)" %
              reply.get("error"))

        # masternode.announce.broadcast: the node's verdict.
        check(client.result("masternode.announce.broadcast", "00ff") is True,
              "announce.broadcast relays to the node")
        reply = client.call("masternode.announce.broadcast", "zz")
        check(check.error_code(reply) == 1 and reply["error"]["message"].startswith(
            "the masternode broadcast was rejected.\n\n") and
            reply["error"]["message"].endswith("\n[zz]"),
            "a rejected broadcast: code 1 with the node's reason (%s)" % reply.get("error"))
    finally:
        stack.stop()


def main():
    started = time.time()
    check = Checks()
    for part in (dash_checks,):
        try:
            part(check)
        except Exception as error:  # noqa: BLE001 — reported as a failure
            traceback.print_exc()
            check(False, "%s: no unexpected error (%s)" % (part.__name__, error))
    failed = check.results.count(False)
    print("%d passed, %d failed in %.1f s" % (len(check.results) - failed, failed,
                                              time.time() - started))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
