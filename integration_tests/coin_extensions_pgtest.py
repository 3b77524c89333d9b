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
from transactions import CoinSource, pay, serialize, txid_of  # noqa: E402

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
        def resent():
            seen = {}
            deadline = time.time() + 30
            while len(seen) < 2 and time.time() < deadline:
                note = client.notification("masternode.subscribe", timeout=deadline - time.time())
                seen[note["params"][0]] = note["params"][1]
            return seen

        tip_before = client.result("blockchain.headers.subscribe")["height"]
        raw, _ = pay(coins, regtest_p2pkh(b"\x56" * 20, DASH_P2PKH)[1])
        client.result("blockchain.transaction.broadcast", raw)
        seen = resent()
        check(seen.get(ENABLED_COLLATERAL) == "ENABLED" and
              ("ffff" + "0" * 60 + "-0") in seen and
              client.result("blockchain.headers.subscribe")["height"] == tip_before,
              "a mempool change re-sends every subscribed masternode's status (%s)" % seen)
        stack.node("generatetoaddress", 1, regtest_p2pkh(b"\x55" * 20, DASH_P2PKH)[0])
        seen = resent()
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


def push(data):
    return (bytes([len(data)]) if len(data) < 0x4C else b"\x4c" + bytes([len(data)])) + data


def name_firstupdate_script(name, value, owner_script):
    return (b"\x52" + push(name) + push(b"\x07" * 20) + push(value) + b"\x6d\x6d" +
            owner_script)


def name_update_script(name, value, owner_script):
    return b"\x53" + push(name) + push(value) + b"\x6d\x75" + owner_script


def name_index_scripthash(name):
    return scripthash(b"\x53" + push(name) + b"\x00\x6d\x75\x6a")


def merkle_root_from(txid_hex, branch, position):
    """The block merkle root (display hex) a tx_merkle proof leads to."""
    node = bytes.fromhex(txid_hex)[::-1]
    for sibling in branch:
        sibling = bytes.fromhex(sibling)[::-1]
        pair = sibling + node if position & 1 else node + sibling
        node = hashlib.sha256(hashlib.sha256(pair).digest()).digest()
        position >>= 1
    return node[::-1].hex()


def header_merkle_root(header_hex):
    return bytes.fromhex(header_hex[72:136])[::-1].hex()


def wait_for_height(client, height, timeout=30):
    """Until the gateway's header copy (not only the index) reaches `height`."""
    deadline = time.time() + timeout
    while client.result("blockchain.headers.subscribe")["height"] < height:
        if time.time() > deadline:
            raise TimeoutError("the gateway did not reach height %d" % height)
        time.sleep(0.02)


