"""The conformance checklist of docs/protocol.md (§7)
against the whole stack over real sockets: PostgreSQL, simnode, the three
services and the gateway. Each test names the checklist items it covers.
Run by conformance_pgtest.sh with the binaries as arguments."""
import hashlib
import json
import os
import re
import subprocess
import urllib.error
import urllib.request
import signal
import socket
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from electrum_client import Client, negotiated  # noqa: E402
from stack import binaries_from_argv, Process, Stack, regtest_p2pkh, scripthash  # noqa: E402
from transactions import CoinSource, pay, spend  # noqa: E402

BINARIES = binaries_from_argv(sys.argv)
BINARIES["gateway_admin"] = sys.argv[7]
SERVER_VERSION = "ElectrumServer 0.1"
REGTEST_GENESIS = "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206"
TESTS = []
# Tests of limits, on gateways of their own (TCP only).
STRICT_TESTS = []
TRANSPORTS = ["tcp", "ssl", "ws", "wss"]


def test(function):
    TESTS.append(function)
    return function


def strict_test(function):
    STRICT_TESTS.append(function)
    return function


def expect(condition, what):
    if not condition:
        raise AssertionError(what)


def expect_error(reply, code, message=None, prefix=None):
    expect("error" in reply, "expected error %d, got %s" % (code, reply))
    expect(reply["error"]["code"] == code, "expected code %d, got %s" % (code, reply["error"]))
    if message is not None:
        expect(reply["error"]["message"] == message,
               "expected %r, got %r" % (message, reply["error"]["message"]))
    if prefix is not None:
        expect(reply["error"]["message"].startswith(prefix),
               "expected %r…, got %r" % (prefix, reply["error"]["message"]))


SCRIPTS_MADE = [0]


def new_script(tag):
    """A script no earlier test (or transport pass) has used."""
    SCRIPTS_MADE[0] += 1
    seed = "%s %d" % (tag, SCRIPTS_MADE[0])
    return regtest_p2pkh(hashlib.sha256(seed.encode()).digest()[:20])[1]


# ---- transport / JSON-RPC -------------------------------------------------------------


@test
def one_line_one_reply_and_pipelining(ctx):  # 1, 3, 4, 41
    client = ctx.connect()
    client.send_raw(b'{"jsonrpc":"2.0","id":1,"method":"server.version","params":["c","1.6"]}\n'
                    b'{"jsonrpc":"2.0","id":2,"method":"server.ping","params":[]}\n'
                    b'{"jsonrpc":"2.0","id":3,"method":"mempool.get_')
    time.sleep(0.05)
    client.send_raw(b'info","params":[]}\n')
    replies = [client.read_message() for _ in range(3)]
    expect([r["id"] for r in replies] == [1, 2, 3], replies)
    expect(replies[0]["result"] == [SERVER_VERSION, "1.6"], replies[0])
    expect(replies[1]["result"] is None, replies[1])
    expect("mempoolminfee" in replies[2]["result"], "pipelined 1.6 method after version")


@test
def malformed_input_keeps_the_session(ctx):  # 5, 6, 7, 8, 10, 11, 13, 14, 15, 16
    client = ctx.negotiated()
    client.send_raw(b"this is not json\n")
    reply = client.read_message()
    expect_error(reply, -32700)
    expect(reply["id"] is None, reply)
    client.send_raw(b'{"jsonrpc":"2.0","id":1,"method":"server.ping","params":["\xff"]}\n')
    expect_error(client.read_message(), -32700, "messages must be encoded in UTF-8")
    client.send_raw(b"5\n")
    expect_error(client.read_message(), -32600, "request object must be a dictionary")
    client.send_raw(b"[]\n")
    expect_error(client.read_message(), -32600, "batch is empty")
    client.send_raw(b'[1, "x"]\n')
    batch = client.read_message()
    expect(isinstance(batch, list) and len(batch) == 2 and all("error" in e for e in batch), batch)
    client.send({"jsonrpc": "2.0", "id": {"a": 1}, "method": "server.ping"})
    expect_error(client.read_message(), -32600, prefix='invalid "id"')
    client.send({"jsonrpc": "2.0", "id": None, "method": "server.ping"})
    client.send({"jsonrpc": "2.0", "id": 9, "method": "server.ping", "params": "x"})
    reply = client.read_message()
    expect(reply["id"] == 9, "a null id gets no reply: %s" % reply)
    expect_error(reply, -32602, prefix="invalid request arguments")
    client.send({"jsonrpc": "2.0", "id": 10, "method": "server.ping"})
    expect(client.read_message() == {"jsonrpc": "2.0", "result": None, "id": 10}, "params absent")
    client.send({"id": 11, "method": "server.ping", "params": []})
    expect_error(client.read_message(), -32600, '"jsonrpc" is not "2.0"')
    expect_error(client.call("no.such.method"), -32601, 'unknown method "no.such.method"')
    expect(client.result("server.ping") is None, "session still open")


@test
def ids_are_echoed_with_their_type(ctx):  # 12
    client = ctx.negotiated()
    client.send({"jsonrpc": "2.0", "id": "abc", "method": "server.ping", "params": []})
    expect(client.read_message()["id"] == "abc", "string id")
    client.send({"jsonrpc": "2.0", "id": 7, "method": "server.ping", "params": []})
    expect(client.read_message()["id"] == 7, "numeric id")


