"""The simnode binary as a process: cookie auth, stop, restart, SIGTERM,
warm-up and --help. Run by simnode_binary_test.sh (Bazel sh_test)."""
import base64
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

BINARY = sys.argv[1]
TMP = os.environ.get("TEST_TMPDIR", "/tmp")
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


# Any single step that takes longer than this is a failure, not a hang.
STEP_TIMEOUT_S = 20


def on_alarm(signum, frame):
    raise SystemExit("FAIL a step took longer than %d s" % STEP_TIMEOUT_S)


def start(datadir, *flags):
    process = subprocess.Popen([BINARY, "--datadir=" + datadir, "--rpcport=0", *flags],
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    signal.alarm(STEP_TIMEOUT_S)
    line = process.stdout.readline()
    signal.alarm(0)
    if "simnode ready" not in line:
        raise SystemExit("simnode did not start: " + line + process.stdout.read())
    port = int(line.split("rpcport=")[1].split()[0])
    return process, port


def call(port, method, params=None, auth=None, datadir=None):
    if auth is None:
        with open(os.path.join(datadir, ".cookie")) as cookie:
            auth = cookie.read().strip()
    body = json.dumps({"method": method, "params": params or [], "id": 1}).encode()
    request = urllib.request.Request("http://127.0.0.1:%d/" % port, data=body)
    request.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        payload = error.read()
        return error.code, json.loads(payload) if payload else None


def main():
    signal.signal(signal.SIGALRM, on_alarm)
    datadir = os.path.join(TMP, "simnode-binary")
    process, port = start(datadir, "--initial_blocks=5")
    status, reply = call(port, "getblockcount", datadir=datadir)
    check(status == 200 and reply["result"] == 5, "cookie authentication, initial blocks")
    best = call(port, "getbestblockhash", datadir=datadir)[1]["result"]
    status, _ = call(port, "getblockcount", auth="__cookie__:wrong")
    check(status == 401, "a wrong password is refused with 401")
    status, reply = call(port, "stop", datadir=datadir)
    check(reply["result"] == "Bitcoin Core stopping", "stop answers like Core")
    check(process.wait(timeout=10) == 0, "stop ends the process cleanly")
    check(not os.path.exists(os.path.join(datadir, ".cookie")), "the cookie is removed on exit")

    process, port = start(datadir)
    status, reply = call(port, "getbestblockhash", datadir=datadir)
    check(reply["result"] == best, "a restart resumes the same chain")
    process.send_signal(signal.SIGTERM)
    check(process.wait(timeout=10) == 0, "SIGTERM stops cleanly")

    process, port = start(os.path.join(TMP, "simnode-warm"), "--warmup_ms=5000")
    status, reply = call(port, "getblockcount", datadir=os.path.join(TMP, "simnode-warm"))
    check(reply["error"]["code"] == -28, "warming up answers -28")
    process.kill()
    process.wait()

    help_text = subprocess.run([BINARY, "--help"], capture_output=True, text=True,
                               stdin=subprocess.DEVNULL, timeout=STEP_TIMEOUT_S)
    check("NOT verified" in help_text.stdout + help_text.stderr,
          "--help says signatures are not verified")

    print("%d checks failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
