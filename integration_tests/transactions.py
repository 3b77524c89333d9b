"""Builds unsigned transactions for simnode (which checks amounts, not
signatures), spending mature coinbase outputs to scripts a test watches."""
import hashlib
import struct


def varint(n):
    if n < 0xFD:
        return bytes([n])
    if n <= 0xFFFF:
        return b"\xfd" + struct.pack("<H", n)
    return b"\xfe" + struct.pack("<I", n)


def serialize(inputs, outputs):
    """inputs: [(txid_hex, vout)], outputs: [(value_sats, script_bytes)]."""
    raw = struct.pack("<i", 2) + varint(len(inputs))
    for txid, vout in inputs:
        raw += bytes.fromhex(txid)[::-1] + struct.pack("<I", vout) + b"\x00" + b"\xff\xff\xff\xff"
    raw += varint(len(outputs))
    for value, script in outputs:
        raw += struct.pack("<q", value) + varint(len(script)) + script
    return raw + struct.pack("<I", 0)


def txid_of(raw):
    return hashlib.sha256(hashlib.sha256(raw).digest()).digest()[::-1].hex()


class CoinSource:
    """Hands out mature coinbase outputs of the stack's chain, one each."""

    def __init__(self, stack):
        self.stack = stack
        self.next_height = 1

    def take(self):
        height = self.next_height
        self.next_height += 1
        if height > self.stack.node("getblockcount") - 100:
            raise RuntimeError("no mature coinbase left at height %d" % height)
        block = self.stack.node("getblock", self.stack.node("getblockhash", height), 1)
        coinbase = block["tx"][0]
        tx = self.stack.node("getrawtransaction", coinbase, True)
        return coinbase, 0, round(tx["vout"][0]["value"] * 1e8)


# Where the rest of a coinbase output goes when a test pays less.
CHANGE_SCRIPT = b"\x00\x14" + b"\x22" * 20


def pay(coins, script, fee=10000, value=None):
    """A raw tx (hex, txid) paying `script` (output 0) from a fresh coinbase
    output; with `value`, the rest goes to output 1."""
    txid, vout, amount = coins.take()
    outputs = [(amount - fee, script)]
    if value is not None:
        outputs = [(value, script), (amount - fee - value, CHANGE_SCRIPT)]
    raw = serialize([(txid, vout)], outputs)
    return raw.hex(), txid_of(raw)


def spend(txid, vout, amount, script, fee=10000):
    raw = serialize([(txid, vout)], [(amount - fee, script)])
    return raw.hex(), txid_of(raw)