@test
def batches_answer_requests_only(ctx):  # 9
    client = ctx.negotiated()
    client.send([{"jsonrpc": "2.0", "id": 1, "method": "server.ping", "params": []},
                 {"jsonrpc": "2.0", "method": "server.ping", "params": []},
                 {"jsonrpc": "2.0", "id": "b", "method": "blockchain.headers.subscribe"}])
    batch = client.read_message()
    expect(sorted(str(r["id"]) for r in batch) == ["1", "b"], batch)
    # Members run concurrently and reply in completion order: the ping
    # (answered in the gateway) overtakes the history (a service round trip).
    client.send([{"jsonrpc": "2.0", "id": "slow", "method": "blockchain.scripthash.get_history",
                  "params": ["00" * 32]},
                 {"jsonrpc": "2.0", "id": "fast", "method": "server.ping", "params": []}])
    batch = client.read_message()
    expect([r["id"] for r in batch] == ["fast", "slow"], batch)


@test
def arity_and_named_argument_errors(ctx):  # 17, 18, 19, 20
    client = ctx.negotiated()
    expect_error(client.call("blockchain.block.header"), -32602,
                 '0 arguments passed to method "blockchain.block.header" but it requires 1')
    expect_error(client.call("server.banner", 1), -32602,
                 "1 argument passed to method server.banner taking at most 0")
    client.send({"jsonrpc": "2.0", "id": 5, "method": "blockchain.block.header",
                 "params": {"height": 1, "bogus": 2}})
    expect_error(client.read_message(), -32602,
                 'method "blockchain.block.header" does not take parameter "bogus"')
    client.send({"jsonrpc": "2.0", "id": 6, "method": "blockchain.block.header",
                 "params": {"cp_height": 0}})
    expect_error(client.read_message(), -32602,
                 'method "blockchain.block.header" requires parameter "height"')
    client.send({"jsonrpc": "2.0", "id": 7, "method": "blockchain.block.header",
                 "params": {"height": 1}})
    expect(len(client.read_message()["result"]) == 160, "named call")


@test
def oversized_line_is_dropped_and_the_stream_resyncs(ctx):  # 21
    client = ctx.negotiated()
    try:
        client.send_raw(b'{"jsonrpc":"2.0","id":1,"method":"server.ping","params":["' +
                        b"x" * 1_100_000 + b'"]}\n')
    except OSError:
        expect(client.websocket, "only a WebSocket peer may be cut off mid-message")
    if client.websocket:
        # A WebSocket message over the limit fails the connection (1009), as
        # ElectrumX's websockets server does.
        expect(client.is_closed(), "oversized WebSocket message closes the connection")
        return
    client.send({"jsonrpc": "2.0", "id": 2, "method": "server.ping", "params": []})
    reply = client.read_message()
    expect(reply["id"] == 2 and reply["result"] is None, reply)


@test
def responses_over_max_send_are_replaced(ctx):  # 22, 23 (gateway runs with --max_send=1000)
    client = ctx.negotiated()
    single = client.call("blockchain.block.headers", 0, 100)
    expect(single["result"]["count"] == 100, "a 16 kB response fits the 350,000 floor")
    batch = [{"jsonrpc": "2.0", "id": i, "method": "blockchain.block.headers", "params": [0, 100]}
             for i in range(40)]
    client.send(batch)
    replies = client.read_message()
    too_large = [r for r in replies if "error" in r]
    expect(len(replies) == 40 and too_large, "some batch members replaced")
    expect_error(too_large[0], -32600, prefix="response too large (over 350,000 bytes")


# ---- version negotiation ----------------------------------------------------------------


def version_reply(ctx, *params):
    client = ctx.connect()
    client.send({"jsonrpc": "2.0", "id": 0, "method": "server.version", "params": list(params)})
    return client, client.read_message()


@test
def version_negotiation(ctx):  # 27, 28, 29, 30, 31, 36, 43, 44
    for params, expected in [(("c", "1.4"), "1.4"), (("c", ["1.4", "1.6"]), "1.6"),
                             (("c", ["1.4", "1.9"]), "1.6.0"), (("c",), "1.4"), ((), "1.4"),
                             (("c", ["1.4", "1.6"], "x", 9999.9), "1.6")]:
        client, reply = version_reply(ctx, *params)
        expect(reply.get("result") == [SERVER_VERSION, expected], "%s → %s" % (params, reply))
        if params == ("c", ["1.4", "1.6"]):
            features = client.result("server.features")
            expect(features["protocol_min"] == "1.4" and features["protocol_max"] == "1.6.0",
                   features)
            expect(features["server_version"] == reply["result"][0], features)
    client = ctx.connect()
    client.send({"jsonrpc": "2.0", "id": 0, "method": "server.version",
                 "params": {"client_name": "c", "protocol_version": "1.6", "extra": 1}})
    expect(client.read_message()["result"][1] == "1.6", "extra named argument ignored")


@test
def incompatible_versions_close_the_session(ctx):  # 32, 33, 34
    for version, text in [("1.3", "1.3"), ("2.0", "2.0"), ("garbage", "garbage")]:
        client, reply = version_reply(ctx, "c", version)
        expect_error(reply, 1, "unsupported protocol version: " + text)
        expect(client.is_closed(), "closed after " + version)


@test
def second_version_is_refused(ctx):  # 35
    client = ctx.negotiated(("1.4", "1.4.2"))
    expect_error(client.call("server.version", "x", "1.6"), 1, "server.version already sent")
    expect(client.result("blockchain.scripthash.unsubscribe", "00" * 32) is False,
           "still 1.4.2 (unsubscribe exists)")
    expect_error(client.call("mempool.get_info"), -32601)


