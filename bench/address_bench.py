"""Address queries through the gateway on the whole stack (issue 20):
  warm: pipelined get_balance / listunspent / get_history over a few hundred
        script hashes, repeated;
  cold: the same over distinct script hashes, each asked once;
  single requests one at a time (p50 / p99), warm and cold;
  a wallet sync: N sessions each subscribe 20 script hashes (half used),
        then get_history and listunspent the used ones.
Used by run_gateway_bench.py; results go into its table and JSON."""
import json
import os
import random
import subprocess
import tempfile

from stack import psql

WARM_SCRIPTHASHES = 300
METHODS = ("get_balance", "listunspent", "get_history")
CONNECTIONS, WINDOW = 20, 20


def request(method, display_hex, request_id=1):
    return json.dumps({"jsonrpc": "2.0", "id": request_id,
                       "method": "blockchain.scripthash." + method, "params": [display_hex]})


def display(internal_hex):
    return bytes.fromhex(internal_hex)[::-1].hex()


def used_scripthashes(dsn):
    """Every script hash with an unspent output, shuffled (deterministically)."""
    rows = psql(dsn, "SELECT DISTINCT encode(scripthash, 'hex') FROM utxos").split()
    rows.sort()
    random.Random(20).shuffle(rows)
    return [display(row) for row in rows]


def write_lines(directory, name, lines):
    path = os.path.join(directory, name)
    with open(path, "w") as out:
        out.write("\n".join(lines) + "\n")
    return path


class AddressBench:
    def __init__(self, load_binary, port, dsn, gateway_pid, rss_kib):
        self.load_binary, self.port, self.dsn = load_binary, port, dsn
        self.gateway_pid, self.rss_kib = gateway_pid, rss_kib
        self.work = tempfile.mkdtemp(prefix="address_bench_")

    def run_load(self, *flags, timeout=600):
        out = subprocess.run([self.load_binary, "--port=%d" % self.port, *flags],
                             capture_output=True, text=True, check=True, timeout=timeout).stdout
        return json.loads(out.strip().splitlines()[-1])

    def throughput(self, method, hashes, once):
        path = write_lines(self.work, "%s_%d.txt" % (method, once),
                           [request(method, h) for h in hashes])
        flags = ["--mode=throughput", "--connections=%d" % CONNECTIONS, "--window=%d" % WINDOW,
                 "--requests_file=" + path]
        flags += ["--once", "--seconds=300"] if once else ["--seconds=5"]
        return self.run_load(*flags)

    def latency(self, method, hashes, requests):
        path = write_lines(self.work, "latency_%s_%d.txt" % (method, len(hashes)),
                           [request(method, h) for h in hashes])
        return self.run_load("--mode=latency", "--requests=%d" % requests,
                             "--requests_file=" + path)

    def largest_unspent_near(self, entries):
        row = psql(self.dsn, "SELECT encode(scripthash, 'hex'), count(*) FROM utxos "
                             "GROUP BY scripthash ORDER BY abs(count(*) - %d) LIMIT 1"
                   % entries).split("|")
        return display(row[0]), int(row[1])

    def wallet_sync(self, hashes, wallets):
        rng = random.Random(21)
        lines = []
        for w in range(wallets):
            for i in range(10):
                lines.append("%s 1" % hashes[(w * 10 + i) % len(hashes)])
                lines.append("%032x%032x 0" % (rng.getrandbits(128), rng.getrandbits(128)))
        path = write_lines(self.work, "wallets.txt", lines)
        before = self.rss_kib(self.gateway_pid)
        process = subprocess.Popen(
            [self.load_binary, "--port=%d" % self.port, "--mode=wallet",
             "--connections=%d" % wallets, "--scripthashes_file=" + path],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        result = json.loads(process.stdout.readline())
        result["gateway_rss_kib_before_after"] = [before, self.rss_kib(self.gateway_pid)]
        process.stdin.close()
        process.wait(timeout=120)
        return result

    def run(self, cold_per_method, wallets):
        hashes = used_scripthashes(self.dsn)
        warm = hashes[:WARM_SCRIPTHASHES]
        cold = hashes[WARM_SCRIPTHASHES:]
        results = {"scripthashes_with_unspent": len(hashes)}
        # Disjoint slices for the three methods and the cold single requests.
        cold_per_method = min(cold_per_method, (len(cold) - 3 * 1100) // 3)
        for method in METHODS:
            results["warm_" + method] = self.throughput(method, warm, once=False)
            results["warm_latency_" + method] = self.latency(method, warm, 2000)
        for index, method in enumerate(METHODS):
            # Disjoint slices: no method finds another's reads cached.
            part = cold[index * cold_per_method:(index + 1) * cold_per_method]
            results["cold_" + method] = self.throughput(method, part, once=True)
            results["cold_" + method]["scripthashes"] = len(part)
        rest = cold[len(METHODS) * cold_per_method:]
        for method in METHODS:
            part, rest = rest[:1100], rest[1100:]
            if len(part) == 1100:
                results["cold_latency_" + method] = self.latency(method, part, 1000)
        target, entries = self.largest_unspent_near(80)
        results["listunspent_%d_latency" % entries] = self.latency("listunspent", [target], 2000)
        results["listunspent_entries"] = entries
        results["wallet_sync"] = self.wallet_sync(rest or hashes, wallets)
        return results


def table_rows(results):
    def rps(key):
        run = results[key]
        return "%.0f req/s%s" % (run["requests_per_second"],
                                 " (%d errors)" % run["errors"] if run["errors"] else "")

    def p50_p99(key):
        if key not in results:
            return "not run (too few script hashes)"
        return "%.3f / %.3f ms" % (results[key]["p50_us"] / 1e3, results[key]["p99_us"] / 1e3)

    rows = []
    targets = {"get_balance": ("≥ 60k", "≤ 0.4 ms"), "listunspent": ("≥ 30k", ""),
               "get_history": ("≥ 30k", "")}
    for method in METHODS:
        rows.append(("%s warm (%d script hashes), pipelined" % (method, WARM_SCRIPTHASHES),
                     rps("warm_" + method), targets[method][0]))
        cold = results["cold_" + method]
        rows.append(("%s cold (%d distinct), pipelined" % (method, cold["scripthashes"]),
                     rps("cold_" + method), "≥ 15k"))
        rows.append(("%s single request p50 / p99, warm" % method,
                     p50_p99("warm_latency_" + method), targets[method][1]))
        rows.append(("%s single request p50 / p99, cold" % method,
                     p50_p99("cold_latency_" + method), ""))
    entries = results["listunspent_entries"]
    rows.append(("listunspent of %d outputs p50 / p99" % entries,
                 p50_p99("listunspent_%d_latency" % entries), "≤ 1 ms"))
    sync = results["wallet_sync"]
    before, after = sync["gateway_rss_kib_before_after"]
    rows.append(("wallet sync, %d × 20 script hashes" % sync["wallets"],
                 "%.2f s (%d errors), gateway RSS %d → %d MiB"
                 % (sync["seconds"], sync["errors"], before // 1024, after // 1024), "≤ 3 s"))
    return rows