def namecoin_checks(check):
    stack = Stack(BINARIES, "coin_namecoin", coin="namecoin")
    try:
        client = negotiated(stack.tcp_port, version="1.4.3")
        modern = negotiated(stack.tcp_port, version="1.6")
        oldest = negotiated(stack.tcp_port, version="1.4")
        mine_to = regtest_p2pkh(b"\x66" * 20)[0]

        # AuxPoW headers: full without a checkpoint, the 80-byte base under one.
        tip = client.result("blockchain.headers.subscribe")
        height = tip["height"] - 1
        block_hex = stack.node("getblock", stack.node("getblockhash", height), 0)
        full = client.result("blockchain.block.header", height)
        check(len(full) > 160 and block_hex.startswith(full),
              "block.header: the full AuxPoW header (%d bytes)" % (len(full) // 2))
        check(hashlib.sha256(hashlib.sha256(bytes.fromhex(full[:160])).digest()).digest()[::-1]
              .hex() == stack.node("getblockhash", height),
              "the block hash is SHA-256d of the first 80 bytes")
        proved = client.result("blockchain.block.header", height, tip["height"])
        check(proved["header"] == full[:160], "under a checkpoint (1.4.3): cut to 80 bytes")
        check(oldest.result("blockchain.block.header", height, tip["height"])["header"] == full,
              "under a checkpoint at 1.4: never cut")
        headers = modern.result("blockchain.block.headers", height - 2, 3, tip["height"])
        check(headers["count"] == 3 and all(len(h) == 160 for h in headers["headers"]),
              "block.headers under a checkpoint (1.6): every header cut")
        uncut = modern.result("blockchain.block.headers", height - 2, 3)
        check(uncut["headers"][2] == full and all(len(h) > 160 for h in uncut["headers"]),
              "block.headers without a checkpoint: full headers")
        old_hex = client.result("blockchain.block.headers", height - 2, 3, tip["height"])["hex"]
        check(old_hex == "".join(headers["headers"]), "1.4.3 hex joins the cut headers")
        check(len(tip["hex"]) > 160 and block_hex != "" and
              stack.node("getblock", stack.node("getblockhash", tip["height"]), 0)
              .startswith(tip["hex"]), "headers.subscribe: the full stored header")

        # The name index: owner and name histories, then the value proof.
        coins = CoinSource(stack)
        name = b"d/electrum-test"
        owner = regtest_p2pkh(hashlib.sha256(b"name owner").digest()[:20])[1]
        name_sh = name_index_scripthash(name)
        check(client.result("blockchain.scripthash.subscribe", name_sh) is None,
              "a fresh name has no history")
        txid, vout, amount = coins.take()
        first_raw = serialize([(txid, vout)], [(amount - 10000, name_firstupdate_script(
            name, b"first", owner))])
        first = client.result("blockchain.transaction.broadcast", first_raw.hex())
        status = client.notification("blockchain.scripthash.subscribe", timeout=30)["params"][1]
        check(status is not None, "the name's subscriber is told of the unconfirmed registration")
        mempool = client.result("blockchain.scripthash.get_history", name_sh)
        check([e["tx_hash"] for e in mempool] == [first] and mempool[0]["height"] == 0,
              "the unconfirmed registration is in the name's history")
        stack.node("generatetoaddress", 1, mine_to)
        registered_at = tip["height"] + 1
        update_raw = serialize([(first, 0)], [(amount - 20000, name_update_script(
            name, b"second", owner))])
        update = client.result("blockchain.transaction.broadcast", update_raw.hex())
        stack.node("generatetoaddress", 1, mine_to)
        wait_for_height(client, registered_at + 1)
        newest = client.result("blockchain.block.header", registered_at + 1)
        check(len(newest) > 160 and stack.node(
            "getblock", stack.node("getblockhash", registered_at + 1), 0).startswith(newest),
            "a block indexed one by one keeps its AuxPoW too")
        owned = client.result("blockchain.scripthash.get_history", scripthash(owner))
        check([e["tx_hash"] for e in owned] == [first, update],
              "name outputs are in the owner's history (prefix stripped)")
        balance = client.result("blockchain.scripthash.get_balance", scripthash(owner))
        check(balance["confirmed"] == amount - 20000, "and in the owner's balance (%s)" % balance)
        history = client.result("blockchain.scripthash.get_history", name_sh)
        check([(e["tx_hash"], e["height"]) for e in history] ==
              [(first, registered_at), (update, registered_at + 1)],
              "the name's history holds the registration and the update")

        proof = client.result("blockchain.name.get_value_proof", name_sh)
        entries = proof.get(name_sh, [])
        check([txid_of(bytes.fromhex(e["tx"])) for e in entries] == [update, first],
              "get_value_proof: the name's transactions, newest first")
        roots_ok = all(
            merkle_root_from(txid_of(bytes.fromhex(e["tx"])), e["tx_merkle"]["merkle"],
                             e["tx_merkle"]["pos"]) ==
            header_merkle_root(client.result("blockchain.block.header", e["height"]))
            for e in entries)
        check(roots_ok, "every tx_merkle proves its transaction under its block's merkle root")
        proved = client.result("blockchain.name.get_value_proof", name_sh, registered_at + 1)
        entries = proved[name_sh]
        check(len(entries) == 1 and len(entries[0]["header"]["header"]) == 160 and
              entries[0]["header"]["root"] ==
              client.result("blockchain.block.header", registered_at + 1,
                            registered_at + 1)["root"],
              "under a checkpoint: stops at the first entry at or below it, with its header")
        check(oldest.call("blockchain.name.get_value_proof", name_sh).get("error", {})
              .get("code") == -32601, "get_value_proof needs protocol 1.4.3")

        # A registration older than the expiry gap (regtest: 30 blocks) is left out.
        stack.node("generatetoaddress", 31, mine_to)
        renew_raw = serialize([(update, 0)], [(amount - 30000, name_update_script(
            name, b"third", owner))])
        renew = client.result("blockchain.transaction.broadcast", renew_raw.hex())
        stack.node("generatetoaddress", 1, mine_to)
        wait_for_height(client, registered_at + 33)
        entries = client.result("blockchain.name.get_value_proof", name_sh)[name_sh]
        check([txid_of(bytes.fromhex(e["tx"])) for e in entries] == [renew],
              "entries beyond the expiry gap are left out (%d entries)" % len(entries))
    finally:
        stack.stop()


def main():
    started = time.time()
    check = Checks()
    for part in (dash_checks, namecoin_checks):
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