@test
def version_must_come_first(ctx):  # 38, 39, 40
    client = ctx.connect()
    expect_error(client.call("server.ping"), 1, "use server.version to identify client")
    expect(client.is_closed(), "closed after a non-version first message")
    client = ctx.connect()
    expect_error(client.call("no.such.method"), 1, "use server.version to identify client")
    expect(client.is_closed(), "closed after an unknown first method")
    client = ctx.connect()
    client.send({"jsonrpc": "2.0", "method": "server.version", "params": ["c", "1.4"]})
    expect(client.is_closed(), "closed after a version notification")


@test
def drop_client_pattern(ctx):  # 42 (gateway runs with --drop_client=^bad-wallet)
    client, reply = version_reply(ctx, "bad-wallet/1.0", "1.4")
    expect_error(reply, 1, "unsupported client: bad-wallet/1.0")
    expect(client.is_closed(), "dropped client disconnected")


# ---- version-dependent behaviour ------------------------------------------------------


@test
def methods_by_version(ctx):  # 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55
    old = ctx.negotiated("1.4")
    new = ctx.negotiated(("1.4", "1.6"))
    headers = old.result("blockchain.block.headers", 0, 2)
    expect(set(headers) == {"hex", "count", "max"}, headers)
    listed = new.result("blockchain.block.headers", 0, 2)
    expect(set(listed) == {"headers", "count", "max"}, listed)
    expect("".join(listed["headers"]) == headers["hex"], "1.6 list joins to the 1.4 hex")  # 76
    expect_error(old.call("blockchain.scripthash.unsubscribe", "00" * 32), -32601)
    expect_error(new.call("blockchain.relayfee"), -32601)
    expect(isinstance(old.result("blockchain.relayfee"), float), "relayfee at 1.4")
    expect_error(old.call("mempool.get_info"), -32601)
    expect_error(old.call("blockchain.transaction.broadcast_package", []), -32601)
    info = new.result("mempool.get_info")
    expect(set(info) == {"mempoolminfee", "minrelaytxfee", "incrementalrelayfee"}, info)
    for method in ["blockchain.address.get_balance", "blockchain.numblocks.subscribe",
                   "blockchain.block.get_chunk", "blockchain.block.get_header",
                   "blockchain.utxo.get_address"]:
        for client in (old, new):
            expect_error(client.call(method), -32601, 'unknown method "%s"' % method)
    expect_error(new.call("blockchain.headers.subscribe", True), -32602)
    expect(new.result("server.ping") is None and old.result("server.ping") is None, "ping")


# ---- server methods ---------------------------------------------------------------------


@test
def server_methods(ctx):  # 56, 57, 58, 59, 60, 61, 62, 63
    client = ctx.negotiated()
    expect(isinstance(client.result("server.banner"), str), "banner")
    expect(isinstance(client.result("server.donation_address"), str), "donation address")
    features = client.result("server.features")
    for key in ["hosts", "pruning", "server_version", "protocol_min", "protocol_max",
                "genesis_hash", "hash_function"]:
        expect(key in features, "features has " + key)
    expect(features["hash_function"] == "sha256", features)
    expect(features["genesis_hash"] == REGTEST_GENESIS, features)
    expect(features["pruning"] is None, features)
    peers = client.result("server.peers.subscribe")
    expect(isinstance(peers, list), peers)
    expect(client.result("server.add_peer", {"hosts": {}}) in (True, False), "add_peer")


# ---- headers ---------------------------------------------------------------------------


@test
def header_methods(ctx):  # 65, 66, 67, 69, 70, 72, 73, 74, 75, 77
    client = ctx.negotiated()
    tip = client.result("blockchain.headers.subscribe")
    height = tip["height"]
    expect(height == ctx.stack.node("getblockcount"), tip)
    expect(tip["hex"] == client.result("blockchain.block.header", height), "tip header")
    expect(tip["hex"] == ctx.stack.node("getblockheader",
                                        ctx.stack.node("getblockhash", height), False), "node")
    beyond = "{:,}".format(height + 1)
    expect_error(client.call("blockchain.block.header", height + 1), 1,
                 "height %s out of range" % beyond)
    expect_error(client.call("blockchain.block.header", -1), 1,
                 "-1 should be a non-negative integer")
    expect_error(client.call("blockchain.block.header", "abc"), 1,
                 "abc should be a non-negative integer")
    expect_error(client.call("blockchain.block.header", 9, 8), 1,
                 "require header height 9 <= cp_height 8 <= chain height %d" % height)
    expect_error(client.call("blockchain.block.header", 5, height + 1), 1,
                 "require header height 5 <= cp_height %s <= chain height %d" % (beyond, height))
    proof = client.result("blockchain.block.header", 5, 8)
    expect(verify_header_proof(proof["header"], 5, proof["branch"], proof["root"]), proof)
    many = client.result("blockchain.block.headers", 0, 3000)
    expect(many["max"] == 2016 and many["count"] == height + 1, many["count"])
    expect(client.result("blockchain.block.headers", height, 10)["count"] == 1, "at the tip")
    expect(client.result("blockchain.block.headers", height + 5, 10)["count"] == 0, "beyond")
    empty = client.result("blockchain.block.headers", 0, 0, 100)
    expect(empty["count"] == 0 and "root" not in empty and "branch" not in empty, empty)
    ranged = client.result("blockchain.block.headers", 3, 4, 20)
    expect(verify_header_proof(ranged["headers"][-1], 6, ranged["branch"], ranged["root"]),
           "proof of the last returned header")


def sha256d(data):
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def verify_header_proof(header_hex, height, branch, root):
    node = sha256d(bytes.fromhex(header_hex))
    index = height
    for sibling in branch:
        sibling = bytes.fromhex(sibling)[::-1]
        node = sha256d(sibling + node) if index & 1 else sha256d(node + sibling)
        index >>= 1
    return node[::-1].hex() == root


# ---- scripthash, transactions and notifications ----------------------------------------


@test
def validation_of_hashes_and_hex(ctx):  # 80, 101, 102, 106, 117
    client = ctx.negotiated()
    for bad in ["ab" * 31 + "a", "ab" * 32 + "a", "zz" * 32]:
        expect_error(client.call("blockchain.scripthash.get_history", bad), 1,
                     "%s is not a valid script hash" % bad)
    expect_error(client.call("blockchain.transaction.get", "ab" * 31), 1,
                 "%s should be a transaction hash" % ("ab" * 31))
    expect_error(client.call("blockchain.transaction.get", "ab" * 32, "yes"), 1,
                 '"verbose" must be a boolean')
    expect_error(client.call("blockchain.transaction.broadcast", "zz"), 1,
                 "zz should be a hex string")
    expect_error(client.call("blockchain.transaction.id_from_pos", 1, 0, "x"), 1,
                 '"merkle" must be a boolean')


@test
def empty_scripthash(ctx):  # 82, 83, 84
    client = ctx.negotiated()
    unknown = scripthash(new_script("never used"))
    expect(client.result("blockchain.scripthash.subscribe", unknown) is None, "null status")
    expect(client.result("blockchain.scripthash.get_history", unknown) == [], "empty history")
    expect(client.result("blockchain.scripthash.get_balance", unknown) ==
           {"confirmed": 0, "unconfirmed": 0}, "zero balance")


def status_of(entries):
    preimage = "".join("%s:%d:" % (tx, height) for tx, height in entries)
    return hashlib.sha256(preimage.encode()).hexdigest() if entries else None


@test
def payment_lifecycle_with_notifications(ctx):  # 78, 86, 87, 88, 91, 92, 93, 95, 96, 97, 98, 99, 108
    watcher = ctx.negotiated()
    idle = ctx.negotiated()
    script = new_script("lifecycle")
    sh = scripthash(script)
    expect(watcher.result("blockchain.scripthash.subscribe", sh) is None, "starts empty")
    tip = watcher.result("blockchain.headers.subscribe")

    raw, txid = pay(ctx.coins, script, value=5_000_000)
    expect(watcher.result("blockchain.transaction.broadcast", raw) == txid, "broadcast → txid")
    note = watcher.notification("blockchain.scripthash.subscribe")
    expect(note["params"] == [sh, status_of([(txid, 0)])], note)
    history = watcher.result("blockchain.scripthash.get_history", sh)
    expect(history == [{"tx_hash": txid, "height": 0, "fee": history[0].get("fee")}] and
           history[0]["fee"] > 0, history)
    expect(watcher.result("blockchain.scripthash.get_mempool", sh) == history, "mempool view")
    expect(watcher.result("blockchain.scripthash.subscribe", sh) == status_of([(txid, 0)]),
           "subscribe agrees with get_history")
    unspent = watcher.result("blockchain.scripthash.listunspent", sh)
    expect(unspent == [{"tx_hash": txid, "tx_pos": 0, "height": 0, "value": 5_000_000}], unspent)
    expect(watcher.result("blockchain.scripthash.get_balance", sh) ==
           {"confirmed": 0, "unconfirmed": 5_000_000}, "unconfirmed balance")

    # A child spending the unconfirmed output has height -1 (88).
    child_raw, child = spend(txid, 0, 5_000_000, script)
    watcher.result("blockchain.transaction.broadcast", child_raw)
    note = watcher.notification("blockchain.scripthash.subscribe")
    expect(note["params"][1] == status_of([(txid, 0), (child, -1)]), note)
    history = watcher.result("blockchain.scripthash.get_history", sh)
    expect([(e["tx_hash"], e["height"]) for e in history] == [(txid, 0), (child, -1)], history)
    unspent = watcher.result("blockchain.scripthash.listunspent", sh)
    expect([u["tx_hash"] for u in unspent] == [child], "spent output excluded: %s" % unspent)

    ctx.stack.node("generatetoaddress", 1, ctx.mining_address)
    header = watcher.notification("blockchain.headers.subscribe")
    expect(header["params"][0]["height"] == tip["height"] + 1, header)
    block_height = tip["height"] + 1
    note = watcher.notification("blockchain.scripthash.subscribe")
    expected = status_of([(txid, block_height), (child, block_height)])
    while note["params"][1] != expected:
        note = watcher.notification("blockchain.scripthash.subscribe")
    history = watcher.result("blockchain.scripthash.get_history", sh)
    expect(history == [{"tx_hash": txid, "height": block_height},
                       {"tx_hash": child, "height": block_height}], history)
    expect(watcher.result("blockchain.scripthash.get_balance", sh)["confirmed"] ==
           5_000_000 - 10_000, "confirmed balance")
    try:
        stray = idle.notification("blockchain.headers.subscribe", timeout=1)
        expect(False, "unsubscribed session got %s" % stray)  # 79
    except TimeoutError:
        pass

    expect(watcher.result("blockchain.scripthash.unsubscribe", sh) is True, "unsubscribed")
    expect(watcher.result("blockchain.scripthash.unsubscribe", sh) is False, "second time")
    raw, _ = pay(ctx.coins, script, value=1_000_000)
    watcher.result("blockchain.transaction.broadcast", raw)
    try:
        stray = watcher.notification("blockchain.scripthash.subscribe", timeout=1.5)
        expect(False, "notified after unsubscribe: %s" % stray)
    except TimeoutError:
        pass


@test
def negative_unconfirmed_balance(ctx):  # 85
    client = ctx.negotiated()
    script = new_script("negative")
    sh = scripthash(script)
    raw, txid = pay(ctx.coins, script, value=2_000_000)
    client.result("blockchain.transaction.broadcast", raw)
    ctx.stack.node("generatetoaddress", 1, ctx.mining_address)
    ctx.stack.wait_indexed(ctx.stack.node("getblockcount"))
    deadline = time.time() + 20
    while client.result("blockchain.scripthash.get_balance", sh)["confirmed"] == 0:
        expect(time.time() < deadline, "payment confirmed")
        time.sleep(0.1)
    away, _ = spend(txid, 0, 2_000_000, new_script("elsewhere"))
    client.result("blockchain.transaction.broadcast", away)
    deadline = time.time() + 20
    while client.result("blockchain.scripthash.get_balance", sh)["unconfirmed"] >= 0:
        expect(time.time() < deadline, "mempool spend seen")
        time.sleep(0.1)
    expect(client.result("blockchain.scripthash.get_balance", sh) ==
           {"confirmed": 2_000_000, "unconfirmed": -2_000_000}, "spent in mempool")


@test
def transaction_methods(ctx):  # 103, 104, 105, 107, 112, 113, 114, 115, 116
    client = ctx.negotiated()
    missing = client.call("blockchain.transaction.get", "ab" * 32)
    expect_error(missing, 2)
    expect("No such mempool or blockchain transaction" in missing["error"]["message"], missing)
    coinbase = ctx.stack.node("getblock", ctx.stack.node("getblockhash", 1), 1)["tx"][0]
    raw = client.result("blockchain.transaction.get", coinbase)
    expect(raw == ctx.stack.node("getrawtransaction", coinbase, False), "raw matches the node")
    verbose = client.result("blockchain.transaction.get", coinbase, True)
    expect(verbose["txid"] == coinbase and "hex" in verbose, verbose)
    rejected = client.call("blockchain.transaction.broadcast", "0100")
    expect_error(rejected, 1, prefix="the transaction was rejected by network rules.")
    expect("TX decode failed" in rejected["error"]["message"], rejected)
    merkle = client.result("blockchain.transaction.get_merkle", coinbase, 1)
    expect(merkle == {"block_height": 1, "merkle": [], "pos": 0}, merkle)
    expect_error(client.call("blockchain.transaction.get_merkle", coinbase, 2), 1,
                 "tx %s not in block at height 2" % coinbase)
    expect(client.result("blockchain.transaction.id_from_pos", 1, 0) == coinbase, "id_from_pos")
    with_proof = client.result("blockchain.transaction.id_from_pos", 1, 0, True)
    expect(with_proof == {"tx_hash": coinbase, "merkle": []}, with_proof)
    expect_error(client.call("blockchain.transaction.id_from_pos", 1, 10**6), 1,
                 "no tx at position 1,000,000 in block at height 1")


@test
def merkle_branch_of_a_multi_transaction_block(ctx):  # 112, 115
    client = ctx.negotiated()
    txids = []
    for index in range(3):
        raw, txid = pay(ctx.coins, new_script("merkle %d" % index))
        client.result("blockchain.transaction.broadcast", raw)
        txids.append(txid)
    block_hash = ctx.stack.node("generatetoaddress", 1, ctx.mining_address)[0]
    block = ctx.stack.node("getblock", block_hash, 1)
    ctx.stack.wait_indexed(block["height"])
    deadline = time.time() + 20
    while client.result("blockchain.headers.subscribe")["height"] < block["height"]:
        expect(time.time() < deadline, "gateway saw the block")
        time.sleep(0.05)
    header = bytes.fromhex(client.result("blockchain.block.header", block["height"]))
    for position, txid in enumerate(block["tx"]):
        merkle = client.result("blockchain.transaction.get_merkle", txid, block["height"])
        expect(merkle["pos"] == position, merkle)
        node = bytes.fromhex(txid)[::-1]
        index = position
        for sibling in merkle["merkle"]:
            sibling = bytes.fromhex(sibling)[::-1]
            node = sha256d(sibling + node) if index & 1 else sha256d(node + sibling)
            index >>= 1
        expect(node == header[36:68], "branch of %s hashes to the merkle root" % txid)
        by_position = client.result("blockchain.transaction.id_from_pos", block["height"],
                                    position, True)
        expect(by_position == {"tx_hash": txid, "merkle": merkle["merkle"]}, by_position)


@test
def package_broadcast(ctx):  # 109, 110, 111
    client = ctx.negotiated()
    expect_error(client.call("blockchain.transaction.broadcast_package", "abc"), 1,
                 "abc should be a list")
    parent_raw, parent = pay(ctx.coins, new_script("package parent"), value=3_000_000)
    child_raw, child = spend(parent, 0, 3_000_000, new_script("package child"))
    reply = client.result("blockchain.transaction.broadcast_package", [parent_raw, child_raw])
    expect(reply == {"success": True}, reply)
    mempool = ctx.stack.node("getrawmempool")
    expect(parent in mempool and child in mempool, "both in the mempool")
    conflict_raw, _ = spend(parent, 0, 3_000_000, new_script("package conflict"), fee=20000)
    failed = client.result("blockchain.transaction.broadcast_package", [conflict_raw])
    expect(failed["success"] is False and failed["errors"][0]["error"] == "txn-mempool-conflict",
           failed)
    verbose = client.result("blockchain.transaction.broadcast_package", [conflict_raw], True)
    expect(verbose["package_msg"] == "transaction failed", verbose)


@test
def fee_methods(ctx):  # 118, 119, 120, 121, 122
    client = ctx.negotiated()
    fee = client.result("blockchain.estimatefee", 2)
    expect(isinstance(fee, float) or fee == -1, fee)
    expect("result" in client.call("blockchain.estimatefee", 2, "economical"), "mode accepted")
    expect_error(client.call("blockchain.estimatefee", 2, "FAST"), 1,
                 "unknown estimatefee mode: FAST")
    expect_error(client.call("blockchain.estimatefee", -1), 1,
                 "-1 should be a non-negative integer")
    histogram = client.result("mempool.get_fee_histogram")
    rates = [rate for rate, _ in histogram]
    expect(rates == sorted(rates, reverse=True) and len(set(rates)) == len(rates), histogram)
    expect(all(isinstance(size, int) and size > 0 for _, size in histogram), histogram)


# ---- resource control (a second gateway with tight limits) -----------------------------


@strict_test
def hard_cost_limit_disconnects(ctx):  # 124, 127
    client = negotiated(ctx.strict_port)
    closed = False
    for _ in range(40):
        reply = client.call("no.such.method")
        if reply.get("error", {}).get("code") == -101:
            expect(reply["error"]["message"] == "excessive resource usage", reply)
            closed = client.is_closed()
            break
    expect(closed, "disconnected over the hard limit (errors cost 100 each)")


@strict_test
def subscription_limits(ctx):  # strict gateway: 2 per session, 3 across the gateway
    first, second, third = (negotiated(ctx.strict_port) for _ in range(3))
    hashes = [scripthash(new_script("limit %d" % i)) for i in range(4)]
    for sh in hashes[:2]:
        expect(first.result("blockchain.scripthash.subscribe", sh) is None, "within limits")
    expect_error(first.call("blockchain.scripthash.subscribe", hashes[2]), 1,
                 "Subscription limit reached")  # the session's limit
    expect(second.result("blockchain.scripthash.subscribe", hashes[0]) is None,
           "a script hash already watched takes no gateway-wide slot")
    expect(second.result("blockchain.scripthash.subscribe", hashes[2]) is None, "third distinct")
    expect_error(third.call("blockchain.scripthash.subscribe", hashes[3]), 1,
                 "Subscription limit reached")  # the gateway's limit
    expect(first.result("blockchain.scripthash.unsubscribe", hashes[1]) is True, "unsubscribed")
    expect(third.result("blockchain.scripthash.subscribe", hashes[3]) is None,
           "room again once a script hash is no longer watched")
    for client in (first, second, third):
        client.close()


@strict_test
def reconnecting_from_the_subnet_keeps_the_cost(ctx):  # 125 (grouped gateway)
    def errors_until_disconnected(client):
        for count in range(1, 40):
            reply = client.call("no.such.method")
            if reply["error"]["code"] == -101:
                return count
        return None

    fresh = errors_until_disconnected(ctx.negotiated_on(ctx.grouped_port))
    expect(fresh is not None and fresh >= 8, "a fresh group needs ~10 errors: %s" % fresh)
    again = errors_until_disconnected(ctx.negotiated_on(ctx.grouped_port))
    expect(again is not None and again <= 2, "the subnet's cost was kept: %s" % again)


@strict_test
def idle_sessions_are_closed(ctx):  # 26 (a gateway with --idle_timeout_s=1)
    client = negotiated(ctx.idle_port)
    expect(client.result("server.ping") is None, "answers while active")
    expect(client.is_closed(timeout=5), "idle session closed")


@strict_test
def client_not_reading_is_disconnected(ctx):  # 129 (a gateway with --notify_timeout_ms=1500)
    client = negotiated(ctx.slow_reader_port)
    client.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    client.result("blockchain.headers.subscribe")
    request = {"jsonrpc": "2.0", "id": 1, "method": "blockchain.block.headers",
               "params": [0, 100]}
    # ~9 MB of unread responses fill both sides' socket buffers, so the next
    # notification cannot be written.
    client.send_raw((json.dumps(request) + "\n").encode() * 500)
    time.sleep(1)
    ctx.stack.node("generatetoaddress", 1, ctx.mining_address)
    deadline = time.time() + 10
    while "timeout notifying client" not in open(ctx.slow_reader_log).read():
        expect(time.time() < deadline, "logged the notification timeout")
        time.sleep(0.1)
    client.sock.settimeout(10)
    closed = False
    try:
        while client.sock.recv(1 << 20):
            pass
        closed = True
    except ConnectionResetError:
        closed = True
    except socket.timeout:
        closed = False
    expect(closed, "connection closed for not taking a notification")


@strict_test
def session_limit(ctx):  # 128 (strict gateway: --max_sessions=4)
    clients = [Client(ctx.strict_port) for _ in range(4)]
    time.sleep(0.2)
    extra = Client(ctx.strict_port)
    expect(extra.is_closed(timeout=2), "fifth connection refused")
    clients[0].close()
    time.sleep(0.3)
    again = negotiated(ctx.strict_port)
    expect(again.result("server.ping") is None, "admitted after one left")
    for client in clients[1:]:
        client.close()


@strict_test
def tls_certificate_reloads_on_sighup(ctx):
    def served_certificate():
        client = Client(ctx.stack.ports["ssl"], transport="ssl")
        der = client.sock.getpeercert(binary_form=True)
        client.close()
        return der

    old_session = negotiated(ctx.stack.ports["ssl"], transport="ssl")
    before = served_certificate()
    ctx.stack.make_certificate()
    os.kill(ctx.stack.gateway.process.pid, signal.SIGHUP)
    deadline = time.time() + 10
    while served_certificate() == before:
        expect(time.time() < deadline, "new connections get the reloaded certificate")
        time.sleep(0.1)
    expect(old_session.result("server.ping") is None, "open TLS sessions carry on")


def admin(ctx, *command):
    out = subprocess.run([BINARIES["gateway_admin"], "--target=127.0.0.1:%d" % ctx.admin_port,
                          *command], capture_output=True, text=True, timeout=30)
    if out.returncode != 0:
        raise AssertionError("gateway_admin %s: %s" % (" ".join(command), out.stderr))
    return json.loads(out.stdout)


@strict_test
def admin_service_and_metrics(ctx):
    client = negotiated(ctx.stack.tcp_port, name="admin-test")
    client.result("server.ping")
    with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % ctx.metrics_port,
                                timeout=10) as page:
        text = page.read().decode()
    pings = re.search(r'^electrum_requests_total\{method="server.ping"\} (\d+)$', text, re.M)
    expect(pings and int(pings.group(1)) > 0, "ping requests counted")
    expect(re.search(r'^electrum_sessions\{transport="tcp"\} [1-9]', text, re.M),
           "open tcp sessions")
    expect("electrum_upstream_latency_seconds_bucket{method=" in text, "upstream latency")
    try:
        urllib.request.urlopen("http://127.0.0.1:%d/nope" % ctx.metrics_port, timeout=10)
        expect(False, "unknown path answered")
    except urllib.error.HTTPError as error:
        expect(error.code == 404, error)

    info = admin(ctx, "info")
    expect(int(info["sessions"]) >= 1 and info["serverVersion"] == SERVER_VERSION, info)
    mine = [s for s in admin(ctx, "sessions")["sessions"] if s["clientName"] == "admin-test"]
    expect(len(mine) == 1 and mine[0]["protocolVersion"] == "1.6" and
           int(mine[0]["requests"]) >= 1, mine)
    admin(ctx, "disconnect", mine[0]["id"])
    expect(client.is_closed(), "disconnected by the operator")

    bystander = negotiated(ctx.stack.tcp_port)
    banned = admin(ctx, "ban", "127.0.0.1/8")
    expect(int(banned["disconnected"]) >= 1, banned)
    expect(bystander.is_closed(), "banned session closed")
    refused = Client(ctx.stack.tcp_port)
    expect(refused.is_closed(timeout=2), "banned address refused")
    expect(admin(ctx, "unban", "127.0.0.0/8")["wasBanned"] is True, "unbanned")
    expect(negotiated(ctx.stack.tcp_port).result("server.ping") is None, "admitted again")

    expect(admin(ctx, "log-level", "debug")["previousLevel"] == "info", "log level")
    admin(ctx, "log-level", "info")


@strict_test
def graceful_shutdown(ctx):
    gateway = next(p for p in ctx.stack.processes if p.name == "idle_gateway")
    client = negotiated(ctx.idle_port)
    expect(client.result("server.ping") is None, "serving")
    gateway.process.send_signal(signal.SIGTERM)
    # (A request already read would be answered first; one sent now may or
    # may not be read before the session drains, so none is sent.)
    expect(client.is_closed(), "sessions closed")
    expect(gateway.process.wait(timeout=10) == 0, "clean exit")
    expect("server shutting down" in open(gateway.log_path).read(), "logged")


@strict_test
def history_service_outage_is_survived(ctx):  # upstream failure, Watch stream reopened
    history = next(p for p in ctx.stack.processes if p.name == "history")
    client = negotiated(ctx.stack.tcp_port)
    script = new_script("outage")
    sh = scripthash(script)
    expect(client.result("blockchain.scripthash.subscribe", sh) is None, "subscribed")
    history.stop()
    failed = client.call("blockchain.scripthash.get_history", sh)
    expect_error(failed, 2, prefix="daemon error:")
    expect(client.result("server.ping") is None, "the session outlives the failure")
    expect(client.result("blockchain.block.header", 1), "headers still served")
    argv = [arg if not arg.startswith("--listen=") else "--listen=127.0.0.1:%d" % history.port
            for arg in history.process.args]
    ctx.stack.processes.append(Process("history_restarted", argv, ctx.stack.tmp,
                                       r"address history service listening on port (\d+)"))
    raw, txid = pay(ctx.coins, script, value=1_000_000)
    client.result("blockchain.transaction.broadcast", raw)
    note = client.notification("blockchain.scripthash.subscribe", timeout=30)
    expect(note["params"] == [sh, status_of([(txid, 0)])], note)
    expect(client.result("blockchain.scripthash.get_history", sh)[0]["tx_hash"] == txid,
           "history served again")


@strict_test
def cached_address_replies_follow_every_change(ctx):  # issue 20: the gateway's reply cache
    """Repeated balance / unspent / history queries are answered from the
    gateway's cache; after each change (a payment, a spend in the mempool, a
    block, a reorg) a subscriber is notified and from then on every session
    gets what a gateway without the cache says."""
    watcher = negotiated(ctx.stack.tcp_port, name="cache-watcher")
    other = negotiated(ctx.stack.tcp_port, name="cache-other")
    uncached = negotiated(ctx.uncached_port, name="cache-reference")
    script = new_script("cached")
    sh = scripthash(script)
    expect(watcher.result("blockchain.scripthash.subscribe", sh) is None, "starts empty")

    def replies(client):
        return [client.result("blockchain.scripthash." + method, sh)
                for method in ("get_balance", "listunspent", "get_history")]

    def changed_to(entries, what):
        expected = status_of(entries)
        note = watcher.notification("blockchain.scripthash.subscribe", timeout=30)
        while note["params"][1] != expected:
            note = watcher.notification("blockchain.scripthash.subscribe", timeout=30)
        reference = replies(uncached)
        # The first rounds fill the cache, the later ones are served from it.
        for _ in range(3):
            for client in (watcher, other):
                got = replies(client)
                expect(got == reference, "%s: %s, uncached gateway: %s" % (what, got, reference))
        return reference

    hits_before = cache_replies(ctx, "hit")
    raw, txid = pay(ctx.coins, script, value=3_000_000)
    watcher.result("blockchain.transaction.broadcast", raw)
    balance, _, _ = changed_to([(txid, 0)], "after a payment")
    expect(balance == {"confirmed": 0, "unconfirmed": 3_000_000}, balance)

    child_raw, child = spend(txid, 0, 3_000_000, script)
    watcher.result("blockchain.transaction.broadcast", child_raw)
    _, unspent, _ = changed_to([(txid, 0), (child, -1)], "after a spend in the mempool")
    expect([u["tx_hash"] for u in unspent] == [child], unspent)

    block_hash = ctx.stack.node("generatetoaddress", 1, ctx.mining_address)[0]
    height = ctx.stack.node("getblockcount")
    balance, _, _ = changed_to([(txid, height), (child, height)], "after a block")
    expect(balance == {"confirmed": 2_990_000, "unconfirmed": 0}, balance)

    ctx.stack.node("invalidateblock", block_hash)
    _, _, history = changed_to([(txid, 0), (child, -1)], "after a reorg")
    expect([e["height"] for e in history] == [0, -1], history)
    ctx.stack.node("generatetoaddress", 1, ctx.mining_address)
    expect(cache_replies(ctx, "hit") > hits_before, "replies were served from the cache")


def cache_replies(ctx, outcome):
    with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % ctx.metrics_port,
                                timeout=10) as page:
        text = page.read().decode()
    found = re.search(r'^electrum_address_cache_replies_total\{outcome="%s"\} (\d+)$' % outcome,
                      text, re.M)
    return int(found.group(1)) if found else 0


class Context:
    def connect(self):
        return Client(self.port, transport=self.transport)

    def negotiated_on(self, port):
        return negotiated(port, transport=self.transport)

    def negotiated(self, version=("1.4", "1.6")):
        return negotiated(self.port, version, transport=self.transport)


def run(tests, context, label, failures):
    for function in tests:
        began = time.time()
        name = "%s [%s]" % (function.__name__, label)
        try:
            function(context)
            print("ok   %s (%.1f s)" % (name, time.time() - began), flush=True)
        except Exception as error:  # noqa: BLE001 — every failure is reported
            failures.append(name)
            print("FAIL %s: %s" % (name, error), flush=True)
            traceback.print_exc()


def main():
    started = time.time()
    stack = Stack(BINARIES, "conformance", gateway_flags=[
        "--max_send=1000", "--drop_client=^bad-wallet", "--ssl_listen=127.0.0.1:0",
        "--ws_listen=127.0.0.1:0", "--wss_listen=127.0.0.1:0",
        "--ssl_certfile={tmp}/tls.crt", "--ssl_keyfile={tmp}/tls.key"])
    failures = []
    total = 0
    try:
        context = Context()
        context.stack = stack
        context.coins = CoinSource(stack)
        context.mining_address = regtest_p2pkh(b"\x11" * 20)[0]
        for transport in TRANSPORTS:
            context.transport = transport
            context.port = stack.ports[transport]
            run(TESTS, context, transport, failures)
            total += len(TESTS)

        upstream = stack.gateway.process.args[1:4]
        stack.strict = stack._run("strict_gateway", [
            BINARIES["gateway"], *upstream, "--tcp_listen=127.0.0.1:0",
            "--cost_soft_limit=200", "--cost_hard_limit=1000", "--request_sleep_ms=100",
            "--sweep_interval_ms=100", "--notify_timeout_ms=1500", "--max_sessions=4",
            "--max_subscriptions=2", "--max_watched_scripthashes=3"],
            r"Electrum over tcp on port (\d+)")
        context.strict_port = stack.strict.port
        slow_reader = stack._run("slow_reader_gateway", [
            BINARIES["gateway"], *upstream, "--tcp_listen=127.0.0.1:0",
            "--cost_soft_limit=100000", "--cost_hard_limit=200000",
            "--sweep_interval_ms=100", "--notify_timeout_ms=1500"],
            r"Electrum over tcp on port (\d+)")
        context.slow_reader_port = slow_reader.port
        context.slow_reader_log = slow_reader.log_path
        context.idle_port = stack._run("idle_gateway", [
            BINARIES["gateway"], *upstream, "--tcp_listen=127.0.0.1:0", "--idle_timeout_s=1",
            "--sweep_interval_ms=100"], r"Electrum over tcp on port (\d+)").port
        context.uncached_port = stack._run("uncached_gateway", [
            BINARIES["gateway"], *upstream, "--tcp_listen=127.0.0.1:0",
            "--address_cache_mb=0"], r"Electrum over tcp on port (\d+)").port
        context.grouped_port = stack._run("grouped_gateway", [
            BINARIES["gateway"], *upstream, "--tcp_listen=127.0.0.1:0",
            "--cost_soft_limit=200", "--cost_hard_limit=1000", "--request_sleep_ms=10",
            "--group_private_addresses"], r"Electrum over tcp on port (\d+)").port
        log = open(stack.gateway.log_path).read()
        context.admin_port = int(re.search(r"admin gRPC on port (\d+)", log).group(1))
        context.metrics_port = int(re.search(r"metrics on .*\(port (\d+)\)", log).group(1))
        context.transport = "tcp"
        run(STRICT_TESTS, context, "limits", failures)
        total += len(STRICT_TESTS)
    finally:
        stack.stop()
    print("%d passed, %d failed in %.1f s" % (total - len(failures), len(failures),
                                              time.time() - started))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
